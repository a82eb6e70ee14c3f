// Fuzz target: Argo Workflow YAML → model (src/argo) → validation (src/engine/validator).
// Any input must end as a value or an error with a place; never a crash, a hang or an escape.
#include <cstddef>
#include <cstdint>
#include <string>

#include "argo/workflow_loader.hpp"
#include "engine/validator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto workflow = kfrun::argo::load_workflow_text(text, "fuzz.yaml");
    if (workflow.ok()) {
        (void)kfrun::engine::validate_workflow(*workflow);
    } else {
        (void)workflow.error().to_string();
    }
    return 0;
}
