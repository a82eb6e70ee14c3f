#pragma once
// The syntax tree of a CEL expression (cel_parser makes it, cel_eval walks it). Internal to the
// engine: callers use cel_expression.hpp.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kfrun::engine::cel {

// What the parser knows of a node's CEL type before evaluation; Dyn when it depends on data.
enum class StaticType { Dyn, Null, Bool, Int, Uint, Double, String, List, Map };

enum class NodeKind {
    Literal,  // `literal`
    Ident,    // a top-level variable: `name`
    Select,   // children[0].name
    Index,    // children[0][children[1]]
    Call,     // name(children...); a receiver call `x.f(a)` is f(x, a) with `receiver` set
    List,     // [children...]
    Map,      // {children[0]: children[1], ...}
    Not,      // !children[0]
    Negate,   // -children[0]
    Binary,   // children[0] op children[1]
    And,      // children[0] && children[1]
    Or,       // children[0] || children[1]
    Ternary,  // children[0] ? children[1] : children[2]
    Has,      // has(children[0].name)
};

enum class BinaryOp {
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    In,
    Add,
    Sub,
    Mul,
    Div,
    Mod
};

struct Node {
    NodeKind kind = NodeKind::Literal;
    std::size_t offset = 0;  // byte offset in the text, for messages
    nlohmann::json
        literal;  // Literal: number_integer = int, number_unsigned = uint, number_float = double
    std::string name;  // Ident, Select, Has: the name; Call: the function
    BinaryOp op = BinaryOp::Equal;
    bool receiver = false;
    StaticType type = StaticType::Dyn;
    int depth = 1;  // 1 + the deepest child's depth
    std::vector<std::unique_ptr<Node>> children;
};

// CEL's name of a binary operator's function, as cel-go's messages spell it: `_==_`, `_in_`.
std::string_view operator_function(BinaryOp op);
// "int", "double", "map", ... (Dyn: "dyn").
std::string_view type_name(StaticType type);

}  // namespace kfrun::engine::cel
