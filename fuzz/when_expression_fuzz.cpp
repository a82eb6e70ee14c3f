// Fuzz target: `when` expressions (src/engine/when_expression), after substitution, as Argo
// evaluates them (govaluate): syntax check and evaluation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/when_expression.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)kfrun::engine::check_when_syntax(text);
    (void)kfrun::engine::evaluate_when(text);
    return 0;
}
