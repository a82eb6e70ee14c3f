#pragma once
// Run preflight: the checks that depend on the run's options as well as the pipeline — a
// privileged step without --allow-privileged, a hostPath outside --allow-host-path (the
// security policy, security_policy.hpp), a Secret or ConfigMap no --secret/--config-map
// provides. Like validation, it runs before any container starts.
#include <vector>

#include "engine/diagnostic.hpp"
#include "engine/run_options.hpp"
#include "model/workflow.hpp"

namespace kfrun::engine {

std::vector<Diagnostic> check_run_options(const model::Workflow& workflow,
                                          const RunOptions& options);

}  // namespace kfrun::engine
