#pragma once
// Task outputs in scope: after a task node is fulfilled its outputs become `tasks.X.*` (or
// `steps.X.*`) for the tasks that follow, aggregated as Argo does for loops.
#include <string>
#include <vector>

#include "engine/run_state.hpp"
#include "engine/scope.hpp"

namespace kfrun::engine {

// Sets `<prefix>.outputs.parameters.P`, `.outputs.result`, `.outputs.artifacts.A`, `.exitCode`,
// `.status`, `.id`, `.startedAt`, `.finishedAt` for a fulfilled node (prefix: "tasks.x").
// For a loop (TaskGroup) the parameters and result are JSON lists over the Succeeded
// iterations in index order (a result that is not JSON is recorded as unresolvable), and each
// output artifact a list of the iterations' artifacts (KFP v2's dsl.Collected).
void record_task_outputs(Scope& scope, const std::string& prefix, const RunState& state,
                         const Node& node);

// Sets `<prefix>.outputs.parameters[.P]` and `.outputs.result` aggregated over loop
// iterations: JSON lists over the Succeeded ones, in index order.
void record_loop_outputs(Scope& scope, const std::string& prefix, const RunState& state,
                         const std::vector<NodeIndex>& iterations);

// Sets `<prefix><name>` for each name of `artifacts`: one artifact, or a list when a name holds
// several (a Collected list passed on).
void set_named_artifacts(Scope& scope, const std::string& prefix,
                         const std::vector<NamedArtifact>& artifacts);

// The node whose outputs a task reference means: a Retry node's last attempt, else the node.
const Node& effective_node(const RunState& state, const Node& node);

}  // namespace kfrun::engine
