#pragma once
// Replay sources: the earlier run whose results `--only`, `--from` and `resume` reuse, read
// back from its report.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "cli/app_paths.hpp"
#include "engine/run_options.hpp"
#include "model/workflow.hpp"
#include "store/run_index.hpp"

namespace kfrun::cli {

// The run's parameters as they will be: the pipeline's defaults overlaid with `overrides`.
std::map<std::string, std::string> resolved_parameters(
    const model::Workflow& workflow,
    const std::vector<std::pair<std::string, std::string>>& overrides);

// The newest run of this pipeline file with exactly these parameters; an Input error saying how
// to get one when there is none.
base::Result<store::RunRecord> find_replay_source(store::RunIndex& runs,
                                                  const std::string& pipeline_file,
                                                  const std::map<std::string, std::string>& parameters);

// The previous results of every step of a run's report, by node name below its workflow name.
// The report is kfrun's file, but it may be damaged or edited: an output of another type than
// kfrun writes is an Io error naming its place in the report (steps[2].outputs.result), since
// replaying it would hand a step the wrong input.
base::Result<std::map<std::string, engine::PreviousResult>> previous_results(
    const nlohmann::json& report);

}  // namespace kfrun::cli
