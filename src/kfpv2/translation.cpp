#include "kfpv2/translation.hpp"

#include "base/json_fields.hpp"

namespace kfrun::kfpv2 {

const nlohmann::json& member(const nlohmann::json& object, const char* key) {
    return base::json_fields::member(object, key);
}

std::string text_member(const nlohmann::json& object, const char* key) {
    return base::json_fields::string_of(object, key);
}

std::string join_path(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

std::string Translation::path(const std::string& rel) const {
    return join_path(docs.spec_base, rel);
}

base::Error Translation::error(const std::string& rel, std::string message) const {
    return base::make_error(base::ErrorKind::Input, std::move(message),
                            workflow.sources.describe(path(rel)));
}

void Translation::notice(model::Notice::Severity severity, const std::string& absolute_path,
                         std::string message) {
    workflow.notices.push_back(model::Notice{severity, absolute_path, std::move(message)});
}

std::string Translation::unique_name(const std::string& wanted) {
    std::string name = wanted;
    for (int n = 2; !used_names.insert(name).second; ++n) {
        name = wanted + "-" + std::to_string(n);
    }
    return name;
}

const nlohmann::json& Translation::component(const std::string& name) const {
    const nlohmann::json& components = member(spec, "components");
    static const nlohmann::json k_null;
    if (!components.is_object() || !components.contains(name)) {
        return k_null;
    }
    return components[name];
}

const nlohmann::json& Translation::executor(const std::string& label) const {
    const nlohmann::json& executors = member(member(spec, "deploymentSpec"), "executors");
    static const nlohmann::json k_null;
    if (!executors.is_object() || !executors.contains(label)) {
        return k_null;
    }
    return executors[label];
}

const nlohmann::json& Translation::platform_executor(const std::string& label) const {
    const nlohmann::json& executors = member(member(docs.platform, "deploymentSpec"), "executors");
    static const nlohmann::json k_null;
    if (!executors.is_object() || !executors.contains(label)) {
        return k_null;
    }
    return executors[label];
}

std::optional<std::string> whole_input_placeholder(const std::string& text) {
    const std::string prefix = "{{$.inputs.parameters['";
    const std::string suffix = "']}}";
    if (text.size() <= prefix.size() + suffix.size() || text.rfind(prefix, 0) != 0 ||
        text.compare(text.size() - suffix.size(), suffix.size(), suffix) != 0) {
        return std::nullopt;
    }
    std::string name = text.substr(prefix.size(), text.size() - prefix.size() - suffix.size());
    if (name.find('\'') != std::string::npos) {
        return std::nullopt;
    }
    return name;
}

}  // namespace kfrun::kfpv2
