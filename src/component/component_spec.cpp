#include "component/component_spec.hpp"

namespace kfrun::component {

const InputSpec* ComponentSpec::find_input(const std::string& input_name) const {
    for (const InputSpec& input : inputs) {
        if (input.name == input_name) {
            return &input;
        }
    }
    return nullptr;
}

const OutputSpec* ComponentSpec::find_output(const std::string& output_name) const {
    for (const OutputSpec& output : outputs) {
        if (output.name == output_name) {
            return &output;
        }
    }
    return nullptr;
}

}  // namespace kfrun::component
