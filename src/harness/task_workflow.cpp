#include "harness/task_workflow.hpp"

#include <algorithm>
#include <set>

#include "base/strings.hpp"

namespace kfrun::harness {

namespace {

base::Error input_error(std::string message) {
    return base::make_error(base::ErrorKind::Input, std::move(message), "task");
}

// The template a task name calls, from every DAG and steps template.
base::Result<std::string> find_task_template(const model::Workflow& pipeline,
                                             const std::string& task) {
    std::set<std::string> called;
    std::set<std::string> task_names;
    auto visit = [&](const model::TaskCall& call) {
        task_names.insert(call.name);
        if (call.name == task) {
            called.insert(call.template_name);
        }
    };
    for (const model::Template& tmpl : pipeline.templates) {
        for (const model::TaskCall& call : tmpl.dag.tasks) {
            visit(call);
        }
        for (const auto& group : tmpl.steps.groups) {
            for (const model::TaskCall& call : group) {
                visit(call);
            }
        }
    }
    if (called.size() == 1) {
        return *called.begin();
    }
    if (called.size() > 1) {
        return input_error("task `" + task + "` calls different templates in different places (" +
                           base::join({called.begin(), called.end()}, ", ") +
                           "); name the template instead");
    }
    if (pipeline.find_template(task) != nullptr) {
        return task;
    }
    return input_error("the pipeline has no task `" + task + "`; its tasks: " +
                       (task_names.empty() ? "(none)"
                                           : base::join({task_names.begin(), task_names.end()},
                                                        ", ")));
}

}  // namespace

base::Result<TaskWorkflow> make_task_workflow(const model::Workflow& pipeline,
                                              const std::string& task, const TaskInputs& inputs) {
    auto template_name = find_task_template(pipeline, task);
    KFRUN_TRY(template_name);
    TaskWorkflow out;
    out.workflow = pipeline;
    out.template_name = *template_name;
    model::Workflow& workflow = out.workflow;
    workflow.entrypoint = *template_name;
    workflow.on_exit.clear();
    workflow.arguments = {};
    if (!workflow.display_name.empty()) {
        workflow.display_name += " / " + task;
    }
    model::Template* tmpl = nullptr;
    for (model::Template& candidate : workflow.templates) {
        if (candidate.name == *template_name) {
            tmpl = &candidate;
        }
    }
    std::vector<std::string> known;
    for (const model::Parameter& parameter : tmpl->inputs.parameters) {
        known.push_back(parameter.name);
    }
    for (const model::Artifact& artifact : tmpl->inputs.artifacts) {
        known.push_back(artifact.name);
    }
    for (const auto& [name, value] : inputs.values) {
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            return input_error("task `" + task + "` has no input `" + name + "`; its inputs: " +
                               (known.empty() ? "(none)" : base::join(known, ", ")));
        }
    }
    for (const auto& [name, file] : inputs.files) {
        if (model::find_by_name(tmpl->inputs.artifacts, name) == nullptr) {
            return input_error("task `" + task + "` has no input artifact `" + name +
                               "` to take a file; its inputs: " +
                               (known.empty() ? "(none)" : base::join(known, ", ")));
        }
    }
    for (const model::Parameter& parameter : tmpl->inputs.parameters) {
        model::Parameter argument;
        argument.name = parameter.name;
        argument.yaml_path = parameter.yaml_path;
        if (auto it = inputs.values.find(parameter.name); it != inputs.values.end()) {
            argument.value = it->second;
        } else if (parameter.value || parameter.default_value) {
            argument.value = parameter.value ? parameter.value : parameter.default_value;
        } else {
            return input_error("task `" + task + "` needs input parameter `" + parameter.name +
                               "`; give it under `inputs:`");
        }
        workflow.arguments.parameters.push_back(std::move(argument));
    }
    for (model::Artifact& artifact : tmpl->inputs.artifacts) {
        if (auto it = inputs.values.find(artifact.name); it != inputs.values.end()) {
            artifact.raw_data = it->second;
            artifact.from.reset();
        } else if (auto file = inputs.files.find(artifact.name); file != inputs.files.end()) {
            out.files.emplace_back(artifact.name, file->second);
        } else if (!artifact.raw_data && !artifact.optional) {
            return input_error("task `" + task + "` needs input artifact `" + artifact.name +
                               "`; give it under `inputs:` as a value or {file: PATH}");
        }
    }
    workflow.index_templates();
    return out;
}

}  // namespace kfrun::harness
