#pragma once
// Writes a run's report files into its run directory: report.json (atomically), then
// report.html, junit.xml and summary.md (src/report).
#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>
#include "base/result.hpp"

#include "engine/artifact_store.hpp"
#include "engine/run_state.hpp"

namespace kfrun::cli {

struct ReportInput {
    std::filesystem::path run_dir;
    std::string pipeline_file;
    std::string pipeline_name;
    std::function<std::filesystem::path(const std::string& node_id)> log_file;
    nlohmann::json run_options;
    std::string resumed_from;
    std::string experiment;  // `kfrun run --experiment`; empty: none
};

// Writes report.json, report.html, junit.xml and summary.md into input.run_dir; returns the
// report.
base::Result<nlohmann::json> write_run_report(const engine::RunState& state,
                                              const ReportInput& input,
                                              engine::ArtifactStore& store);

// Writes `content` to `path` through a temporary file and a rename.
base::Result<void> write_file_atomically(const std::filesystem::path& path,
                                         const std::string& content);

}  // namespace kfrun::cli
