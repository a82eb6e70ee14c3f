#include "engine/pipeline_graph.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "engine/depends_expression.hpp"

namespace kfrun::engine {

namespace {

constexpr int k_max_depth = 50;  // a guard against templates nested absurdly deep

std::string loop_text(const model::TaskCall& task) {
    if (task.with_items) {
        return "withItems (" + std::to_string(task.with_items->size()) + ")";
    }
    if (!task.with_param.empty()) {
        return "withParam " + task.with_param;
    }
    if (task.with_sequence) {
        const model::Sequence& sequence = *task.with_sequence;
        if (sequence.count) {
            return "withSequence count " + *sequence.count;
        }
        return "withSequence " + sequence.start.value_or("0") + ".." + sequence.end.value_or("?");
    }
    return "";
}

// The sibling tasks a DAG task waits for: `dependencies`, or the names in `depends`.
std::vector<std::string> dependency_names(const model::TaskCall& task) {
    if (!task.depends.empty()) {
        auto parsed = DependsExpression::parse(task.depends);
        if (parsed.ok()) {
            return {parsed->tasks().begin(), parsed->tasks().end()};
        }
        return {};
    }
    return task.dependencies;
}

// Siblings in dependency order; ties keep YAML order (KFP sorts tasks by name, not by order).
void order_by_dependencies(std::vector<GraphTask>& tasks) {
    std::vector<GraphTask> ordered;
    std::set<std::string> placed;
    std::vector<bool> done(tasks.size(), false);
    while (ordered.size() < tasks.size()) {
        bool progressed = false;
        for (std::size_t i = 0; i < tasks.size(); ++i) {
            if (done[i]) {
                continue;
            }
            bool ready = std::all_of(
                tasks[i].dependencies.begin(), tasks[i].dependencies.end(),
                [&](const std::string& id) { return placed.count(id) > 0; });
            if (ready) {
                placed.insert(tasks[i].id);
                ordered.push_back(std::move(tasks[i]));
                done[i] = true;
                progressed = true;
                break;  // restart: an earlier task may be ready now
            }
        }
        if (!progressed) {  // a cycle (the validator reports it): keep the rest as written
            for (std::size_t i = 0; i < tasks.size(); ++i) {
                if (!done[i]) {
                    ordered.push_back(std::move(tasks[i]));
                    done[i] = true;
                }
            }
        }
    }
    tasks = std::move(ordered);
}

class GraphBuilder {
public:
    explicit GraphBuilder(const model::Workflow& workflow) : m_workflow(workflow) {}

    GraphTask task_for(const std::string& id, const std::string& name,
                       const std::string& template_name, std::vector<std::string>& stack) {
        GraphTask task;
        task.id = id;
        task.name = name;
        task.display_name = name;
        task.template_name = template_name;
        const model::Template* tmpl = m_workflow.find_template(template_name);
        if (tmpl == nullptr) {
            return task;
        }
        task.kind = tmpl->kind;
        task.yaml_path = tmpl->yaml_path;
        auto display = tmpl->annotations.find("pipelines.kubeflow.org/task_display_name");
        if (display != tmpl->annotations.end() && !display->second.empty()) {
            task.display_name = display->second;
        }
        if (tmpl->kind == model::Template::Kind::Container ||
            tmpl->kind == model::Template::Kind::Script) {
            task.image = tmpl->container.image;
        }
        bool nested = tmpl->kind == model::Template::Kind::Dag ||
                      tmpl->kind == model::Template::Kind::Steps;
        if (!nested) {
            return task;
        }
        if (std::find(stack.begin(), stack.end(), template_name) != stack.end() ||
            stack.size() >= k_max_depth) {
            task.recursive = true;
            return task;
        }
        stack.push_back(template_name);
        std::string prefix = id.empty() ? "" : id + "/";
        if (tmpl->kind == model::Template::Kind::Dag) {
            for (const model::TaskCall& call : tmpl->dag.tasks) {
                task.children.push_back(child(prefix, call, stack));
                for (const std::string& dependency : dependency_names(call)) {
                    task.children.back().dependencies.push_back(prefix + dependency);
                }
            }
            order_by_dependencies(task.children);
        } else {
            std::vector<std::string> previous_group;
            for (const auto& group : tmpl->steps.groups) {
                std::vector<std::string> this_group;
                for (const model::TaskCall& call : group) {
                    task.children.push_back(child(prefix, call, stack));
                    task.children.back().dependencies = previous_group;
                    this_group.push_back(task.children.back().id);
                }
                previous_group = std::move(this_group);
            }
        }
        stack.pop_back();
        return task;
    }

private:
    GraphTask child(const std::string& prefix, const model::TaskCall& call,
                    std::vector<std::string>& stack) {
        GraphTask task = task_for(prefix + call.name, call.name, call.template_name, stack);
        task.when = call.when;
        task.loop = loop_text(call);
        if (!call.yaml_path.empty()) {
            task.yaml_path = call.yaml_path;
        }
        return task;
    }

    const model::Workflow& m_workflow;
};

void flatten_into(const GraphTask& task, std::vector<const GraphTask*>& out) {
    for (const GraphTask& child : task.children) {
        out.push_back(&child);
        flatten_into(child, out);
    }
}

}  // namespace

PipelineGraph describe_pipeline(const model::Workflow& workflow, const std::string& name) {
    PipelineGraph graph;
    graph.name = name;
    GraphBuilder builder(workflow);
    std::vector<std::string> stack;
    graph.root = builder.task_for("", workflow.entrypoint, workflow.entrypoint, stack);
    if (!workflow.on_exit.empty()) {
        graph.has_exit_handler = true;
        stack.clear();
        graph.exit_handler = builder.task_for("onExit", "onExit", workflow.on_exit, stack);
    }
    return graph;
}

std::vector<const GraphTask*> flatten(const GraphTask& root) {
    std::vector<const GraphTask*> out;
    flatten_into(root, out);
    return out;
}

std::vector<const GraphTask*> leaf_tasks(const PipelineGraph& graph) {
    std::vector<const GraphTask*> out;
    std::set<std::string> seen;
    auto collect = [&](const GraphTask& root) {
        std::vector<const GraphTask*> all = flatten(root);
        if (root.children.empty()) {
            all.insert(all.begin(), &root);
        }
        for (const GraphTask* task : all) {
            bool leaf = task->kind == model::Template::Kind::Container ||
                        task->kind == model::Template::Kind::Script ||
                        task->kind == model::Template::Kind::Resource;
            if (leaf && seen.insert(task->template_name).second) {
                out.push_back(task);
            }
        }
    };
    collect(graph.root);
    if (graph.has_exit_handler) {
        collect(graph.exit_handler);
    }
    return out;
}

}  // namespace kfrun::engine
