#pragma once
// Workflow preflight: every check that can refuse a run before anything starts — validation,
// the run options (privileged steps, secrets), binding the parameters — as one Input error
// listing each problem with its place. Warnings come back for printing.
#include <vector>

#include "base/result.hpp"
#include "engine/diagnostic.hpp"
#include "engine/run_options.hpp"
#include "model/workflow.hpp"

namespace kfrun::cli {

base::Result<std::vector<engine::Diagnostic>> preflight_workflow(const model::Workflow& workflow,
                                                                 const engine::RunOptions& options);

}  // namespace kfrun::cli
