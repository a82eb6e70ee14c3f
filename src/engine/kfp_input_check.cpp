#include "engine/kfp_input_check.hpp"

#include "engine/step_runner.hpp"
#include "model/typed_value.hpp"

namespace kfrun::engine {

std::optional<std::string> kfp_input_problem(const Node& node, const model::Template& tmpl,
                                             bool dry_run) {
    for (const model::Parameter& declared : tmpl.inputs.parameters) {
        if (declared.type.empty()) {
            continue;
        }
        const std::string* value = nullptr;
        for (const auto& [name, text] : node.input_parameters) {
            if (name == declared.name) {
                value = &text;
            }
        }
        if (value == nullptr) {
            if (declared.optional) {
                continue;  // left out of the executor input
            }
            return "input parameter `" + declared.name + "` (" + declared.type +
                   "): neither value nor default value provided";
        }
        if (declared.type == model::k_type_string || (dry_run && is_dry_run_value(*value))) {
            continue;
        }
        auto typed = model::typed_value(*value, declared.type);
        if (!typed.ok()) {
            return "input parameter `" + declared.name +
                   "` type mismatch: " + typed.error().message;
        }
    }
    return std::nullopt;
}

}  // namespace kfrun::engine
