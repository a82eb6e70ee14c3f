#include "engine/cel_types.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace kfrun::engine::cel {

namespace {

using T = StaticType;

bool known(T t) {
    return t != T::Dyn && t != T::Null;
}

bool one_of(T t, const std::vector<T>& allowed) {
    return !known(t) || std::find(allowed.begin(), allowed.end(), t) != allowed.end();
}

base::Error no_overload(std::string_view function, const Node& node) {
    std::string types;
    for (const auto& child : node.children) {
        types += (types.empty() ? "" : ", ") + std::string(type_name(child->type));
    }
    return base::make_error(base::ErrorKind::Input, "found no matching overload for '" +
                                                        std::string(function) + "' applied to '(" +
                                                        types + ")'");
}

T known_of(T a, T b) {
    return known(a) ? a : b;
}

base::Result<T> binary_type(const Node& node) {
    T l = node.children[0]->type;
    T r = node.children[1]->type;
    bool both = known(l) && known(r);
    auto fail = [&] { return no_overload(operator_function(node.op), node); };
    switch (node.op) {
        case BinaryOp::Equal:
        case BinaryOp::NotEqual:
            if (both && l != r) {
                return fail();
            }
            return T::Bool;
        case BinaryOp::Less:
        case BinaryOp::LessEqual:
        case BinaryOp::Greater:
        case BinaryOp::GreaterEqual: {
            const std::vector<T> orderable = {T::Int, T::Uint, T::Double, T::String, T::Bool};
            if (!one_of(l, orderable) || !one_of(r, orderable) || (both && l != r)) {
                return fail();
            }
            return T::Bool;
        }
        case BinaryOp::In:
            if (!one_of(r, {T::List, T::Map})) {
                return fail();
            }
            return T::Bool;
        case BinaryOp::Add:
        case BinaryOp::Sub:
        case BinaryOp::Mul:
        case BinaryOp::Div:
        case BinaryOp::Mod: {
            std::vector<T> allowed = {T::Int, T::Uint, T::Double};
            if (node.op == BinaryOp::Add) {
                allowed = {T::Int, T::Uint, T::Double, T::String, T::List};
            } else if (node.op == BinaryOp::Mod) {
                allowed = {T::Int, T::Uint};
            }
            if (!one_of(l, allowed) || !one_of(r, allowed) || (both && l != r)) {
                return fail();
            }
            return known_of(l, r);
        }
    }
    return T::Dyn;
}

// The standard functions kfrun evaluates (cel-go's names), and parseJson as KFP declares it.
base::Result<T> call_type(const Node& node) {
    const std::string& f = node.name;
    std::size_t args = node.children.size() - (node.receiver ? 1 : 0);
    auto arity = [&](std::size_t want) -> base::Result<void> {
        if (args != want) {
            return base::make_error(base::ErrorKind::Input,
                                    "'" + f + "' takes " + std::to_string(want) + " argument" +
                                        (want == 1 ? "" : "s") + ", not " + std::to_string(args));
        }
        return base::ok();
    };
    auto all_of = [&](const std::vector<T>& allowed) {
        return std::all_of(node.children.begin(), node.children.end(),
                           [&](const auto& child) { return one_of(child->type, allowed); });
    };
    if (f == "size") {
        KFRUN_TRY(arity(node.receiver ? 0 : 1));
        return all_of({T::String, T::List, T::Map}) ? base::Result<T>(T::Int)
                                                    : no_overload(f, node);
    }
    if (f == "contains" || f == "startsWith" || f == "endsWith") {
        if (!node.receiver) {
            return base::make_error(base::ErrorKind::Input,
                                    "'" + f + "' is called on a string, as in s." + f + "(t)");
        }
        KFRUN_TRY(arity(1));
        return all_of({T::String}) ? base::Result<T>(T::Bool) : no_overload(f, node);
    }
    struct Conversion {
        std::string_view name;
        std::vector<T> accepts;
        T result;
    };
    static const Conversion conversions[] = {
        {"int", {T::Int, T::Uint, T::Double, T::String}, T::Int},
        {"uint", {T::Int, T::Uint, T::Double, T::String}, T::Uint},
        {"double", {T::Int, T::Uint, T::Double, T::String}, T::Double},
        {"string", {T::Int, T::Uint, T::Double, T::String, T::Bool}, T::String},
        {"bool", {T::Bool, T::String}, T::Bool},
        {"parseJson", {T::String}, T::Dyn},
        {"dyn", {T::Null, T::Bool, T::Int, T::Uint, T::Double, T::String, T::List, T::Map}, T::Dyn},
    };
    for (const auto& conversion : conversions) {
        if (f != conversion.name) {
            continue;
        }
        if (node.receiver) {
            return base::make_error(base::ErrorKind::Input,
                                    "'" + f + "' is a function, as in " + f + "(x), not a method");
        }
        KFRUN_TRY(arity(1));
        if (node.children[0]->type == T::Null && f != "dyn") {
            return no_overload(f, node);
        }
        return all_of(conversion.accepts) ? base::Result<T>(conversion.result)
                                          : no_overload(f, node);
    }
    if (f == "matches") {
        return base::make_error(base::ErrorKind::Input,
                                "'matches' (regular expressions) is not supported by kfrun");
    }
    return base::make_error(base::ErrorKind::Input, "undeclared reference to '" + f + "'");
}

}  // namespace

std::string_view operator_function(BinaryOp op) {
    switch (op) {
        case BinaryOp::Equal:
            return "_==_";
        case BinaryOp::NotEqual:
            return "_!=_";
        case BinaryOp::Less:
            return "_<_";
        case BinaryOp::LessEqual:
            return "_<=_";
        case BinaryOp::Greater:
            return "_>_";
        case BinaryOp::GreaterEqual:
            return "_>=_";
        case BinaryOp::In:
            return "@in";
        case BinaryOp::Add:
            return "_+_";
        case BinaryOp::Sub:
            return "_-_";
        case BinaryOp::Mul:
            return "_*_";
        case BinaryOp::Div:
            return "_/_";
        case BinaryOp::Mod:
            return "_%_";
    }
    return "?";
}

std::string_view type_name(StaticType type) {
    switch (type) {
        case T::Dyn:
            return "dyn";
        case T::Null:
            return "null_type";
        case T::Bool:
            return "bool";
        case T::Int:
            return "int";
        case T::Uint:
            return "uint";
        case T::Double:
            return "double";
        case T::String:
            return "string";
        case T::List:
            return "list";
        case T::Map:
            return "map";
    }
    return "?";
}

base::Result<StaticType> static_type(const Node& node) {
    auto child = [&](std::size_t i) { return node.children[i]->type; };
    switch (node.kind) {
        case NodeKind::Literal:
            switch (node.literal.type()) {
                case nlohmann::json::value_t::null:
                    return T::Null;
                case nlohmann::json::value_t::boolean:
                    return T::Bool;
                case nlohmann::json::value_t::number_integer:
                    return T::Int;
                case nlohmann::json::value_t::number_unsigned:
                    return T::Uint;
                case nlohmann::json::value_t::number_float:
                    return T::Double;
                case nlohmann::json::value_t::string:
                    return T::String;
                default:
                    return T::Dyn;
            }
        case NodeKind::Ident:
            return T::Dyn;
        case NodeKind::Select:
        case NodeKind::Has:
            if (!one_of(child(0), {T::Map})) {
                return base::make_error(base::ErrorKind::Input,
                                        "type '" + std::string(type_name(child(0))) +
                                            "' does not support field selection");
            }
            return node.kind == NodeKind::Has ? T::Bool : T::Dyn;
        case NodeKind::Index:
            return one_of(child(0), {T::List, T::Map}) ? base::Result<T>(T::Dyn)
                                                       : no_overload("_[_]", node);
        case NodeKind::Call:
            return call_type(node);
        case NodeKind::List:
            return T::List;
        case NodeKind::Map:
            for (std::size_t i = 0; i < node.children.size(); i += 2) {
                if (!one_of(child(i), {T::String})) {
                    return base::make_error(base::ErrorKind::Input,
                                            "a map key must be a string here, not a " +
                                                std::string(type_name(child(i))));
                }
            }
            return T::Map;
        case NodeKind::Not:
            return one_of(child(0), {T::Bool}) ? base::Result<T>(T::Bool) : no_overload("!_", node);
        case NodeKind::Negate:
            return one_of(child(0), {T::Int, T::Double}) ? base::Result<T>(child(0))
                                                         : no_overload("-_", node);
        case NodeKind::And:
        case NodeKind::Or:
            if (!one_of(child(0), {T::Bool}) || !one_of(child(1), {T::Bool})) {
                return no_overload(node.kind == NodeKind::And ? "_&&_" : "_||_", node);
            }
            return T::Bool;
        case NodeKind::Ternary:
            if (!one_of(child(0), {T::Bool})) {
                return no_overload("_?_:_", node);
            }
            return child(1) == child(2) ? child(1) : T::Dyn;
        case NodeKind::Binary:
            return binary_type(node);
    }
    return T::Dyn;
}

}  // namespace kfrun::engine::cel
