#pragma once
// DagController: runs a DAG template's tasks as their dependencies are fulfilled, and
// assesses the DAG's phase as Argo does (branch phases, targets, continueOn).
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/depends_expression.hpp"
#include "engine/execution_context.hpp"
#include "engine/throttle.hpp"

namespace kfrun::engine {

class DagController : public NodeController {
public:
    // `inputs` holds the DAG node's inputs (inputs.parameters.X, inputs.artifacts.X) and has
    // the workflow's globals as its parent.
    DagController(NodeIndex node, const model::Template& tmpl, std::unique_ptr<Scope> inputs,
                  int depth);

    // Checks the task graph and starts the tasks that depend on nothing.
    void begin(ExecutionContext& context);
    void on_child_fulfilled(ExecutionContext& context, NodeIndex child) override;

private:
    struct TaskState {
        const model::TaskCall* call = nullptr;
        DependsExpression logic;
        std::vector<std::size_t> dependencies;
        std::vector<std::size_t> dependents;
        NodeIndex node = k_no_node;
        bool needed = true;
        bool scheduled = false;
        // Its node's outputs are in m_scope (on_child_fulfilled ran for it). Dependents wait
        // for this, not for the node's phase: completions that arrive together set every
        // producer's phase before the first event is handled, and a dependent scheduled then
        // would find a sibling's outputs missing (issue 16 finding 13).
        bool published = false;
    };

    void schedule(ExecutionContext& context, std::size_t task);
    void start(ExecutionContext& context, std::size_t task);
    void complete(ExecutionContext& context);
    NodeIndex add_task_node(ExecutionContext& context, std::size_t task, NodePhase phase,
                            std::string message);
    bool dependencies_fulfilled(ExecutionContext& context, std::size_t task) const;
    std::vector<NodeIndex> dependency_nodes(std::size_t task) const;
    TaskResult result_of(ExecutionContext& context, const std::string& task_name) const;

    NodeIndex m_node;
    const model::Template& m_template;
    std::unique_ptr<Scope> m_inputs;
    Scope m_scope;  // tasks.* outputs, over m_inputs
    int m_depth;
    std::vector<TaskState> m_tasks;
    std::unordered_map<std::string, std::size_t> m_index;
    std::unordered_map<NodeIndex, std::size_t> m_task_of_node;
    std::unordered_set<NodeIndex> m_throttled;
    std::shared_ptr<Throttle> m_throttle;
    std::vector<std::size_t> m_targets;
    std::size_t m_pending = 0;
    bool m_done = false;
};

}  // namespace kfrun::engine
