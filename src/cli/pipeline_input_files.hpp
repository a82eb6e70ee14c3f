#pragma once
// `kfrun run PIPELINE --input-file NAME=PATH`: the pipeline's input artifacts (KFP v2
// root.inputDefinitions.artifacts, an Argo entrypoint's inputs.artifacts) from host files or
// directories, checked against the pipeline before anything starts.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "model/workflow.hpp"

namespace kfrun::cli {

// artifact name → host path (absolute). An Input error for a malformed or repeated flag, a
// missing path, a name the pipeline does not declare, or a required artifact not given.
base::Result<std::vector<std::pair<std::string, std::filesystem::path>>> pipeline_input_files(
    const model::Workflow& workflow, const std::vector<std::string>& assignments);

}  // namespace kfrun::cli
