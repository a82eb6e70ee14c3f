#pragma once
// StepTarget: the run and step a debugging command (`kfrun inspect`, `kfrun shell`) is about,
// found from what the user typed (a run ID prefix, a step name, label or node ID), and the
// step's persisted spec.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "cli/app_paths.hpp"
#include "cli/step_spec_file.hpp"

namespace kfrun::cli {

struct StepTarget {
    std::string run_id;
    std::filesystem::path run_dir;
    nlohmann::json report;  // the run's report (its folder's, else the history's copy)
    nlohmann::json step;    // the report's entry for the step
};

// Input errors for an unknown run or an unknown or ambiguous step (see step_lookup.hpp).
base::Result<StepTarget> find_step_target(const AppPaths& paths, const std::string& run,
                                          const std::string& step);

// The step's specs/<node id>.json. Input errors say why a step has none: it ran no container
// (skipped, omitted, a resource), it was reused from another run, or the run's folder is gone.
base::Result<StepSpecFile> load_step_spec(const StepTarget& target);

}  // namespace kfrun::cli
