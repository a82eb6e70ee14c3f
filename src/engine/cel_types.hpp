#pragma once
// The static side of CEL's types: what kind a node has when the text alone tells (a literal,
// `int(...)`, a comparison), and the mixes cel-go's type checker rejects before evaluation
// (`1 == 1.0`, `'a' < 1`, `!5`, `int(true)`, an undeclared function). Data-dependent operands
// are Dyn and checked at evaluation instead. Internal to cel_parser.
#include "base/result.hpp"
#include "engine/cel_ast.hpp"

namespace kfrun::engine::cel {

// The static type of `node`, whose children are typed already; an error names the overload
// that does not exist: "found no matching overload for '_==_' applied to '(int, double)'".
base::Result<StaticType> static_type(const Node& node);

}  // namespace kfrun::engine::cel
