// Fuzz target: a KFP component spec (src/component/component_loader), compiled into a one-step
// Workflow with every input given a value (component_workflow), then validated.
#include <cstddef>
#include <cstdint>
#include <string>

#include "component/component_loader.hpp"
#include "component/component_workflow.hpp"
#include "engine/validator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto spec = kfrun::component::load_component_text(text, "component.yaml");
    if (!spec.ok()) {
        return 0;
    }
    kfrun::component::ComponentArguments arguments;
    for (const auto& input : spec->inputs) {
        arguments.values[input.name] = "x";
    }
    auto workflow = kfrun::component::build_component_workflow(*spec, arguments);
    if (workflow.ok()) {
        (void)kfrun::engine::validate_workflow(workflow->workflow);
    }
    return 0;
}
