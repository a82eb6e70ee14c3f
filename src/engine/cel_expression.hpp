#pragma once
// CEL expressions as the KFP v2 backend evaluates them (backend/src/v2/expression): a task's
// `triggerPolicy.condition` over the executor input, and a `parameterExpressionSelector` such as
// `parseJson(string_value)["a"]` over a resolved value. A real parser and a dynamically typed
// evaluator for the subset KFP writes and a little more: literals (int, `7u`, double, single-,
// double-, triple-quoted and raw strings with CEL's escapes, true/false/null, lists, maps with
// string keys), `! - * / % + - < <= > >= == != in && || ?:`, `.field`, `[index]`, and the
// functions int, uint, double, string, bool, dyn, size, has, parseJson and the string methods
// contains/startsWith/endsWith. No macros (all/exists/map/filter), bytes, timestamps or regexes.
//
// Values (the caller's convention): the variables are JSON and a JSON kind is a CEL type:
// number_float is a CEL double, number_integer an int, number_unsigned a uint, object a map,
// array a list. KFP's parameter values are google.protobuf.Values, so their numbers are doubles:
// bind them as number_float (`inputs.parameter_values['x']` of 7 is 7.0, and the compiler writes
// `int(...)` around it for an integer input). Results come back with the same mapping.
//
// As in cel-go: int, uint and double are distinct (`1 + 1.0` is an error) but compare and are
// equal across kinds (`7.0 == 7`, `2.5 > 2`); `==` of different kinds is false, not an error;
// int arithmetic that overflows, a division by zero and a missing map key are errors; `&&`/`||`
// absorb an error when the other side decides (`false && error` is false, either way round).
// A mix of statically known kinds that cel-go's type checker rejects (`1 == 1.0`, `'a' < 1`,
// `int(true)`) is rejected by parse_cel. Hostile text is bounded: 64 KiB, 128 levels of nesting,
// and a budget on the work and memory one evaluation may spend.
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.hpp"

namespace kfrun::engine {

namespace cel {
struct Node;
}

inline constexpr std::size_t k_cel_max_text_bytes = 64 * 1024;
inline constexpr int k_cel_max_depth = 128;

// A parsed expression: immutable, cheap to copy, safe to evaluate from several threads.
class CelProgram {
  public:
    CelProgram(std::string text, std::shared_ptr<const cel::Node> root)
        : m_text(std::move(text)), m_root(std::move(root)) {}
    const std::string& text() const { return m_text; }
    const cel::Node& root() const { return *m_root; }

  private:
    std::string m_text;
    std::shared_ptr<const cel::Node> m_root;
};

// Parses `text`. An error (ErrorKind::Input) names the expression and the column:
// `CEL expression "a ==": syntax error at column 5: expected an operand, found the end`.
base::Result<CelProgram> parse_cel(std::string_view text);

// Evaluates with `variables` (a JSON object: each key a top-level variable, e.g. `inputs`, or
// `string_value`). An error (ErrorKind::Step) names the expression and what failed:
// `CEL expression "parseJson(string_value)['b']": no such key: b`.
base::Result<nlohmann::json> evaluate(const CelProgram& program, const nlohmann::json& variables);

// evaluate() for a `triggerPolicy.condition`: the result must be a bool. Errors read
// `condition "int(inputs.parameter_values['x']) > 5": no such key: x` and
// `condition "…" evaluated to a string, not a bool`.
base::Result<bool> evaluate_condition(const CelProgram& program, const nlohmann::json& variables);

}  // namespace kfrun::engine
