#pragma once
// Run history: a copy of every run's report kept under the data directory (so `kfrun runs
// show`, `compare` and `report` work after the run folder is deleted), and finding runs by ID.
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "cli/app_paths.hpp"
#include "store/run_index.hpp"

namespace kfrun::cli {

std::filesystem::path kept_report_path(const AppPaths& paths, const std::string& run_id);
base::Result<void> keep_report_copy(const AppPaths& paths, const nlohmann::json& report);

// The run's report: its folder's report.json if it is still there, else the kept copy.
base::Result<nlohmann::json> load_run_report(const AppPaths& paths, const store::RunRecord& run);

// The run with this ID or unique ID prefix; an Input error when there is none.
base::Result<store::RunRecord> find_run(store::RunIndex& runs, const std::string& id_or_prefix);

}  // namespace kfrun::cli
