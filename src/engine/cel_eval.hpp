#pragma once
// Walks a CEL tree over the variables (cel-spec langdef.md, "Evaluation"). Internal: callers use
// evaluate (cel_expression.hpp).
#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "engine/cel_ast.hpp"

namespace kfrun::engine::cel {

// The value of `root`; errors (ErrorKind::Step) say what failed, without the expression:
// "no such key: x".
base::Result<nlohmann::json> evaluate_tree(const Node& root, const nlohmann::json& variables);

}  // namespace kfrun::engine::cel
