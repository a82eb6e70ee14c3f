#include "harness/yaml_places.hpp"

#include <cstdlib>

#include "base/json_text.hpp"
#include "base/project_folder.hpp"
#include "base/strings.hpp"
#include "model/yaml_json.hpp"

namespace kfrun::harness {

std::filesystem::path YamlPlaces::resolve(const std::string& relative) const {
    std::filesystem::path path(relative);
    if (path.is_absolute()) {
        return path.lexically_normal();
    }
    return (folder() / path).lexically_normal();
}

base::Result<std::filesystem::path> YamlPlaces::resolve_in_project(const YAML::Node& node,
                                                                   const std::string& relative,
                                                                   const std::string& what) const {
    std::filesystem::path path = resolve(relative);
    const std::filesystem::path root = base::project_root(m_file);
    if (!base::is_inside(path, root)) {
        return error(node, what + " names " + relative + ", outside this test file's project (" +
                               root.string() +
                               "): a test file may only name files of its own project");
    }
    return path;
}

std::string YamlPlaces::where(const YAML::Node& node) const {
    std::string out = m_file.string();
    YAML::Mark mark = node.Mark();
    if (mark.line >= 0) {
        out += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    }
    return out;
}

base::Error YamlPlaces::error(const YAML::Node& node, std::string message) const {
    return base::make_error(base::ErrorKind::Input, std::move(message), where(node));
}

base::Result<void> YamlPlaces::check_keys(const YAML::Node& node,
                                          const std::vector<std::string>& allowed,
                                          const std::string& context) const {
    if (!node.IsMap()) {
        return error(node, context + " must be a mapping");
    }
    for (const auto& entry : node) {
        const std::string key = entry.first.Scalar();
        bool known = false;
        for (const std::string& name : allowed) {
            known = known || name == key;
        }
        if (!known) {
            return error(entry.first, "unknown key `" + key + "` in " + context +
                                          "; expected one of: " + base::join(allowed, ", "));
        }
    }
    return base::ok();
}

base::Result<std::string> YamlPlaces::scalar(const YAML::Node& node,
                                             const std::string& what) const {
    if (!node.IsScalar()) {
        return error(node, what + " must be a single value");
    }
    return node.Scalar();
}

std::string YamlPlaces::value_text(const YAML::Node& node) {
    if (node.IsScalar()) {
        return node.Scalar();
    }
    if (node.IsNull()) {
        return "";
    }
    return base::json_text(model::yaml_to_json(node));
}

base::Result<std::vector<std::string>> YamlPlaces::strings(const YAML::Node& node,
                                                           const std::string& what) const {
    std::vector<std::string> out;
    if (node.IsScalar()) {
        out.push_back(node.Scalar());
        return out;
    }
    if (!node.IsSequence()) {
        return error(node, what + " must be a string or a list of strings");
    }
    for (const YAML::Node& item : node) {
        if (!item.IsScalar()) {
            return error(item, what + " must be a string or a list of strings");
        }
        out.push_back(item.Scalar());
    }
    return out;
}

base::Result<double> YamlPlaces::number(const YAML::Node& node, const std::string& what) const {
    if (node.IsScalar()) {
        const std::string text = node.Scalar();
        char* end = nullptr;
        double value = std::strtod(text.c_str(), &end);
        if (!text.empty() && end != nullptr && *end == '\0') {
            return value;
        }
    }
    return error(node, what + " must be a number");
}

base::Result<std::vector<std::pair<std::string, std::string>>> YamlPlaces::string_pairs(
    const YAML::Node& node, const std::string& what) const {
    std::vector<std::pair<std::string, std::string>> out;
    if (!node.IsMap()) {
        return error(node, what + " must be a mapping");
    }
    for (const auto& entry : node) {
        if (!entry.second.IsScalar()) {
            return error(entry.second, what + ": `" + entry.first.Scalar() +
                                           "` must map to a single value");
        }
        out.emplace_back(entry.first.Scalar(), entry.second.Scalar());
    }
    return out;
}

}  // namespace kfrun::harness
