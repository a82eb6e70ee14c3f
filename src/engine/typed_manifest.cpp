#include "engine/typed_manifest.hpp"

#include <nlohmann/json.hpp>

#include "base/json_text.hpp"
#include "engine/placeholder.hpp"
#include "model/typed_value.hpp"

namespace kfrun::engine {

namespace {

constexpr std::string_view k_input_prefix = "{{inputs.parameters.";

// The typed input a string stands for whole ("{{inputs.parameters.X}}" of a non-STRING X).
const model::Parameter* whole_typed_input(const std::string& text,
                                          const std::vector<model::Parameter>& inputs) {
    if (text.size() <= k_input_prefix.size() + 2 || text.rfind(k_input_prefix, 0) != 0 ||
        text.compare(text.size() - 2, 2, "}}") != 0) {
        return nullptr;
    }
    const std::string name =
        text.substr(k_input_prefix.size(), text.size() - k_input_prefix.size() - 2);
    for (const model::Parameter& input : inputs) {
        if (input.name == name) {
            return input.type.empty() || input.type == model::k_type_string ? nullptr : &input;
        }
    }
    return nullptr;
}

base::Result<void> substitute_members(nlohmann::json& value,
                                      const std::vector<model::Parameter>& inputs,
                                      const Scope& scope) {
    if (value.is_string()) {
        const std::string text = value.get<std::string>();
        auto substituted = substitute(text, scope);
        KFRUN_TRY(substituted);
        if (const model::Parameter* input = whole_typed_input(text, inputs);
            input != nullptr && *substituted != text) {
            auto typed = model::typed_value(*substituted, input->type);
            if (!typed.ok()) {
                return base::make_error(typed.error().kind, "input parameter " + input->name +
                                                                ": " + typed.error().message);
            }
            value = std::move(*typed);
        } else {
            value = std::move(*substituted);
        }
        return base::ok();
    }
    if (value.is_object() || value.is_array()) {
        for (auto& item : value) {
            KFRUN_TRY(substitute_members(item, inputs, scope));
        }
    }
    return base::ok();
}

}  // namespace

base::Result<std::string> substitute_typed_manifest(const std::string& manifest,
                                                    const std::vector<model::Parameter>& inputs,
                                                    const Scope& scope) {
    auto object = nlohmann::json::parse(manifest, nullptr, false);
    if (object.is_discarded()) {
        return base::make_error(base::ErrorKind::Internal,
                                "the resource manifest the front end wrote is not JSON");
    }
    KFRUN_TRY(substitute_members(object, inputs, scope));
    return base::json_text(object);
}

}  // namespace kfrun::engine
