#pragma once
// WhenExpression: Argo's `when` conditions, evaluated as govaluate does after substitution
// (bare words are strings, numbers are float64, `"3" == 3` is false, mixed `<` is an error).
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kfrun::engine {

// Evaluates a substituted `when` expression. Errors carry Argo's wording where it has one.
base::Result<bool> evaluate_when(std::string_view expression);
// Checks only the structure (for validation, where values are not known yet).
base::Result<void> check_when_syntax(std::string_view expression);

}  // namespace kfrun::engine
