#pragma once
// ExecutionContext: what node controllers (DAG, steps, loops, retries) may ask of the executor.
// Implemented by Executor; kept abstract so each controller stays small and testable.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/artifact_store.hpp"
#include "engine/node.hpp"
#include "engine/run_options.hpp"
#include "engine/run_state.hpp"
#include "engine/scope.hpp"
#include "model/workflow.hpp"

namespace kfrun::engine {

// An artifact argument of a template call, already resolved.
struct ArgumentArtifact {
    std::string name;
    std::optional<ArtifactRef> artifact;  // from `from:` (or an input of the caller)
    std::optional<std::string> raw;       // from `raw.data`
};

// A call of a template: becomes one node (and maybe a subtree).
struct CallRequest {
    std::string node_name;
    std::string display_name;
    std::string template_name;
    NodeIndex parent = k_no_node;
    NodeIndex boundary = k_no_node;
    std::vector<std::pair<std::string, std::string>> parameters;
    std::vector<ArgumentArtifact> artifacts;
    int depth = 0;           // nesting of template calls, for the recursion limit
    int retry_attempt = -1;  // >= 0: an attempt below a Retry node
    std::vector<NodeIndex> depends_on;  // the task nodes this call waited for
};

class NodeController;

class ExecutionContext {
public:
    virtual ~ExecutionContext() = default;

    virtual RunState& state() = 0;
    virtual const model::Workflow& workflow() const = 0;
    virtual const RunOptions& options() const = 0;
    virtual const Scope& globals() const = 0;
    virtual ArtifactStore& store() = 0;

    // Creates the call's node and starts it. The node may be fulfilled at once (an error, a
    // skipped step); its parent's controller hears about it through on_child_fulfilled.
    virtual NodeIndex call(CallRequest request) = 0;
    // Adds a node that is already fulfilled (Skipped/Omitted task nodes, task errors).
    virtual NodeIndex add_fulfilled(std::string name, std::string display_name, NodeType type,
                                    std::string template_name, NodeIndex parent,
                                    NodeIndex boundary, NodePhase phase, std::string message) = 0;
    // Marks a running node fulfilled and notifies its parent.
    virtual void finish(NodeIndex node, NodePhase phase, std::string message) = 0;
    // Hands the children of `node` to `controller` (it hears of each child's fulfilment).
    virtual void attach_controller(NodeIndex node, std::unique_ptr<NodeController> controller) = 0;
    // Runs `action` on the engine thread at `when` (retry backoff).
    virtual void after(std::chrono::steady_clock::time_point when, std::function<void()> action) = 0;
    virtual void warn(std::string message) = 0;
    // Why no new work may start (the run was cancelled), or "" while the run goes on.
    virtual std::string stop_reason() const = 0;
    // The workflow's activeDeadlineSeconds has passed (never inside the exit handler).
    virtual bool past_run_deadline() const = 0;
    // Replays: whether a node (with its parent and depends_on set) must run in this run.
    virtual bool is_fresh(const Node& node) const = 0;
};

// Receives the fulfilment of a node's children.
class NodeController {
public:
    virtual ~NodeController() = default;
    virtual void on_child_fulfilled(ExecutionContext& context, NodeIndex child) = 0;
};

}  // namespace kfrun::engine
