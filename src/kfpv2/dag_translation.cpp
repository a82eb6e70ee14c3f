// A DAG component as a Dag template: each task a call (with depends, condition, loop, retry),
// the DAG's outputs from its tasks' outputs. As the backend's Argo compiler lays it out.
#include "kfpv2/translation.hpp"

#include "base/json_depth.hpp"
#include "model/typed_value.hpp"

namespace kfrun::kfpv2 {

using base::Result;

namespace {

model::Parameter named_parameter(const std::string& name) {
    model::Parameter parameter;
    parameter.name = name;
    return parameter;
}

std::string depends_text(const std::set<std::string>& upstream, bool all_completed) {
    std::string out;
    for (const std::string& task : upstream) {
        if (!out.empty()) {
            out += " && ";
        }
        out += all_completed ? "(" + task + ".Succeeded || " + task + ".Failed || " + task +
                                   ".Errored || " + task + ".Skipped || " + task + ".Omitted)"
                             : task + ".Succeeded";
    }
    return out;
}

// parameterIterator → withItems (raw) / withParam (inputParameter); the item input bound to
// {{item}}, and each key a loop body selects bound to {{item.key}}.
Result<void> translate_loop(Translation& t, const nlohmann::json& iterator, const std::string& rel,
                            const std::string& callee_key,
                            const std::map<std::string, std::string>& bound,
                            model::TaskCall& call) {
    const nlohmann::json& items = member(iterator, "items");
    const std::string item_input = text_member(iterator, "itemInput");
    if (items.contains("raw")) {
        const std::string raw = text_member(items, "raw");
        if (!base::json_depth_within_limit(raw)) {
            return t.error(rel + ".items.raw", base::json_depth_problem("the ParallelFor items"));
        }
        nlohmann::json parsed = nlohmann::json::parse(raw, nullptr, false);
        if (parsed.is_discarded() || !parsed.is_array()) {
            return t.error(rel + ".items.raw", "the ParallelFor items are not a JSON list: `" +
                                                   raw.substr(0, 80) + "`");
        }
        call.with_items = std::move(parsed);
    } else if (items.contains("inputParameter")) {
        const std::string input = text_member(items, "inputParameter");
        auto it = bound.find(input);
        if (it == bound.end()) {
            return t.error(rel + ".items.inputParameter",
                           "the ParallelFor iterates over `" + input +
                               "`, which this task's inputs do not bind");
        }
        call.with_param = it->second;
    } else {
        return t.error(rel + ".items", "the ParallelFor names no items (raw or inputParameter)");
    }
    auto set_argument = [&call, &t, &rel](const std::string& name, const std::string& value) {
        for (model::Parameter& parameter : call.arguments.parameters) {
            if (parameter.name == name) {
                parameter.value = value;
                return;
            }
        }
        model::Parameter parameter;
        parameter.name = name;
        parameter.value = value;
        parameter.yaml_path = t.path(rel + ".itemInput");
        call.arguments.parameters.push_back(std::move(parameter));
    };
    set_argument(item_input, "{{item}}");
    auto keys = t.subvars.find(callee_key);
    if (keys != t.subvars.end()) {
        for (const auto& [input, key] : keys->second) {
            if (input == item_input) {
                set_argument(item_input + "-subvar-" + key, "{{item." + key + "}}");
            }
        }
    }
    return base::ok();
}

// iteratorPolicy.parallelismLimit: the loop moves into a DAG of its own whose parallelism
// caps the iterations (the backend's "iteration" template); the outer call passes the
// arguments in and the loop body's outputs come back out.
void wrap_parallel_loop(Translation& t, const std::string& limit, const nlohmann::json& callee,
                        const std::string& callee_rel, const std::string& task_rel,
                        model::TaskCall& call) {
    model::Template wrapper;
    wrapper.kind = model::Template::Kind::Dag;
    wrapper.dag.any_failure_fails = true;
    wrapper.name = t.unique_name(call.name + "-iteration");
    wrapper.parallelism = limit;
    wrapper.yaml_path = t.path(task_rel + ".iteratorPolicy");
    model::TaskCall inner = call;
    inner.depends.clear();
    inner.arguments = {};
    model::TaskCall outer;
    outer.name = call.name;
    outer.template_name = wrapper.name;
    outer.depends = call.depends;
    outer.yaml_path = call.yaml_path;
    for (const model::Parameter& argument : call.arguments.parameters) {
        const std::string value = argument.value.value_or("");
        model::Parameter passed = argument;
        if (value.rfind("{{item", 0) != 0) {
            wrapper.inputs.parameters.push_back(named_parameter(argument.name));
            outer.arguments.parameters.push_back(argument);
            passed.value = "{{inputs.parameters." + argument.name + "}}";
        }
        inner.arguments.parameters.push_back(std::move(passed));
    }
    for (const model::Artifact& argument : call.arguments.artifacts) {
        model::Artifact declared;
        declared.name = argument.name;
        wrapper.inputs.artifacts.push_back(declared);
        outer.arguments.artifacts.push_back(argument);
        model::Artifact passed = argument;
        passed.from = "{{inputs.artifacts." + argument.name + "}}";
        inner.arguments.artifacts.push_back(std::move(passed));
    }
    if (!call.with_param.empty()) {
        const std::string items = "kfrun-loop-items";
        wrapper.inputs.parameters.push_back(named_parameter(items));
        model::Parameter argument;
        argument.name = items;
        argument.value = call.with_param;
        outer.arguments.parameters.push_back(std::move(argument));
        inner.with_param = "{{inputs.parameters." + items + "}}";
    }
    model::Outputs outputs = declared_outputs(t, callee, callee_rel, false);
    for (model::Parameter& output : outputs.parameters) {
        output.from_parameter =
            "{{tasks." + inner.name + ".outputs.parameters." + output.name + "}}";
        wrapper.outputs.parameters.push_back(std::move(output));
    }
    for (model::Artifact& output : outputs.artifacts) {
        output.from = "{{tasks." + inner.name + ".outputs.artifacts." + output.name + "}}";
        wrapper.outputs.artifacts.push_back(std::move(output));
    }
    wrapper.dag.tasks.push_back(std::move(inner));
    t.workflow.templates.push_back(std::move(wrapper));
    call = std::move(outer);
}

// The callee's subvar inputs this task feeds from its own inputs: a field of a DAG input
// passed down (its own subvar), or of a constant struct. A loop item's fields are bound by
// translate_loop.
void bind_subvars(Translation& t, const nlohmann::json& spec, const std::string& rel,
                  const std::string& callee_key, model::TaskCall& call) {
    auto keys = t.subvars.find(callee_key);
    if (keys == t.subvars.end()) {
        return;
    }
    const std::string item_input = text_member(member(spec, "parameterIterator"), "itemInput");
    const nlohmann::json& inputs = member(member(spec, "inputs"), "parameters");
    for (const auto& [input, key] : keys->second) {
        if (input == item_input) {
            continue;
        }
        const std::string p = rel + ".inputs.parameters." + input;
        const nlohmann::json& binding = member(inputs, input.c_str());
        std::optional<std::string> value;
        if (binding.contains("componentInputParameter") &&
            !binding.contains("parameterExpressionSelector")) {
            value = "{{inputs.parameters." + text_member(binding, "componentInputParameter") +
                    "-subvar-" + key + "}}";
        } else {
            nlohmann::json constant = member(member(binding, "runtimeValue"), "constant");
            if (constant.is_string() &&
                base::json_depth_within_limit(constant.get<std::string>())) {
                constant = nlohmann::json::parse(constant.get<std::string>(), nullptr, false);
            }
            if (constant.is_object() && constant.contains(key)) {
                value = model::canonical_text(constant[key]);
            }
        }
        if (!value) {
            t.notice(model::Notice::Severity::Unsupported, t.path(p),
                     "the field `" + key + "` of input `" + input +
                         "` is selected inside the called DAG, but kfrun can pass a field down "
                         "only from a loop item, a DAG input or a constant");
            continue;
        }
        model::Parameter argument;
        argument.name = input + "-subvar-" + key;
        argument.value = *value;
        argument.yaml_path = t.path(p);
        call.arguments.parameters.push_back(std::move(argument));
    }
}

Result<model::TaskCall> translate_task(Translation& t, const DagScope& dag, const std::string& task,
                                       const nlohmann::json& spec, const std::string& rel) {
    model::TaskCall call;
    call.name = task;
    call.yaml_path = t.path(rel);
    if (spec.contains("artifactIterator")) {
        return t.error(rel + ".artifactIterator",
                       "artifact iterator not implemented yet (ParallelFor over a list of "
                       "artifacts; KFP's backend rejects it too)");
    }
    const std::string ref = text_member(member(spec, "componentRef"), "name");
    const nlohmann::json& callee = t.component(ref);
    if (callee.is_null()) {
        return t.error(rel + ".componentRef.name",
                       "componentRef `" + ref + "` names no component of this pipeline");
    }
    const std::string callee_rel = "components." + ref;
    std::set<std::string> upstream;
    std::map<std::string, std::string> bound;
    KFRUN_TRY(bind_task_inputs(t, dag, task, spec, rel, callee, call, upstream, bound));

    const nlohmann::json& retry = member(spec, "retryPolicy");
    if (callee.contains("dag")) {
        call.template_name = t.dag_templates.at(ref);
        if (!retry.is_null()) {
            t.notice(model::Notice::Severity::Ignored, t.path(rel + ".retryPolicy"),
                     "retryPolicy on a task that runs a DAG has no effect (the KFP backend "
                     "retries container tasks only); ignored");
        }
    } else {
        const std::string label = text_member(callee, "executorLabel");
        const nlohmann::json& executor = t.executor(label);
        if (executor.is_null()) {
            return t.error(
                callee_rel + ".executorLabel",
                "executorLabel `" + label + "` names no executor in deploymentSpec.executors");
        }
        if (executor.contains("container")) {
            if (auto pvc = translate_pvc_task(t, task, rel, ref, executor, call)) {
                KFRUN_TRY(*pvc);
                call.template_name = pvc->value();
            } else {
                auto name = translate_container_task(t, task, spec, rel, ref, executor, label, call,
                                                     upstream, bound);
                KFRUN_TRY(name);
                call.template_name = name.value();
            }
        } else {
            auto name = translate_importer_task(t, task, spec, rel, ref, label);
            KFRUN_TRY(name);
            call.template_name = name.value();
        }
    }

    const nlohmann::json& dependent = member(spec, "dependentTasks");
    for (std::size_t i = 0; i < dependent.size(); ++i) {
        const std::string name = dependent[i].is_string() ? dependent[i].get<std::string>() : "";
        if (dag.tasks == nullptr || !dag.tasks->contains(name)) {
            return t.error(rel + ".dependentTasks[" + std::to_string(i) + "]",
                           "dependent task `" + name + "` is not a task of the DAG `" +
                               dag_name(dag.component_key) + "`");
        }
        upstream.insert(name);
    }
    const nlohmann::json& trigger = member(spec, "triggerPolicy");
    call.depends =
        depends_text(upstream, text_member(trigger, "strategy") == "ALL_UPSTREAM_TASKS_COMPLETED");
    call.condition = text_member(trigger, "condition");

    bind_subvars(t, spec, rel, ref, call);
    if (spec.contains("parameterIterator")) {
        KFRUN_TRY(translate_loop(t, spec["parameterIterator"], rel + ".parameterIterator", ref,
                                 bound, call));
        const nlohmann::json& limit = member(member(spec, "iteratorPolicy"), "parallelismLimit");
        if (limit.is_number() && limit.get<double>() > 0) {
            wrap_parallel_loop(t, model::canonical_text(limit), callee, callee_rel, rel, call);
        }
    }
    return call;
}

}  // namespace

Result<void> translate_dag(Translation& t, const std::string& component_key,
                           const nlohmann::json& component, const std::string& rel) {
    model::Template tmpl;
    tmpl.kind = model::Template::Kind::Dag;
    tmpl.dag.any_failure_fails = true;
    tmpl.name = t.dag_templates.at(component_key);
    tmpl.yaml_path = t.path(rel);
    tmpl.inputs = declared_inputs(t, component, rel);
    auto keys = t.subvars.find(component_key);
    if (keys != t.subvars.end()) {
        for (const auto& [input, key] : keys->second) {
            const std::string name = input + "-subvar-" + key;
            if (model::find_by_name(tmpl.inputs.parameters, name) == nullptr) {
                model::Parameter parameter;
                parameter.name = name;
                parameter.yaml_path = t.path(rel + ".inputDefinitions");
                tmpl.inputs.parameters.push_back(std::move(parameter));
            }
        }
    }
    tmpl.outputs = declared_outputs(t, component, rel, false);

    const nlohmann::json& dag_spec = member(component, "dag");
    const nlohmann::json& tasks = member(dag_spec, "tasks");
    DagScope scope{&component, component_key, &tasks};
    for (const auto& [task, spec] : tasks.items()) {
        auto call = translate_task(t, scope, task, spec, rel + ".dag.tasks." + task);
        KFRUN_TRY(call);
        tmpl.dag.tasks.push_back(std::move(call.value()));
    }

    const nlohmann::json& outputs = member(dag_spec, "outputs");
    const std::string outputs_rel = rel + ".dag.outputs";
    auto check_producer = [&](const std::string& producer, const std::string& p) -> Result<void> {
        if (!tasks.contains(producer)) {
            return t.error(p, "producer task `" + producer + "` is not a task of the DAG `" +
                                  dag_name(component_key) + "`");
        }
        return base::ok();
    };
    for (const auto& [name, spec] : member(outputs, "parameters").items()) {
        const std::string p = outputs_rel + ".parameters." + name;
        model::Parameter* output = nullptr;
        for (model::Parameter& declared : tmpl.outputs.parameters) {
            output = declared.name == name ? &declared : output;
        }
        if (output == nullptr) {
            tmpl.outputs.parameters.push_back(named_parameter(name));
            output = &tmpl.outputs.parameters.back();
        }
        output->yaml_path = t.path(p);
        auto expression = [](const nlohmann::json& selector) {
            return "{{tasks." + text_member(selector, "producerSubtask") + ".outputs.parameters." +
                   text_member(selector, "outputParameterKey") + "}}";
        };
        if (spec.contains("valueFromParameter")) {
            const nlohmann::json& selector = spec["valueFromParameter"];
            KFRUN_TRY(check_producer(text_member(selector, "producerSubtask"),
                                     p + ".valueFromParameter.producerSubtask"));
            output->from_parameter = expression(selector);
        } else {
            const nlohmann::json& selectors =
                member(member(spec, "valueFromOneof"), "parameterSelectors");
            for (std::size_t i = 0; i < selectors.size(); ++i) {
                KFRUN_TRY(check_producer(text_member(selectors[i], "producerSubtask"),
                                         p + ".valueFromOneof.parameterSelectors[" +
                                             std::to_string(i) + "].producerSubtask"));
                output->from_first_of.push_back(expression(selectors[i]));
            }
        }
    }
    for (const auto& [name, spec] : member(outputs, "artifacts").items()) {
        const std::string p = outputs_rel + ".artifacts." + name;
        model::Artifact* output = nullptr;
        for (model::Artifact& declared : tmpl.outputs.artifacts) {
            output = declared.name == name ? &declared : output;
        }
        if (output == nullptr) {
            model::Artifact artifact;
            artifact.name = name;
            tmpl.outputs.artifacts.push_back(std::move(artifact));
            output = &tmpl.outputs.artifacts.back();
        }
        output->yaml_path = t.path(p);
        const nlohmann::json& selectors = member(spec, "artifactSelectors");
        std::vector<std::string> sources;
        for (std::size_t i = 0; i < selectors.size(); ++i) {
            KFRUN_TRY(check_producer(
                text_member(selectors[i], "producerSubtask"),
                p + ".artifactSelectors[" + std::to_string(i) + "].producerSubtask"));
            sources.push_back("{{tasks." + text_member(selectors[i], "producerSubtask") +
                              ".outputs.artifacts." +
                              text_member(selectors[i], "outputArtifactKey") + "}}");
        }
        if (sources.size() == 1) {
            output->from = sources.front();
        } else {
            output->from_first_of = std::move(sources);
        }
    }
    t.workflow.templates.push_back(std::move(tmpl));
    return base::ok();
}

}  // namespace kfrun::kfpv2
