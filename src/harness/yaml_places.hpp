#pragma once
// YamlPlaces: reading a test file's YAML with every error naming file:line:col, and refusing
// keys the format does not know (a typo must not silently skip a check).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "base/result.hpp"

namespace kfrun::harness {

class YamlPlaces {
public:
    explicit YamlPlaces(std::filesystem::path file) : m_file(std::move(file)) {}

    const std::filesystem::path& file() const { return m_file; }
    // The folder relative paths in the file are resolved against.
    std::filesystem::path folder() const { return m_file.parent_path(); }
    std::filesystem::path resolve(const std::string& relative) const;
    // resolve(), for a path kfrun reads or writes as root (`golden`, an input `file`, an
    // `image-map-file`): it must stay in the test file's project (base::project_root), or a
    // test file found in a cloned repository could send /etc/shadow to a step or overwrite a
    // host file with --update-golden. `node` is where the path is written.
    base::Result<std::filesystem::path> resolve_in_project(const YAML::Node& node,
                                                           const std::string& relative,
                                                           const std::string& what) const;

    // "file:line:col" of a node.
    std::string where(const YAML::Node& node) const;
    base::Error error(const YAML::Node& node, std::string message) const;

    // Keys of `node` outside `allowed` are an error naming the key's place.
    base::Result<void> check_keys(const YAML::Node& node, const std::vector<std::string>& allowed,
                                  const std::string& context) const;
    // A scalar as written (quoted or not); structured values are an error.
    base::Result<std::string> scalar(const YAML::Node& node, const std::string& what) const;
    // A scalar as written, or a structure as compact JSON (a parameter or input value).
    static std::string value_text(const YAML::Node& node);
    // A string, or a list of strings.
    base::Result<std::vector<std::string>> strings(const YAML::Node& node,
                                                   const std::string& what) const;
    base::Result<double> number(const YAML::Node& node, const std::string& what) const;
    // A mapping NAME: IMAGE.
    base::Result<std::vector<std::pair<std::string, std::string>>> string_pairs(
        const YAML::Node& node, const std::string& what) const;

private:
    std::filesystem::path m_file;
};

}  // namespace kfrun::harness
