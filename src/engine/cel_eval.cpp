#include "engine/cel_eval.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "base/visible_text.hpp"
#include "engine/cel_value.hpp"

namespace kfrun::engine::cel {

namespace {

class Evaluator {
  public:
    explicit Evaluator(const Json& variables) : m_variables(variables) {}

    base::Result<Json> run(const Node& root) {
        auto value = eval(root);
        if (!value.ok()) {
            return value.error();
        }
        return take_json(std::move(*value), m_budget);
    }

  private:
    base::Result<Value> eval(const Node& node) {
        KFRUN_TRY(m_budget.charge(1));
        switch (node.kind) {
            case NodeKind::Literal:
                return Value::borrow(node.literal);
            case NodeKind::Ident:
                return identifier(node);
            case NodeKind::Select:
                return select(node);
            case NodeKind::Has:
                return has(node);
            case NodeKind::Index:
                return index(node);
            case NodeKind::Call:
                return call(node);
            case NodeKind::List:
                return list(node);
            case NodeKind::Map:
                return map(node);
            case NodeKind::Not:
                return logical_not(node);
            case NodeKind::Negate:
                return negate(node);
            case NodeKind::And:
            case NodeKind::Or:
                return logical(node);
            case NodeKind::Ternary:
                return ternary(node);
            case NodeKind::Binary:
                return binary(node);
        }
        return eval_error("internal error: unknown CEL node");
    }

    base::Result<Value> identifier(const Node& node) {
        if (m_variables.is_object()) {
            auto found = m_variables.find(node.name);
            if (found != m_variables.end()) {
                return Value::borrow(*found);
            }
        }
        return eval_error("undeclared reference to '" + node.name + "'");
    }

    static std::string key_text(const std::string& key) {
        return base::visible_text(key.size() > 200 ? key.substr(0, 200) + "…" : key);
    }

    base::Result<Value> select(const Node& node) {
        auto operand = eval(*node.children[0]);
        if (!operand.ok()) {
            return operand;
        }
        const Json& map = operand->get();
        if (!map.is_object()) {
            return eval_error("type '" + std::string(kind_name(map)) +
                              "' does not support field selection");
        }
        auto found = map.find(node.name);
        if (found == map.end()) {
            return eval_error("no such key: " + key_text(node.name));
        }
        return std::move(*operand).part(*found);
    }

    base::Result<Value> has(const Node& node) {
        auto operand = eval(*node.children[0]);
        if (!operand.ok()) {
            return operand;
        }
        const Json& map = operand->get();
        if (!map.is_object()) {
            return eval_error("has() applies to a map field, not to a " +
                              std::string(kind_name(map)));
        }
        return Value::own(map.contains(node.name));
    }

    // A number, bool or string as string() writes it; other kinds by their type name.
    static std::string scalar_text(const Json& value) {
        auto text = convert("string", value);
        return text.ok() ? text->get<std::string>() : std::string(kind_name(value));
    }

    // An int, uint or integral double as a list position; none when negative or too large.
    static std::optional<std::size_t> list_position(const Json& k) {
        if (k.is_number_unsigned()) {
            return static_cast<std::size_t>(k.get<std::uint64_t>());
        }
        if (k.is_number_integer()) {
            auto i = k.get<std::int64_t>();
            return i < 0 ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(i));
        }
        double d = k.get<double>();
        if (!(d >= 0 && d < 9.0e18)) {
            return std::nullopt;
        }
        return static_cast<std::size_t>(d);
    }

    base::Result<Value> index(const Node& node) {
        auto operand = eval(*node.children[0]);
        if (!operand.ok()) {
            return operand;
        }
        auto key = eval(*node.children[1]);
        if (!key.ok()) {
            return key;
        }
        const Json& container = operand->get();
        const Json& k = key->get();
        if (container.is_object()) {
            const std::string name = k.is_string() ? k.get<std::string>() : scalar_text(k);
            auto found = k.is_string() ? container.find(name) : container.end();
            if (found == container.end()) {
                return eval_error("no such key: " + key_text(name));
            }
            return std::move(*operand).part(*found);
        }
        if (container.is_array() && k.is_number()) {
            if (k.is_number_float() && std::trunc(k.get<double>()) != k.get<double>()) {
                return eval_error("unsupported index value " + scalar_text(k) + " in list");
            }
            auto position = list_position(k);
            if (!position || *position >= container.size()) {
                return eval_error("index " + scalar_text(k) + " out of range in list of size " +
                                  std::to_string(container.size()));
            }
            return std::move(*operand).part(container[*position]);
        }
        return no_overload("_[_]", container, k);
    }

    base::Result<Value> call(const Node& node) {
        std::vector<Value> args;
        for (const auto& child : node.children) {
            auto arg = eval(*child);
            if (!arg.ok()) {
                return arg;
            }
            args.push_back(std::move(*arg));
        }
        const std::string& f = node.name;
        const Json& first = args[0].get();
        if (f == "dyn") {
            return std::move(args[0]);
        }
        if (f == "size") {
            return own(size_of(first));
        }
        if (f == "parseJson") {
            return own(parse_json(first, m_budget));
        }
        if (f == "contains" || f == "startsWith" || f == "endsWith") {
            const Json& second = args[1].get();
            if (!first.is_string() || !second.is_string()) {
                return no_overload(f, first, second);
            }
            std::string_view s = first.get_ref<const std::string&>();
            std::string_view t = second.get_ref<const std::string&>();
            KFRUN_TRY(m_budget.charge(s.size()));
            bool result = f == "contains" ? s.find(t) != s.npos
                          : f == "startsWith"
                              ? s.substr(0, t.size()) == t
                              : s.size() >= t.size() && s.substr(s.size() - t.size()) == t;
            return Value::own(result);
        }
        return own(convert(f, first));
    }

    static base::Result<Value> own(base::Result<Json> value) {
        if (!value.ok()) {
            return value.error();
        }
        return Value::own(std::move(*value));
    }

    base::Result<Value> list(const Node& node) {
        Json items = Json::array();
        for (const auto& child : node.children) {
            auto item = eval(*child);
            if (!item.ok()) {
                return item;
            }
            auto json = take_json(std::move(*item), m_budget);
            if (!json.ok()) {
                return json.error();
            }
            items.push_back(std::move(*json));
        }
        return Value::own(std::move(items));
    }

    base::Result<Value> map(const Node& node) {
        Json entries = Json::object();
        for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
            auto key = eval(*node.children[i]);
            if (!key.ok()) {
                return key;
            }
            if (!key->get().is_string()) {
                return eval_error("a map key must be a string here, not a " +
                                  std::string(kind_name(key->get())));
            }
            const auto& name = key->get().get_ref<const std::string&>();
            if (entries.contains(name)) {
                return eval_error("duplicate map key: " + key_text(name));
            }
            auto value = eval(*node.children[i + 1]);
            if (!value.ok()) {
                return value;
            }
            auto json = take_json(std::move(*value), m_budget);
            if (!json.ok()) {
                return json.error();
            }
            entries[name] = std::move(*json);
        }
        return Value::own(std::move(entries));
    }

    base::Result<Value> logical_not(const Node& node) {
        auto operand = eval(*node.children[0]);
        if (!operand.ok()) {
            return operand;
        }
        if (!operand->get().is_boolean()) {
            return no_overload("!_", operand->get());
        }
        return Value::own(!operand->get().get<bool>());
    }

    base::Result<Value> negate(const Node& node) {
        auto operand = eval(*node.children[0]);
        if (!operand.ok()) {
            return operand;
        }
        const Json& v = operand->get();
        if (v.is_number_float()) {
            return Value::own(-v.get<double>());
        }
        if (v.is_number_integer() && !v.is_number_unsigned()) {
            auto i = v.get<std::int64_t>();
            if (i == std::numeric_limits<std::int64_t>::min()) {
                return eval_error("integer overflow");
            }
            return Value::own(-i);
        }
        return no_overload("-_", v);
    }

    // `&&` and `||` as CEL defines them: commutative, an error absorbed when the other side
    // decides (`false && error` and `error && false` are both false).
    base::Result<Value> logical(const Node& node) {
        bool decisive = node.kind == NodeKind::Or;
        std::string_view function = decisive ? "_||_" : "_&&_";
        std::optional<base::Error> first_error;
        for (const auto& child : node.children) {
            auto side = eval(*child);
            if (side.ok() && side->get().is_boolean()) {
                if (side->get().get<bool>() == decisive) {
                    return Value::own(decisive);
                }
                continue;
            }
            if (!first_error) {
                first_error = side.ok() ? no_overload(function, side->get()) : side.error();
            }
        }
        if (first_error) {
            return *first_error;
        }
        return Value::own(!decisive);
    }

    base::Result<Value> ternary(const Node& node) {
        auto condition = eval(*node.children[0]);
        if (!condition.ok()) {
            return condition;
        }
        if (!condition->get().is_boolean()) {
            return no_overload("_?_:_", condition->get());
        }
        return eval(*node.children[condition->get().get<bool>() ? 1 : 2]);
    }

    base::Result<Value> binary(const Node& node) {
        auto left = eval(*node.children[0]);
        if (!left.ok()) {
            return left;
        }
        auto right = eval(*node.children[1]);
        if (!right.ok()) {
            return right;
        }
        const Json& a = left->get();
        const Json& b = right->get();
        switch (node.op) {
            case BinaryOp::Equal:
            case BinaryOp::NotEqual: {
                auto same = equal(a, b, m_budget);
                if (!same.ok()) {
                    return same.error();
                }
                return Value::own(*same == (node.op == BinaryOp::Equal));
            }
            case BinaryOp::Less:
            case BinaryOp::LessEqual:
            case BinaryOp::Greater:
            case BinaryOp::GreaterEqual: {
                auto order = compare(a, b, node.op);
                if (!order.ok()) {
                    return order.error();
                }
                int o = *order;
                bool result = node.op == BinaryOp::Less        ? o < 0
                              : node.op == BinaryOp::LessEqual ? o <= 0
                              : node.op == BinaryOp::Greater   ? o > 0
                                                               : o >= 0;
                return Value::own(result);
            }
            case BinaryOp::In:
                return contains(a, b);
            default:
                return own(arithmetic(node.op, a, b, m_budget));
        }
    }

    base::Result<Value> contains(const Json& element, const Json& container) {
        if (container.is_object()) {
            return Value::own(element.is_string() &&
                              container.contains(element.get_ref<const std::string&>()));
        }
        if (!container.is_array()) {
            return no_overload("@in", element, container);
        }
        for (const auto& item : container) {
            auto same = equal(element, item, m_budget);
            if (!same.ok()) {
                return same.error();
            }
            if (*same) {
                return Value::own(true);
            }
        }
        return Value::own(false);
    }

    const Json& m_variables;
    Budget m_budget;
};

}  // namespace

base::Result<nlohmann::json> evaluate_tree(const Node& root, const nlohmann::json& variables) {
    return Evaluator(variables).run(root);
}

}  // namespace kfrun::engine::cel
