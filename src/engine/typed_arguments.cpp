#include "engine/typed_arguments.hpp"

#include <cmath>

#include "base/json_depth.hpp"
#include "model/typed_value.hpp"

namespace kfrun::engine {

namespace {

base::Error argument_error(const model::Parameter& declared, const std::string& text,
                           const std::string& what) {
    std::string shown = text.size() > 60 ? text.substr(0, 60) + "…" : text;
    return base::make_error(base::ErrorKind::Input,
                            "pipeline input `" + declared.name + "` is " + declared.type +
                                ": `" + shown + "` " + what,
                            "-p " + declared.name);
}

}  // namespace

base::Result<std::string> typed_argument(const model::Parameter& declared,
                                         const std::string& text) {
    const std::string& type = declared.type;
    if (type.empty() || type == model::k_type_string) {
        return text;
    }
    if (!base::json_depth_within_limit(text)) {
        return argument_error(declared, text.substr(0, 60),
                              "nests deeper than the json-depth limit");
    }
    if (type == model::k_type_task_final_status) {
        return argument_error(declared, text,
                              "cannot be given: the exit handler fills it in (the API server "
                              "refuses a value for it)");
    }
    if (type == model::k_type_integer || type == model::k_type_double) {
        nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
        if (parsed.is_discarded() || !parsed.is_number()) {
            return argument_error(declared, text, "is not a number");
        }
        return model::canonical_text(nlohmann::json(parsed.get<double>()));
    }
    if (type == model::k_type_boolean) {
        if (text == "true" || text == "True" || text == "TRUE") {
            return std::string("true");
        }
        if (text == "false" || text == "False" || text == "FALSE") {
            return std::string("false");
        }
        return argument_error(declared, text, "is not true or false");
    }
    nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
    if (type == model::k_type_list) {
        if (parsed.is_discarded() || !parsed.is_array()) {
            return argument_error(declared, text, "is not a JSON list (such as [1, 2])");
        }
        return model::canonical_text(parsed);
    }
    if (type == model::k_type_struct || type == model::k_type_task_config) {
        if (parsed.is_discarded() || !parsed.is_object()) {
            return argument_error(declared, text, "is not a JSON object (such as {\"a\": 1})");
        }
        return model::canonical_text(parsed);
    }
    return argument_error(declared, text, "has a type kfrun does not know");
}

std::vector<std::string> typed_argument_warnings(const model::Parameter& declared,
                                                 const std::string& canonical) {
    std::vector<std::string> warnings;
    if (declared.type == model::k_type_integer) {
        auto value = model::typed_value(canonical, declared.type);
        if (value.ok() && std::trunc(value->get<double>()) != value->get<double>()) {
            warnings.push_back("pipeline input `" + declared.name + "` is NUMBER_INTEGER but `" +
                               canonical + "` is not a whole number (the KFP API server accepts "
                               "it too; components see it as is)");
        }
    }
    return warnings;
}

}  // namespace kfrun::engine
