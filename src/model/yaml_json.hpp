#pragma once
// YAML → JSON with YAML 1.1-style typing of plain scalars (numbers, booleans, null); quoted
// scalars stay strings. Shared by the front ends and by the engine's Kubernetes manifests.
#include <string>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "base/result.hpp"

namespace kfrun::model {

nlohmann::json yaml_to_json(const YAML::Node& node);
// Parses YAML (or JSON) text; the error names the line and column.
base::Result<nlohmann::json> parse_yaml_text(const std::string& text);

}  // namespace kfrun::model
