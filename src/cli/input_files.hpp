#pragma once
// Input files of a run (`run-component --input-file`, a test case's {file: PATH}): each host
// file or directory stored in the artifact store, ready for engine::RunOptions::input_artifacts.
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "engine/artifact_store.hpp"

namespace kfrun::cli {

// `files`: artifact name → host path. A missing path is an Input error naming it.
base::Result<std::map<std::string, engine::ArtifactRef>> ingest_input_files(
    engine::ArtifactStore& store,
    const std::vector<std::pair<std::string, std::filesystem::path>>& files);

}  // namespace kfrun::cli
