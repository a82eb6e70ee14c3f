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

// Limits yaml-bytes for a file's text (base/limits.hpp). The text's nodes and bytes with its
// aliases expanded ("billion laughs") are bounded while it is read, by load_yaml_document(s)
// (model/yaml_documents.hpp), before yaml-cpp builds a node. `where`: the file name for errors.
base::Result<void> check_yaml_text_size(std::size_t bytes, const std::string& where);
// Reads a whole file, refusing one larger than `max_bytes` (without reading it all: a FIFO
// or /dev/zero ends at the limit too). The error names `limit` (a base::Limits name).
base::Result<std::string> read_file_at_most(const std::filesystem::path& file,
                                            std::uint64_t max_bytes, const std::string& limit);

}  // namespace kfrun::model
