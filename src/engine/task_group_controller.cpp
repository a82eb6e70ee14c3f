#include "engine/task_group_controller.hpp"

#include "engine/loop_items.hpp"
#include "engine/task_resolution.hpp"

namespace kfrun::engine {

TaskGroupController::TaskGroupController(NodeIndex group, model::TaskCall call,
                                         std::vector<nlohmann::json> items,
                                         const Scope* task_scope,
                                         std::shared_ptr<Throttle> throttle, NodeIndex boundary,
                                         int depth)
    : m_group(group), m_call(std::move(call)), m_items(std::move(items)),
      m_task_scope(task_scope), m_throttle(std::move(throttle)), m_boundary(boundary),
      m_depth(depth) {}

void TaskGroupController::begin(ExecutionContext& context) {
    const std::string group_name = context.state().node(m_group).name;
    bool dry_run = context.options().dry_run;
    for (std::size_t i = 0; i < m_items.size(); ++i) {
        std::string suffix = iteration_suffix(i, m_items[i]);
        std::string name = group_name + suffix;
        std::string display = m_call.name + suffix;
        Scope item_scope(m_task_scope);
        bind_item(item_scope, m_items[i]);
        // Argo refuses any tag left unresolved in a looped task.
        auto call = substitute_task(m_call, item_scope, Unresolved::Fail);
        if (!call.ok()) {
            context.add_fulfilled(name, display, NodeType::Skipped, m_call.template_name, m_group,
                                  m_boundary, NodePhase::Error, call.error().message);
            continue;
        }
        auto artifacts = resolve_artifact_arguments(*call, item_scope);
        if (!artifacts.ok()) {
            context.add_fulfilled(name, display, NodeType::Skipped, m_call.template_name, m_group,
                                  m_boundary, NodePhase::Error, artifacts.error().message);
            continue;
        }
        auto run = task_should_run(call->when, dry_run);
        if (!run.ok() || !*run) {
            context.add_fulfilled(name, display, NodeType::Skipped, m_call.template_name, m_group,
                                  m_boundary, run.ok() ? NodePhase::Skipped : NodePhase::Error,
                                  run.ok() ? "when '" + call->when + "' evaluated false"
                                           : run.error().message);
            continue;
        }
        CallRequest request;
        request.node_name = name;
        request.display_name = display;
        request.template_name = m_call.template_name;
        request.parent = m_group;
        request.boundary = m_boundary;
        request.depth = m_depth + 1;
        for (const model::Parameter& parameter : call->arguments.parameters) {
            request.parameters.emplace_back(parameter.name, parameter.value.value_or(""));
        }
        request.artifacts = std::move(artifacts.value());
        m_throttle->submit([this, &context, request = std::move(request)]() mutable {
            m_throttled.insert(context.call(std::move(request)));
        });
    }
}

void TaskGroupController::on_child_fulfilled(ExecutionContext& context, NodeIndex child) {
    if (m_throttled.erase(child) != 0) {
        m_throttle->release();
    }
    ++m_fulfilled;
    finish_if_done(context);
}

void TaskGroupController::finish_if_done(ExecutionContext& context) {
    if (m_fulfilled < m_items.size()) {
        return;
    }
    // Succeeded unless an iteration Failed or Errored; the last such iteration decides.
    NodePhase phase = NodePhase::Succeeded;
    std::string message;
    for (NodeIndex child : context.state().node(m_group).children) {
        const Node& iteration = context.state().node(child);
        if (is_failed_or_error(iteration.phase)) {
            phase = iteration.phase;
            message = "child '" + iteration.id + "' " +
                      (iteration.phase == NodePhase::Failed ? "failed" : "errored");
        }
    }
    context.finish(m_group, phase, message);
}

}  // namespace kfrun::engine
