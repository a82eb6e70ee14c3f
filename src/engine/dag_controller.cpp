#include "engine/dag_controller.hpp"

#include <sstream>

#include "base/integers.hpp"
#include "base/strings.hpp"
#include "engine/loop_items.hpp"
#include "engine/task_condition.hpp"
#include "engine/task_group_controller.hpp"
#include "engine/task_outputs.hpp"
#include "engine/task_resolution.hpp"

namespace kfrun::engine {

namespace {

// Whether the task that `output` (`tasks.X.outputs.…`) comes from ended Succeeded.
bool task_succeeded(const std::string& output, const Scope& scope) {
    constexpr std::string_view k_prefix = "tasks.";
    std::size_t end = output.find(".outputs.");
    if (output.rfind(k_prefix, 0) != 0 || end == std::string::npos) {
        return false;
    }
    const std::string* status =
        scope.find(std::string(output, 0, end) + ".status");
    return status != nullptr && *status == "Succeeded";
}

// KFP v2's OneOf: the value of the first candidate whose task succeeded.
std::optional<std::string> first_succeeded_value(const std::vector<std::string>& candidates,
                                                 const Scope& scope) {
    for (const std::string& candidate : candidates) {
        std::vector<Tag> tags = find_tags(candidate);
        if (tags.size() != 1 || !task_succeeded(tags.front().name, scope)) {
            continue;
        }
        auto text = substitute(candidate, scope);
        if (text.ok() && !has_tags(*text)) {
            return *text;
        }
    }
    return std::nullopt;
}

enum class Unbound { Keep, Drop, Empty };

// KFP v2: a typed input whose argument could not be resolved. An optional input fed by an
// unbound input of its parent stays unbound (the driver leaves it out of the executor input); a
// STRING fed by a task that has no such output (it failed, or never wrote it) gets "" (the
// driver's type check). Anything else is kept, and the input check fails the task.
Unbound typed_unresolved(const model::Template* called, const std::string& name,
                         const std::string& value) {
    const model::Parameter* declared =
        called == nullptr ? nullptr : model::find_by_name(called->inputs.parameters, name);
    if (declared == nullptr || declared->type.empty()) {
        return Unbound::Keep;
    }
    for (const Tag& tag : find_tags(value)) {
        if (tag.name.rfind("inputs.parameters.", 0) == 0 && declared->optional) {
            return Unbound::Drop;
        }
        if (tag.name.rfind("tasks.", 0) == 0 && declared->type == "STRING") {
            return Unbound::Empty;
        }
    }
    return Unbound::Keep;
}

}  // namespace

DagController::DagController(NodeIndex node, const model::Template& tmpl,
                             std::unique_ptr<Scope> inputs, int depth)
    : m_node(node), m_template(tmpl), m_inputs(std::move(inputs)), m_scope(m_inputs.get()),
      m_depth(depth) {}

void DagController::begin(ExecutionContext& context) {
    const auto& tasks = m_template.dag.tasks;
    m_tasks.resize(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        m_tasks[i].call = &tasks[i];
        m_index[tasks[i].name] = i;
    }
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        TaskState& task = m_tasks[i];
        if (!tasks[i].depends.empty()) {
            auto logic = DependsExpression::parse(tasks[i].depends);
            if (!logic.ok()) {
                context.finish(m_node, NodePhase::Error, logic.error().message);
                m_done = true;
                return;
            }
            task.logic = std::move(logic.value());
        } else {
            std::vector<std::pair<bool, bool>> continue_on;
            for (const std::string& dependency : tasks[i].dependencies) {
                auto it = m_index.find(dependency);
                const model::TaskCall* dep = it == m_index.end() ? nullptr : &tasks[it->second];
                continue_on.emplace_back(dep != nullptr && dep->continue_on.failed,
                                         dep != nullptr && dep->continue_on.error);
            }
            task.logic = DependsExpression::from_dependencies(tasks[i].dependencies, continue_on);
        }
        for (const std::string& dependency : task.logic.tasks()) {
            auto it = m_index.find(dependency);
            if (it == m_index.end()) {
                context.finish(m_node, NodePhase::Error,
                               "task `" + tasks[i].name + "` depends on unknown task `" +
                                   dependency + "`");
                m_done = true;
                return;
            }
            task.dependencies.push_back(it->second);
            m_tasks[it->second].dependents.push_back(i);
        }
    }
    if (!m_template.dag.target.empty()) {
        for (const std::string& name : base::split(m_template.dag.target, ' ')) {
            auto it = m_index.find(name);
            if (!name.empty() && it != m_index.end()) {
                m_targets.push_back(it->second);
            }
        }
        // Only the targets and what they depend on run.
        for (TaskState& task : m_tasks) {
            task.needed = false;
        }
        std::vector<std::size_t> stack = m_targets;
        while (!stack.empty()) {
            std::size_t t = stack.back();
            stack.pop_back();
            if (m_tasks[t].needed) {
                continue;
            }
            m_tasks[t].needed = true;
            for (std::size_t d : m_tasks[t].dependencies) {
                stack.push_back(d);
            }
        }
    } else {
        for (std::size_t i = 0; i < m_tasks.size(); ++i) {
            if (m_tasks[i].dependents.empty()) {
                m_targets.push_back(i);
            }
        }
    }
    int limit = 0;
    if (m_template.parallelism) {
        auto text = substitute(*m_template.parallelism, m_scope);
        limit = text.ok() ? base::saturating_atoi(*text) : 0;
    }
    m_throttle = std::make_shared<Throttle>(limit);
    for (const TaskState& task : m_tasks) {
        m_pending += task.needed ? 1 : 0;
    }
    if (m_pending == 0) {
        complete(context);
        return;
    }
    for (std::size_t i = 0; i < m_tasks.size(); ++i) {
        if (m_tasks[i].needed && m_tasks[i].dependencies.empty()) {
            schedule(context, i);
        }
    }
}

TaskResult DagController::result_of(ExecutionContext& context, const std::string& task_name) const {
    TaskResult result;
    auto it = m_index.find(task_name);
    if (it == m_index.end() || m_tasks[it->second].node == k_no_node) {
        return result;
    }
    const Node& node = context.state().node(m_tasks[it->second].node);
    result.phase = node.phase;
    if (node.type == NodeType::TaskGroup) {
        bool any_child = false;
        bool all_failed = true;
        for (NodeIndex child : node.children) {
            NodePhase phase = context.state().node(child).phase;
            any_child = true;
            result.any_succeeded = result.any_succeeded || phase == NodePhase::Succeeded;
            all_failed = all_failed && phase == NodePhase::Failed;
        }
        result.all_failed = any_child && all_failed;
    }
    return result;
}

bool DagController::dependencies_fulfilled(ExecutionContext& context, std::size_t task) const {
    for (std::size_t d : m_tasks[task].dependencies) {
        NodeIndex node = m_tasks[d].node;
        if (node == k_no_node || !m_tasks[d].published || !context.state().node(node).fulfilled()) {
            return false;
        }
    }
    return true;
}

std::vector<NodeIndex> DagController::dependency_nodes(std::size_t task) const {
    std::vector<NodeIndex> nodes;
    for (std::size_t d : m_tasks[task].dependencies) {
        if (m_tasks[d].node != k_no_node) {
            nodes.push_back(m_tasks[d].node);
        }
    }
    return nodes;
}

NodeIndex DagController::add_task_node(ExecutionContext& context, std::size_t task,
                                       NodePhase phase, std::string message) {
    const model::TaskCall& call = *m_tasks[task].call;
    const Node& dag = context.state().node(m_node);
    NodeIndex node = context.add_fulfilled(dag.name + "." + call.name, call.name, NodeType::Skipped,
                                           call.template_name, m_node, m_node, phase,
                                           std::move(message));
    Node& added = context.state().node(node);
    added.depends_on = dependency_nodes(task);
    added.fresh = context.is_fresh(added);  // a replay names what it could not run
    m_tasks[task].node = node;
    m_task_of_node[node] = task;
    return node;
}

void DagController::schedule(ExecutionContext& context, std::size_t task) {
    TaskState& state = m_tasks[task];
    if (state.scheduled) {
        return;
    }
    state.scheduled = true;
    bool run = state.logic.evaluate(
        [&](const std::string& name) { return result_of(context, name); });
    if (!run) {
        add_task_node(context, task, NodePhase::Omitted, "omitted: depends condition not met");
        return;
    }
    start(context, task);
}

void DagController::start(ExecutionContext& context, std::size_t task) {
    const model::TaskCall& original = *m_tasks[task].call;
    bool dry_run = context.options().dry_run;
    auto call = substitute_task(original, m_scope, Unresolved::Keep);
    if (!call.ok()) {
        add_task_node(context, task, NodePhase::Error, call.error().message);
        return;
    }
    auto artifacts = resolve_artifact_arguments(*call, m_scope);
    if (!artifacts.ok()) {
        add_task_node(context, task, NodePhase::Error, artifacts.error().message);
        return;
    }
    const Node& dag = context.state().node(m_node);
    std::string node_name = dag.name + "." + original.name;

    if (call->is_loop()) {
        auto items = loop_items(*call, dry_run);
        if (!items.ok()) {
            add_task_node(context, task, NodePhase::Error, items.error().message);
            return;
        }
        if (items->empty()) {
            add_task_node(context, task, NodePhase::Skipped, "Skipped, empty params");
            return;
        }
        auto checked = check_loop_items(*call, *items, m_scope);
        if (checked.ok()) {
            checked = check_run_nodes(context.state().size(), items->size());
        }
        if (!checked.ok()) {
            add_task_node(context, task, NodePhase::Error, checked.error().message);
            return;
        }
        Node& group = context.state().add_node(node_name, original.name, NodeType::TaskGroup,
                                               original.template_name, m_node, m_node);
        group.phase = NodePhase::Running;
        group.started_at = std::chrono::system_clock::now();
        group.depends_on = dependency_nodes(task);
        group.fresh = context.is_fresh(group);
        m_tasks[task].node = group.index;
        m_task_of_node[group.index] = task;
        auto controller = std::make_unique<TaskGroupController>(
            group.index, std::move(call.value()), std::move(items.value()), &m_scope, m_throttle,
            m_node, m_depth);
        TaskGroupController* raw = controller.get();
        context.attach_controller(group.index, std::move(controller));
        raw->begin(context);
        return;
    }

    auto run = task_should_run(call->when, dry_run);
    if (!run.ok()) {
        add_task_node(context, task, NodePhase::Error, run.error().message);
        return;
    }
    if (!*run) {
        add_task_node(context, task, NodePhase::Skipped,
                      "when '" + call->when + "' evaluated false");
        return;
    }
    auto holds = task_condition_holds(
        *call, context.workflow().find_template(call->template_name), dry_run);
    if (!holds.ok()) {
        add_task_node(context, task, NodePhase::Failed, holds.error().message);
        return;
    }
    if (!*holds) {
        add_task_node(context, task, NodePhase::Skipped,
                      "condition '" + call->condition + "' evaluated false");
        return;
    }
    CallRequest request;
    request.node_name = node_name;
    request.display_name = original.name;
    request.template_name = original.template_name;
    request.parent = m_node;
    request.boundary = m_node;
    request.depth = m_depth + 1;
    request.depends_on = dependency_nodes(task);
    const model::Template* called = context.workflow().find_template(call->template_name);
    for (const model::Parameter& parameter : call->arguments.parameters) {
        std::string value = parameter.value.value_or("");
        if (!dry_run && has_tags(value)) {
            Unbound unbound = typed_unresolved(called, parameter.name, value);
            if (unbound == Unbound::Drop) {
                continue;
            }
            if (unbound == Unbound::Empty) {
                value.clear();
            }
        }
        request.parameters.emplace_back(parameter.name, value);
    }
    request.artifacts = std::move(artifacts.value());
    m_throttle->submit([this, &context, task, request = std::move(request)]() mutable {
        NodeIndex node = context.call(std::move(request));
        m_tasks[task].node = node;
        m_task_of_node[node] = task;
        m_throttled.insert(node);
    });
}

void DagController::on_child_fulfilled(ExecutionContext& context, NodeIndex child) {
    if (m_throttled.erase(child) != 0) {
        m_throttle->release();
    }
    auto it = m_task_of_node.find(child);
    if (it == m_task_of_node.end() || m_done) {
        return;
    }
    std::size_t task = it->second;
    const Node& node = context.state().node(child);
    record_task_outputs(m_scope, "tasks." + m_tasks[task].call->name, context.state(), node);
    m_tasks[task].published = true;
    if (m_tasks[task].needed) {
        --m_pending;
    }
    for (std::size_t dependent : m_tasks[task].dependents) {
        if (m_tasks[dependent].needed && !m_tasks[dependent].scheduled &&
            dependencies_fulfilled(context, dependent)) {
            schedule(context, dependent);
        }
    }
    if (m_pending == 0) {
        complete(context);
    }
}

void DagController::complete(ExecutionContext& context) {
    if (m_done) {
        return;
    }
    m_done = true;
    const RunState& state = context.state();
    // Branch phases in dependency order: a completed node passes its own phase down; Skipped
    // and Omitted nodes pass on what reached them, a failure winning over success.
    std::vector<NodePhase> branch(m_tasks.size(), NodePhase::Pending);
    std::vector<int> remaining(m_tasks.size());
    std::vector<std::size_t> ready;
    for (std::size_t i = 0; i < m_tasks.size(); ++i) {
        remaining[i] = static_cast<int>(m_tasks[i].dependencies.size());
        if (remaining[i] == 0) {
            ready.push_back(i);
        }
    }
    while (!ready.empty()) {
        std::size_t t = ready.back();
        ready.pop_back();
        NodePhase inherited = NodePhase::Succeeded;
        for (std::size_t d : m_tasks[t].dependencies) {
            if (is_failed_or_error(branch[d]) && !is_failed_or_error(inherited)) {
                inherited = branch[d];
            }
        }
        NodeIndex node = m_tasks[t].node;
        if (node == k_no_node) {
            branch[t] = NodePhase::Pending;
        } else {
            NodePhase phase = state.node(node).phase;
            branch[t] = is_completed(phase) ? phase : inherited;
        }
        for (std::size_t dependent : m_tasks[t].dependents) {
            if (--remaining[dependent] == 0) {
                ready.push_back(dependent);
            }
        }
    }
    bool fail_fast = m_template.dag.fail_fast.value_or(true);
    NodePhase result = NodePhase::Succeeded;
    for (std::size_t target : m_targets) {
        NodePhase phase = branch[target];
        if (is_failed_or_error(phase)) {
            const model::ContinueOn& continue_on = m_tasks[target].call->continue_on;
            if ((phase == NodePhase::Failed && continue_on.failed) ||
                (phase == NodePhase::Error && continue_on.error)) {
                continue;
            }
            result = phase;
            if (fail_fast) {
                break;
            }
        }
    }
    for (std::size_t t = 0; m_template.dag.any_failure_fails && t < m_tasks.size(); ++t) {
        NodeIndex node = m_tasks[t].node;
        NodePhase phase = node == k_no_node ? NodePhase::Pending : state.node(node).phase;
        if (is_failed_or_error(phase) && result == NodePhase::Succeeded) {
            result = phase;
        }
    }
    if (result != NodePhase::Succeeded) {
        context.finish(m_node, result, "");
        return;
    }
    // The DAG's own outputs, taken from its tasks.
    Node& dag = context.state().node(m_node);
    for (const model::Parameter& parameter : m_template.outputs.parameters) {
        std::optional<std::string> value;
        if (parameter.from_parameter) {
            auto text = substitute(*parameter.from_parameter, m_scope);
            if (text.ok() && !has_tags(*text)) {
                value = *text;
            }
        }
        if (!value && !parameter.from_first_of.empty()) {
            value = first_succeeded_value(parameter.from_first_of, m_scope);
        }
        if (!value && parameter.default_value) {
            value = parameter.default_value;
        }
        if (!value) {
            context.finish(m_node, NodePhase::Error,
                           "output parameter `" + parameter.name + "` could not be resolved");
            return;
        }
        dag.outputs.parameters.emplace_back(parameter.name, *value);
    }
    for (const model::Artifact& artifact : m_template.outputs.artifacts) {
        std::optional<std::vector<ArtifactRef>> found;  // a Collected output: several
        if (artifact.from) {
            std::vector<Tag> tags = find_tags(*artifact.from);
            if (tags.size() == 1) {
                found = m_scope.find_artifacts(tags.front().name);
            }
        }
        for (const std::string& candidate : artifact.from_first_of) {
            std::vector<Tag> tags = find_tags(candidate);
            if (!found && tags.size() == 1 && task_succeeded(tags.front().name, m_scope)) {
                found = m_scope.find_artifacts(tags.front().name);
            }
        }
        if (found) {
            for (ArtifactRef& one : *found) {
                dag.outputs.artifacts.push_back(NamedArtifact{artifact.name, std::move(one), ""});
            }
        } else if (!artifact.optional) {
            context.finish(m_node, NodePhase::Error,
                           "output artifact `" + artifact.name + "` could not be resolved");
            return;
        }
    }
    context.finish(m_node, NodePhase::Succeeded, "");
}

}  // namespace kfrun::engine
