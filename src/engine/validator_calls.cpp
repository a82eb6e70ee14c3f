// Validator: task calls (arguments, conditions, loops, the called template's inputs) and the
// templates made of them — DAGs (names, dependencies, cycles, targets) and steps.
#include <cctype>

#include "base/strings.hpp"
#include "engine/depends_expression.hpp"
#include "engine/loop_items.hpp"
#include "engine/placeholder.hpp"
#include "engine/when_expression.hpp"
#include "engine/workflow_validator.hpp"

namespace kfrun::engine {

void WorkflowValidator::check_call(const model::Template& parent, const model::TaskCall& call,
                                   const TagChecker& checker) {
    if (!call.template_name.empty() && m_workflow.find_template(call.template_name) == nullptr) {
        error(call.yaml_path + ".template", "task `" + call.name + "` calls template `" +
                                                call.template_name +
                                                "`, which this workflow does not define");
    }
    for (const model::Parameter& parameter : call.arguments.parameters) {
        check_tags(parameter.yaml_path, parameter.value.value_or(""), checker);
    }
    check_supplied_inputs(call);
    for (const model::Artifact& artifact : call.arguments.artifacts) {
        check_tags(artifact.yaml_path, artifact.raw_data.value_or(""), checker);
        if (artifact.from) {
            std::vector<Tag> tags = find_tags(*artifact.from);
            if (tags.size() != 1 || tags.front().begin != 0 ||
                tags.front().end != artifact.from->size()) {
                error(artifact.yaml_path + ".from",
                      "`from` must be a single placeholder such as "
                      "{{tasks.x.outputs.artifacts.y}}");
            } else {
                check_tags(artifact.yaml_path + ".from", *artifact.from, checker);
            }
        }
    }
    if (!call.when.empty()) {
        check_tags(call.yaml_path + ".when", call.when, checker);
        // Structure only: values are not known before the run.
        auto replaced = substitute(
            call.when, [](const std::string&) { return std::optional<std::string>("x"); });
        if (replaced.ok()) {
            auto syntax = check_when_syntax(*replaced);
            if (!syntax.ok()) {
                error(call.yaml_path + ".when", syntax.error().message);
            }
        }
    }
    check_tags(call.yaml_path + ".withParam", call.with_param, checker);
    if (call.with_items) {
        std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& value) {
            if (value.is_string()) {
                check_tags(call.yaml_path + ".withItems", value.get<std::string>(), checker);
            } else if (value.is_structured()) {
                for (const auto& inner : value) {
                    walk(inner);
                }
            }
        };
        walk(*call.with_items);
    }
    if (call.with_sequence && call.with_sequence->count && call.with_sequence->end) {
        error(call.yaml_path + ".withSequence", "withSequence takes `count` or `end`, not both");
    } else if (call.with_sequence) {
        // Known before the run when no field holds a placeholder: check its size now.
        const model::Sequence& sequence = *call.with_sequence;
        auto has_tag = [](const std::optional<std::string>& field) {
            return field && field->find("{{") != std::string::npos;
        };
        if (!has_tag(sequence.count) && !has_tag(sequence.start) && !has_tag(sequence.end)) {
            auto items = items_from_sequence(sequence);
            // Only the size here (ErrorKind::Input); a bad format stays a run-time error.
            if (!items.ok() && items.error().kind == base::ErrorKind::Input) {
                error(call.yaml_path + ".withSequence", items.error().message);
            }
        }
    }
    if (call.with_items) {
        auto size = check_loop_item_count(call.with_items->size(), "withItems");
        if (!size.ok()) {
            error(call.yaml_path + ".withItems", size.error().message);
        }
    }
    if (!call.on_exit.empty()) {
        error(call.yaml_path + ".onExit",
              "task-level `onExit` is not supported yet (spec.onExit is)");
    }
}

// Every input parameter of the called template without a `value` or `default` must be given
// a value by the call: Argo refuses the workflow at submission otherwise
// ("inputs.parameters.NAME was not supplied"), and the step could not run.
void WorkflowValidator::check_supplied_inputs(const model::TaskCall& call) {
    const model::Template* called = m_workflow.find_template(call.template_name);
    if (called == nullptr) {
        return;
    }
    for (const model::Parameter& input : called->inputs.parameters) {
        if (input.value || input.default_value || (!input.type.empty() && input.optional)) {
            continue;  // a typed optional input may stay unbound (KFP v2 isOptional)
        }
        const model::Parameter* given = model::find_by_name(call.arguments.parameters, input.name);
        if (given != nullptr && (given->value || given->default_value || given->from_parameter ||
                                 given->from_expression || given->from_supplied)) {
            continue;
        }
        error(call.yaml_path, "`" + call.name + "` calls template `" + called->name +
                                  "` without its input parameter `" + input.name +
                                  "`, which has no default (Argo: inputs.parameters." + input.name +
                                  " was not supplied)");
    }
}

void WorkflowValidator::check_dag(const model::Template& tmpl) {
    std::map<std::string, const model::TaskCall*> tasks;
    for (const model::TaskCall& task : tmpl.dag.tasks) {
        if (!tasks.emplace(task.name, &task).second) {
            error(task.yaml_path,
                  "task name `" + task.name + "` is used twice in template `" + tmpl.name + "`");
        }
        if (!task.name.empty() && std::isdigit(static_cast<unsigned char>(task.name[0])) != 0) {
            error(task.yaml_path, "task name `" + task.name + "` must not start with a digit");
        }
    }
    std::map<std::string, std::set<std::string>> edges;
    for (const model::TaskCall& task : tmpl.dag.tasks) {
        if (!task.depends.empty() && !task.dependencies.empty()) {
            error(task.yaml_path,
                  "task `" + task.name + "` uses both `depends` and `dependencies`");
        }
        std::set<std::string> dependencies(task.dependencies.begin(), task.dependencies.end());
        if (!task.depends.empty()) {
            auto logic = DependsExpression::parse(task.depends);
            if (!logic.ok()) {
                error(task.yaml_path + ".depends", logic.error().message);
            } else {
                dependencies = logic->tasks();
            }
        }
        for (const std::string& dependency : dependencies) {
            if (tasks.count(dependency) == 0) {
                error(task.yaml_path, "task `" + task.name + "` depends on `" + dependency +
                                          "`, which is not a task of template `" + tmpl.name + "`");
            }
        }
        edges[task.name] = dependencies;
        auto sibling = [this, &tasks](const std::string& name) {
            if (name.rfind("steps.", 0) == 0) {
                return std::string("{{steps.*}} is used in a DAG; use {{tasks.*}}");
            }
            return check_sibling_reference(name, "tasks.", tasks);
        };
        check_call(tmpl, task, task_checker(tmpl, task, sibling));
    }
    // Cycles: a depth-first walk over the dependency edges.
    std::map<std::string, int> state;  // 0 new, 1 on the stack, 2 done
    std::function<bool(const std::string&, std::vector<std::string>&)> visit =
        [&](const std::string& name, std::vector<std::string>& path) -> bool {
        state[name] = 1;
        path.push_back(name);
        for (const std::string& next : edges[name]) {
            if (tasks.count(next) == 0) {
                continue;
            }
            if (state[next] == 1) {
                path.push_back(next);
                return true;
            }
            if (state[next] == 0 && visit(next, path)) {
                return true;
            }
        }
        path.pop_back();
        state[name] = 2;
        return false;
    };
    for (const model::TaskCall& task : tmpl.dag.tasks) {
        std::vector<std::string> path;
        if (state[task.name] == 0 && visit(task.name, path)) {
            error(task.yaml_path,
                  "the tasks of template `" + tmpl.name +
                      "` depend on each other in a cycle: " + base::join(path, " -> "));
            break;
        }
    }
    if (!tmpl.dag.target.empty()) {
        for (const std::string& target : base::split(tmpl.dag.target, ' ')) {
            if (!target.empty() && tasks.count(target) == 0) {
                error(tmpl.yaml_path + ".dag.target",
                      "target `" + target + "` is not a task of template `" + tmpl.name + "`");
            }
        }
    }
}

void WorkflowValidator::check_steps(const model::Template& tmpl) {
    std::map<std::string, const model::TaskCall*> earlier;
    for (const auto& group : tmpl.steps.groups) {
        for (const model::TaskCall& step : group) {
            auto sibling = [this, &earlier](const std::string& name) {
                if (name.rfind("tasks.", 0) == 0) {
                    return std::string("{{tasks.*}} is used in steps; use {{steps.*}}");
                }
                return check_sibling_reference(name, "steps.", earlier);
            };
            check_call(tmpl, step, task_checker(tmpl, step, sibling));
        }
        for (const model::TaskCall& step : group) {
            earlier[step.name] = &step;
        }
    }
}

}  // namespace kfrun::engine
