#pragma once
// YAML → JSON with YAML 1.1-style typing of plain scalars (numbers, booleans, null); quoted
// scalars stay strings. Shared by the front ends and by the engine's Kubernetes manifests.
#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "base/result.hpp"

namespace kfrun::model {

nlohmann::json yaml_to_json(const YAML::Node& node);
// Parses YAML (or JSON) text; the error names the line and column.
base::Result<nlohmann::json> parse_yaml_text(const std::string& text);

// Limits yaml-bytes and yaml-nodes (base/limits.hpp). yaml-cpp shares the node an alias names,
// so a 1 KB file can stand for billions of nodes once anything walks or converts it ("billion
// laughs"): this walks it counting every node and scalar byte as if aliases were expanded, and
// stops at the limit, before any other code walks it. `where`: the file name for the error.
base::Result<void> check_yaml_text_size(std::size_t bytes, const std::string& where);
// Reads a whole file, refusing one larger than `max_bytes` (without reading it all: a FIFO
// or /dev/zero ends at the limit too). The error names `limit` (a base::Limits name).
base::Result<std::string> read_file_at_most(const std::filesystem::path& file,
                                            std::uint64_t max_bytes, const std::string& limit);
base::Result<void> check_yaml_expansion(const YAML::Node& root, const std::string& where);

}  // namespace kfrun::model
