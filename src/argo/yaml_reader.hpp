#pragma once
// YamlReader: reads yaml-cpp nodes while recording where each field came from and what was
// left unread, so the loader can name file:line:col for any later error.
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "base/result.hpp"
#include "model/workflow.hpp"
#include "model/yaml_json.hpp"

namespace kfrun::argo {

class YamlReader {
public:
    YamlReader(model::SourceMap& sources, std::vector<model::Notice>& notices)
        : m_sources(sources), m_notices(notices) {}

    // Records the node's position under `path`.
    void mark(const YAML::Node& node, const std::string& path);
    // The scalar text of node[key], if present (numbers and booleans as written).
    std::optional<std::string> scalar(const YAML::Node& node, const std::string& key,
                                      const std::string& path);
    std::string scalar_or(const YAML::Node& node, const std::string& key, const std::string& path,
                          std::string fallback = {});
    std::vector<std::string> strings(const YAML::Node& node, const std::string& key,
                                     const std::string& path);
    std::map<std::string, std::string> string_map(const YAML::Node& node, const std::string& key,
                                                  const std::string& path);
    bool boolean(const YAML::Node& node, const std::string& key, const std::string& path,
                 bool fallback = false);

    // Notes keys of a mapping that the loader does not read: `ignored` ones are accepted and
    // listed once; any other key is reported as unsupported (an error at validation).
    void check_keys(const YAML::Node& node, const std::string& path,
                    const std::set<std::string>& known, const std::set<std::string>& ignored);
    void notice(model::Notice::Severity severity, const std::string& path, std::string message);

    base::Error error(const std::string& path, std::string message) const;
    const model::SourceMap& sources() const { return m_sources; }

private:
    model::SourceMap& m_sources;
    std::vector<model::Notice>& m_notices;
};

using model::yaml_to_json;

}  // namespace kfrun::argo
