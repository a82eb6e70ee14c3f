// Fuzz target: CEL expressions (src/engine/cel_expression), as a KFP v2 pipeline's
// triggerPolicy.condition or parameterExpressionSelector brings them: parse, then evaluate over
// an executor input. The first line is the expression; the rest, when it is JSON, is bound as
// `inputs.parameter_values` and its text as `string_value`.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/json_depth.hpp"
#include "engine/cel_expression.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::size_t newline = input.find('\n');
    std::string_view text = input.substr(0, newline);
    std::string_view rest = newline == input.npos ? std::string_view() : input.substr(newline + 1);
    auto program = kfrun::engine::parse_cel(text);
    if (!program.ok()) {
        return 0;
    }
    nlohmann::json values = {{"x", 7.0}, {"s", "heads"}, {"l", {1.0, "a"}}};
    if (kfrun::base::json_depth_within_limit(rest)) {
        auto parsed = nlohmann::json::parse(rest, nullptr, false);
        if (!parsed.is_discarded()) {
            values = std::move(parsed);
        }
    }
    nlohmann::json variables = {
        {"inputs", {{"parameter_values", values}, {"parameters", nlohmann::json::object()}}},
        {"string_value", std::string(rest)}};
    (void)kfrun::engine::evaluate(*program, variables);
    (void)kfrun::engine::evaluate_condition(*program, variables);
    return 0;
}
