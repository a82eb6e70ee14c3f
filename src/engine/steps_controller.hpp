#pragma once
// StepsController: a `steps` template — groups run one after another, the steps of a group in
// parallel; a group with a failed step (without continueOn) fails the template.
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/execution_context.hpp"
#include "engine/throttle.hpp"

namespace kfrun::engine {

class StepsController : public NodeController {
public:
    StepsController(NodeIndex node, const model::Template& tmpl, std::unique_ptr<Scope> inputs,
                    int depth);

    void begin(ExecutionContext& context);
    // Hears about StepGroup nodes (its children) …
    void on_child_fulfilled(ExecutionContext& context, NodeIndex child) override;
    // … and, through a forwarder on each group, about the steps inside the current group.
    void on_step_fulfilled(ExecutionContext& context, NodeIndex step);

private:
    void start_group(ExecutionContext& context);
    void start_step(ExecutionContext& context, const model::TaskCall& step);
    void complete(ExecutionContext& context);

    NodeIndex m_node;
    const model::Template& m_template;
    std::unique_ptr<Scope> m_inputs;
    Scope m_scope;  // steps.* outputs over m_inputs
    int m_depth;
    std::size_t m_group_index = 0;
    NodeIndex m_group = k_no_node;
    std::size_t m_pending = 0;
    // Per step of the current group: its node, or its iteration nodes for a loop.
    std::unordered_map<std::string, std::vector<NodeIndex>> m_step_nodes;
    std::unordered_map<std::string, bool> m_step_is_loop;
    std::unordered_set<NodeIndex> m_throttled;
    std::vector<NodeIndex> m_previous_group;  // the steps the current group waited for
    std::shared_ptr<Throttle> m_throttle;
};

}  // namespace kfrun::engine
