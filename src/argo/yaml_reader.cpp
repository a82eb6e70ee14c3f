#include "argo/yaml_reader.hpp"
#include "base/json_text.hpp"

#include <cstdlib>

namespace kfrun::argo {

void YamlReader::mark(const YAML::Node& node, const std::string& path) {
    YAML::Mark mark = node.Mark();
    if (mark.line >= 0) {
        m_sources.record(path, model::SourceMark{mark.line + 1, mark.column + 1});
    }
}

std::optional<std::string> YamlReader::scalar(const YAML::Node& node, const std::string& key,
                                              const std::string& path) {
    YAML::Node child = node[key];
    if (!child || child.IsNull()) {
        return std::nullopt;
    }
    std::string child_path = path.empty() ? key : path + "." + key;
    mark(child, child_path);
    if (!child.IsScalar()) {
        // Some fields accept structured values; keep them as compact JSON text.
        return base::json_text(yaml_to_json(child));
    }
    return child.Scalar();
}

std::string YamlReader::scalar_or(const YAML::Node& node, const std::string& key,
                                  const std::string& path, std::string fallback) {
    auto value = scalar(node, key, path);
    return value ? *value : std::move(fallback);
}

std::vector<std::string> YamlReader::strings(const YAML::Node& node, const std::string& key,
                                             const std::string& path) {
    std::vector<std::string> out;
    YAML::Node list = node[key];
    if (!list || list.IsNull()) {
        return out;
    }
    std::string list_path = path + "." + key;
    mark(list, list_path);
    if (list.IsScalar()) {
        out.push_back(list.Scalar());
        return out;
    }
    std::size_t index = 0;
    for (const auto& item : list) {
        std::string item_path = list_path + "[" + std::to_string(index++) + "]";
        mark(item, item_path);
        out.push_back(item.IsScalar() ? item.Scalar() : base::json_text(yaml_to_json(item)));
    }
    return out;
}

std::map<std::string, std::string> YamlReader::string_map(const YAML::Node& node,
                                                          const std::string& key,
                                                          const std::string& path) {
    std::map<std::string, std::string> out;
    YAML::Node map = node[key];
    if (!map || !map.IsMap()) {
        return out;
    }
    mark(map, path + "." + key);
    for (const auto& entry : map) {
        const YAML::Node& value = entry.second;
        out[entry.first.Scalar()] =
            value.IsScalar() ? value.Scalar()
                             : (value.IsNull() ? "" : base::json_text(yaml_to_json(value)));
    }
    return out;
}

bool YamlReader::boolean(const YAML::Node& node, const std::string& key, const std::string& path,
                         bool fallback) {
    auto value = scalar(node, key, path);
    if (!value) {
        return fallback;
    }
    return *value == "true" || *value == "True" || *value == "TRUE" || *value == "yes";
}

void YamlReader::check_keys(const YAML::Node& node, const std::string& path,
                            const std::set<std::string>& known,
                            const std::set<std::string>& ignored) {
    if (!node.IsMap()) {
        return;
    }
    for (const auto& entry : node) {
        const std::string key = entry.first.Scalar();
        if (known.count(key) != 0) {
            continue;
        }
        std::string key_path = path.empty() ? key : path + "." + key;
        mark(entry.first, key_path);
        if (ignored.count(key) != 0) {
            notice(model::Notice::Severity::Ignored, key_path,
                   "`" + key + "` has no meaning on a local Docker daemon; ignored");
        } else {
            notice(model::Notice::Severity::Unsupported, key_path,
                   "`" + key + "` is not supported by kfrun");
        }
    }
}

void YamlReader::notice(model::Notice::Severity severity, const std::string& path,
                        std::string message) {
    m_notices.push_back(model::Notice{severity, path, std::move(message)});
}

base::Error YamlReader::error(const std::string& path, std::string message) const {
    return base::make_error(base::ErrorKind::Input, std::move(message), m_sources.describe(path));
}

}  // namespace kfrun::argo
