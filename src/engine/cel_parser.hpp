#pragma once
// CEL's grammar (cel-spec langdef.md, "Syntax") to a tree, with the static checks cel-go's type
// checker would make where both kinds are known from the text (`1 == 1.0`, `int(true)`).
// Internal: callers use parse_cel (cel_expression.hpp).
#include <memory>
#include <string_view>

#include "base/result.hpp"
#include "engine/cel_ast.hpp"

namespace kfrun::engine::cel {

// Errors (ErrorKind::Input) carry the position: "syntax error at column 5: ...".
base::Result<std::unique_ptr<Node>> parse_tree(std::string_view text);

}  // namespace kfrun::engine::cel
