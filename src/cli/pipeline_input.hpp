#pragma once
// Pipeline input: loading and validating a pipeline file, and reading the parameter and
// image-map files that go with it.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "cli/terminal.hpp"
#include "engine/diagnostic.hpp"
#include "engine/image_map.hpp"
#include "engine/run_options.hpp"
#include "model/workflow.hpp"

namespace kfrun::cli {

struct LoadedPipeline {
    model::Workflow workflow;
    std::vector<engine::Diagnostic> diagnostics;
    bool valid() const { return !engine::has_errors(diagnostics); }
};

// Loads and validates; an Error only when the file cannot be read or parsed at all.
// With skip_unsupported, errors about steps kfrun cannot run become warnings.
base::Result<LoadedPipeline> load_pipeline(const std::filesystem::path& file,
                                           bool skip_unsupported = false);
// Prints diagnostics as "where: error: message" lines on stderr (infos only when verbose).
void print_diagnostics(const std::vector<engine::Diagnostic>& diagnostics, const Terminal& terminal,
                       bool verbose);

// --parameter-file: a YAML/JSON mapping {name: value}, or Argo's list [{name, value}].
base::Result<std::vector<std::pair<std::string, std::string>>> read_parameter_file(
    const std::filesystem::path& file);
// --image-map-file: a YAML mapping {pattern: image}, or lines "PATTERN=IMAGE" (# comments).
base::Result<std::vector<engine::ImageMap::Rule>> read_image_map_file(
    const std::filesystem::path& file);
// --secret/--config-map NAME=DIR: the directory's regular files are the keys.
base::Result<engine::RunOptions::LocalObjectSource> read_object_directory(
    const std::string& assignment, const std::string& flag, std::string& name);
// A Kubernetes Secret/ConfigMap key: [-._a-zA-Z0-9]+, at most 253 characters, not "." or "..".
bool is_valid_secret_key(std::string_view key);

// --secrets-file: YAML {secret-name: {key: value}}. Names and keys must be valid keys (they
// become file names): otherwise an Input error naming the file and the key.
base::Result<std::map<std::string, std::map<std::string, std::string>>> read_secrets_file(
    const std::filesystem::path& file);
// "NAME=VALUE" for -p.
base::Result<std::pair<std::string, std::string>> parse_assignment(const std::string& text,
                                                                   const std::string& flag);

}  // namespace kfrun::cli
