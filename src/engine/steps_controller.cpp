#include "engine/steps_controller.hpp"

#include "base/integers.hpp"
#include "engine/loop_items.hpp"
#include "engine/task_outputs.hpp"
#include "engine/task_resolution.hpp"

namespace kfrun::engine {

namespace {

// Sends the fulfilment of a group's steps to the steps template's controller.
class GroupForwarder : public NodeController {
public:
    explicit GroupForwarder(StepsController& owner) : m_owner(owner) {}
    void on_child_fulfilled(ExecutionContext& context, NodeIndex child) override {
        m_owner.on_step_fulfilled(context, child);
    }

private:
    StepsController& m_owner;
};

}  // namespace

StepsController::StepsController(NodeIndex node, const model::Template& tmpl,
                                 std::unique_ptr<Scope> inputs, int depth)
    : m_node(node), m_template(tmpl), m_inputs(std::move(inputs)), m_scope(m_inputs.get()),
      m_depth(depth) {}

void StepsController::begin(ExecutionContext& context) {
    int limit = 0;
    if (m_template.parallelism) {
        auto text = substitute(*m_template.parallelism, m_scope);
        limit = text.ok() ? base::saturating_atoi(*text) : 0;
    }
    m_throttle = std::make_shared<Throttle>(limit);
    start_group(context);
}

void StepsController::start_group(ExecutionContext& context) {
    if (m_group_index >= m_template.steps.groups.size()) {
        complete(context);
        return;
    }
    const Node& steps = context.state().node(m_node);
    std::string group_name = steps.name + "[" + std::to_string(m_group_index) + "]";
    Node& group = context.state().add_node(group_name, "[" + std::to_string(m_group_index) + "]",
                                           NodeType::StepGroup, "", m_node, m_node);
    group.phase = NodePhase::Running;
    group.started_at = std::chrono::system_clock::now();
    m_group = group.index;
    context.attach_controller(m_group, std::make_unique<GroupForwarder>(*this));
    m_step_nodes.clear();
    m_step_is_loop.clear();
    const auto& calls = m_template.steps.groups[m_group_index];
    m_pending = 0;
    if (calls.empty()) {
        context.finish(m_group, NodePhase::Succeeded, "");
        return;
    }
    for (const model::TaskCall& step : calls) {
        start_step(context, step);
    }
}

void StepsController::start_step(ExecutionContext& context, const model::TaskCall& step) {
    const std::string group_name = context.state().node(m_group).name;
    std::string name = group_name + "." + step.name;
    bool dry_run = context.options().dry_run;
    m_step_is_loop[step.name] = step.is_loop();
    auto fulfilled = [&](const std::string& node_name, const std::string& display,
                         NodePhase phase, std::string message) {
        ++m_pending;
        NodeIndex node = context.add_fulfilled(node_name, display, NodeType::Skipped,
                                               step.template_name, m_group, m_node, phase,
                                               std::move(message));
        context.state().node(node).depends_on = m_previous_group;
        m_step_nodes[step.name].push_back(node);
    };
    auto call = substitute_task(step, m_scope, Unresolved::Keep);
    if (!call.ok()) {
        fulfilled(name, step.name, NodePhase::Error, call.error().message);
        return;
    }
    std::vector<nlohmann::json> items;
    if (call->is_loop()) {
        auto expanded = loop_items(*call, dry_run);
        if (!expanded.ok()) {
            fulfilled(name, step.name, NodePhase::Error, expanded.error().message);
            return;
        }
        if (expanded->empty()) {
            fulfilled(name, step.name, NodePhase::Skipped, "Skipped, empty params");
            return;
        }
        auto checked = check_loop_items(*call, *expanded, m_scope);
        if (checked.ok()) {
            checked = check_run_nodes(context.state().size(), expanded->size());
        }
        if (!checked.ok()) {
            fulfilled(name, step.name, NodePhase::Error, checked.error().message);
            return;
        }
        items = std::move(expanded.value());
    }
    std::size_t count = call->is_loop() ? items.size() : 1;
    for (std::size_t i = 0; i < count; ++i) {
        std::string node_name = name;
        std::string display = step.name;
        Scope item_scope(&m_scope);
        model::TaskCall resolved = *call;
        if (call->is_loop()) {
            std::string suffix = iteration_suffix(i, items[i]);
            node_name += suffix;
            display += suffix;
            bind_item(item_scope, items[i]);
            auto with_item = substitute_task(*call, item_scope, Unresolved::Fail);
            if (!with_item.ok()) {
                fulfilled(node_name, display, NodePhase::Error, with_item.error().message);
                continue;
            }
            resolved = std::move(with_item.value());
        }
        auto artifacts = resolve_artifact_arguments(resolved, item_scope);
        if (!artifacts.ok()) {
            fulfilled(node_name, display, NodePhase::Error, artifacts.error().message);
            continue;
        }
        auto run = task_should_run(resolved.when, dry_run);
        if (!run.ok() || !*run) {
            fulfilled(node_name, display, run.ok() ? NodePhase::Skipped : NodePhase::Error,
                      run.ok() ? "when '" + resolved.when + "' evaluated false"
                               : run.error().message);
            continue;
        }
        CallRequest request;
        request.node_name = node_name;
        request.display_name = display;
        request.template_name = step.template_name;
        request.parent = m_group;
        request.boundary = m_node;
        request.depth = m_depth + 1;
        request.depends_on = m_previous_group;
        for (const model::Parameter& parameter : resolved.arguments.parameters) {
            request.parameters.emplace_back(parameter.name, parameter.value.value_or(""));
        }
        request.artifacts = std::move(artifacts.value());
        ++m_pending;
        std::string step_name = step.name;
        m_throttle->submit([this, &context, step_name, request = std::move(request)]() mutable {
            NodeIndex node = context.call(std::move(request));
            m_step_nodes[step_name].push_back(node);
            m_throttled.insert(node);
        });
    }
}

void StepsController::on_step_fulfilled(ExecutionContext& context, NodeIndex step) {
    if (m_throttled.erase(step) != 0) {
        m_throttle->release();
    }
    if (--m_pending > 0) {
        return;
    }
    // The group is done: publish its steps' outputs, then judge it.
    NodePhase phase = NodePhase::Succeeded;
    std::string message;
    for (const model::TaskCall& call : m_template.steps.groups[m_group_index]) {
        const auto& nodes = m_step_nodes[call.name];
        if (m_step_is_loop[call.name]) {
            record_loop_outputs(m_scope, "steps." + call.name, context.state(), nodes);
        } else if (!nodes.empty()) {
            record_task_outputs(m_scope, "steps." + call.name, context.state(),
                                context.state().node(nodes.front()));
        }
        for (NodeIndex index : nodes) {
            const Node& node = context.state().node(index);
            bool tolerated = (node.phase == NodePhase::Failed && call.continue_on.failed) ||
                             (node.phase == NodePhase::Error && call.continue_on.error);
            if (is_failed_or_error(node.phase) && !tolerated && phase == NodePhase::Succeeded) {
                phase = node.phase;
                message = "child '" + node.id + "' failed";
            }
        }
    }
    context.finish(m_group, phase, message);
}

void StepsController::on_child_fulfilled(ExecutionContext& context, NodeIndex child) {
    if (child != m_group) {
        return;
    }
    const Node& group = context.state().node(child);
    if (is_failed_or_error(group.phase)) {
        context.finish(m_node, group.phase, group.message);
        return;
    }
    ++m_group_index;
    m_previous_group.clear();
    for (const auto& [name, nodes] : m_step_nodes) {
        m_previous_group.insert(m_previous_group.end(), nodes.begin(), nodes.end());
    }
    start_group(context);
}

void StepsController::complete(ExecutionContext& context) {
    Node& steps = context.state().node(m_node);
    for (const model::Parameter& parameter : m_template.outputs.parameters) {
        std::optional<std::string> value;
        if (parameter.from_parameter) {
            auto text = substitute(*parameter.from_parameter, m_scope);
            if (text.ok() && !has_tags(*text)) {
                value = *text;
            }
        }
        if (!value) {
            value = parameter.default_value;
        }
        if (!value) {
            context.finish(m_node, NodePhase::Error,
                           "output parameter `" + parameter.name + "` could not be resolved");
            return;
        }
        steps.outputs.parameters.emplace_back(parameter.name, *value);
    }
    context.finish(m_node, NodePhase::Succeeded, "");
}

}  // namespace kfrun::engine
