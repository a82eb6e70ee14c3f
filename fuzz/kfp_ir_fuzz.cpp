// Fuzz target: KFP v2 IR YAML (pipeline spec, and platform spec as a second document) → model
// (src/kfpv2) → validation (src/engine/validator). Any input must end as a value or an error
// with a place; never a crash, a hang or an escape.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/validator.hpp"
#include "kfpv2/ir_documents.hpp"
#include "kfpv2/ir_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    (void)kfrun::kfpv2::is_ir_text(text);
    auto workflow = kfrun::kfpv2::load_ir_text(text, "fuzz.yaml");
    if (workflow.ok()) {
        (void)kfrun::engine::validate_workflow(*workflow);
    } else {
        (void)workflow.error().to_string();
    }
    return 0;
}
