#pragma once
// TaskGroupController: one looped DAG task (withItems / withParam / withSequence) — an
// iteration per item, run within the DAG's parallelism, the group Failed if any iteration is.
#include <memory>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/execution_context.hpp"
#include "engine/throttle.hpp"

namespace kfrun::engine {

class TaskGroupController : public NodeController {
public:
    // `call` has its dependency references substituted already; `task_scope` is the DAG's
    // scope (tasks.* over inputs over globals); `boundary` is the DAG node.
    TaskGroupController(NodeIndex group, model::TaskCall call, std::vector<nlohmann::json> items,
                        const Scope* task_scope, std::shared_ptr<Throttle> throttle,
                        NodeIndex boundary, int depth);

    void begin(ExecutionContext& context);
    void on_child_fulfilled(ExecutionContext& context, NodeIndex child) override;

private:
    void finish_if_done(ExecutionContext& context);

    NodeIndex m_group;
    model::TaskCall m_call;
    std::vector<nlohmann::json> m_items;
    const Scope* m_task_scope;
    std::shared_ptr<Throttle> m_throttle;
    NodeIndex m_boundary;
    int m_depth;
    std::unordered_set<NodeIndex> m_throttled;
    std::size_t m_fulfilled = 0;
};

}  // namespace kfrun::engine
