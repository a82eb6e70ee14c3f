#pragma once
// The entry point: after a run, write report.html, junit.xml and summary.md next to its
// report.json, and copy the step outputs into <run dir>/artifacts/ so the folder is portable.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "engine/artifact_store.hpp"

namespace kfrun::report {

struct RunReportFiles {
    std::filesystem::path html;
    std::filesystem::path junit;
    std::filesystem::path summary;
    std::vector<std::string> warnings;  // e.g. artifacts that could not be copied
};

// Writes the three files (each through a temporary file and a rename). Fails only when a file
// cannot be written; problems with the report's content or single artifacts become notices
// and warnings in the output.
base::Result<RunReportFiles> write_run_reports(const nlohmann::json& report,
                                               engine::ArtifactStore& store,
                                               const std::filesystem::path& run_dir);

// Writes `content` to `path` through a temporary sibling and a rename.
base::Result<void> write_file_atomically(const std::filesystem::path& path,
                                         std::string_view content);

}  // namespace kfrun::report
