#pragma once
// Run execution: one run of a loaded, validated workflow on the Docker daemon — executor,
// cache, run history, report files — shared by `kfrun run` and `kfrun test`.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "cli/workspace.hpp"
#include "engine/executor.hpp"
#include "engine/run_observer.hpp"
#include "model/workflow.hpp"

namespace kfrun::cli {

struct RunRequest {
    const model::Workflow* workflow = nullptr;
    engine::RunOptions options;  // complete (run id, workflow name, parameters, …)
    std::filesystem::path run_dir;
    std::string pipeline_file;
    std::string pipeline_name;
    std::string experiment;
    nlohmann::json run_options;  // the flags it was made with, kept in the report for `resume`
    std::string resumed_from;    // `resume`: the run it continues
    // Called with the executor before it runs (to register it for cancellation), and with
    // nullptr after it ran.
    std::function<void(engine::Executor*)> on_executor;
};

struct RunResult {
    engine::RunState state;
    // The run's cleanup could not finish (the Docker daemon went away): what it said. The owner
    // lock is left for the next command's sweep.
    std::optional<base::Error> cleanup_error;
    nlohmann::json report;
    std::filesystem::path run_dir;
};

// Runs the workflow and writes report.json (and the other report files) into run_dir, and
// records the run in the history. An Error only when the run could not be made or recorded.
base::Result<RunResult> execute_run(Workspace& workspace, const RunRequest& request,
                                    engine::RunObserver& observer,
                                    const std::function<std::filesystem::path(
                                        const std::string& node_id)>& log_file);

// The summary the run history keeps (and `kfrun runs list` shows), taken from a report.
nlohmann::json run_summary(const nlohmann::json& report, const std::string& experiment);

}  // namespace kfrun::cli
