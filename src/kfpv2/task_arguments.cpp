// A task's inputs (TaskInputsSpec) as the arguments of its call, in Argo's expressions.
#include "base/json_text.hpp"
#include "base/strings.hpp"
#include "kfpv2/translation.hpp"
#include "model/typed_value.hpp"

namespace kfrun::kfpv2 {

using base::Result;

namespace {

// A constant that is exactly one of these placeholders is replaced as the backend's driver
// does; inside a longer string they stay literal.
std::optional<std::string> pipeline_placeholder(const std::string& text, const std::string& task) {
    if (text == "{{$.pipeline_job_name}}" || text == "{{$.pipeline_job_resource_name}}") {
        return std::string("{{workflow.name}}");
    }
    if (text == "{{$.pipeline_job_uuid}}") {
        return std::string("{{workflow.uid}}");
    }
    if (text == "{{$.pipeline_task_name}}") {
        return task;
    }
    if (text == "{{$.pipeline_job_create_time_utc}}" ||
        text == "{{$.pipeline_job_schedule_time_utc}}") {
        return std::string("{{workflow.creationTimestamp}}");
    }
    return std::nullopt;
}

// The deprecated ml_pipelines.Value {intValue|doubleValue|stringValue} as JSON.
// The parameterType the callee declares for its input `name` ("" when it declares none).
std::string declared_type(const nlohmann::json& callee, const std::string& name) {
    return text_member(
        member(member(member(callee, "inputDefinitions"), "parameters"), name.c_str()),
        "parameterType");
}

nlohmann::json old_constant(const nlohmann::json& value) {
    for (const char* key : {"stringValue", "intValue", "doubleValue"}) {
        if (value.is_object() && value.contains(key)) {
            return value[key];
        }
    }
    return nlohmann::json();
}

bool declares(const nlohmann::json& component, const char* kind, const std::string& name) {
    const nlohmann::json& map = member(member(component, "inputDefinitions"), kind);
    return map.is_object() && map.contains(name);
}

bool has_task(const DagScope& dag, const std::string& name) {
    return dag.tasks != nullptr && dag.tasks->is_object() && dag.tasks->contains(name);
}

}  // namespace

std::optional<std::string> selector_key(const std::string& selector) {
    // No std::regex on pipeline text: libstdc++'s recursion overflows the stack on long input.
    std::size_t begin = selector.find_first_not_of(" \t");
    std::size_t end = selector.find_last_not_of(" \t");
    if (begin == std::string::npos) {
        return std::nullopt;
    }
    const std::string text = selector.substr(begin, end - begin + 1);
    const std::string prefix = "parseJson(string_value)[\"";
    const std::string suffix = "\"]";
    if (text.size() <= prefix.size() + suffix.size() || text.rfind(prefix, 0) != 0 ||
        text.compare(text.size() - suffix.size(), suffix.size(), suffix) != 0) {
        return std::nullopt;
    }
    std::string key = text.substr(prefix.size(), text.size() - prefix.size() - suffix.size());
    if (key.find('"') != std::string::npos) {
        return std::nullopt;
    }
    return key;
}

Result<void> bind_task_inputs(Translation& t, const DagScope& dag, const std::string& task,
                              const nlohmann::json& task_spec, const std::string& rel,
                              const nlohmann::json& callee, model::TaskCall& call,
                              std::set<std::string>& upstream,
                              std::map<std::string, std::string>& bound) {
    const nlohmann::json& inputs = member(task_spec, "inputs");
    const std::string inputs_rel = rel + ".inputs";
    std::map<std::string, std::string> fstrings;  // name → constant with input placeholders
    std::map<std::string, std::string> paths;
    for (const auto& [name, input] : member(inputs, "parameters").items()) {
        const std::string p = inputs_rel + ".parameters." + name;
        paths[name] = p;
        std::string expression;
        const std::string selector = text_member(input, "parameterExpressionSelector");
        if (input.contains("componentInputParameter")) {
            const std::string source = text_member(input, "componentInputParameter");
            if (!declares(*dag.component, "parameters", source)) {
                return t.error(p + ".componentInputParameter",
                               "`" + source + "` is not an input parameter of the DAG component `" +
                                   dag_name(dag.component_key) + "`");
            }
            expression = "{{inputs.parameters." + source + "}}";
            if (!selector.empty()) {
                if (auto key = selector_key(selector)) {
                    expression = "{{inputs.parameters." + source + "-subvar-" + *key + "}}";
                } else {
                    t.notice(model::Notice::Severity::Unsupported,
                             t.path(p + ".parameterExpressionSelector"),
                             "parameterExpressionSelector `" + selector +
                                 "` is not supported: kfrun reads "
                                 "parseJson(string_value)[\"key\"] of an input only");
                }
            }
        } else if (input.contains("taskOutputParameter")) {
            const nlohmann::json& output = input["taskOutputParameter"];
            const std::string producer = text_member(output, "producerTask");
            if (!has_task(dag, producer)) {
                return t.error(p + ".taskOutputParameter.producerTask",
                               "producer task `" + producer + "` is not a task of the DAG `" +
                                   dag_name(dag.component_key) + "`");
            }
            upstream.insert(producer);
            expression = "{{tasks." + producer + ".outputs.parameters." +
                         text_member(output, "outputParameterKey") + "}}";
            if (!selector.empty()) {
                t.notice(model::Notice::Severity::Unsupported,
                         t.path(p + ".parameterExpressionSelector"),
                         "parameterExpressionSelector `" + selector +
                             "` on a task output is not supported");
            }
        } else if (input.contains("runtimeValue")) {
            const nlohmann::json& runtime = input["runtimeValue"];
            if (runtime.contains("runtimeParameter")) {
                t.notice(model::Notice::Severity::Unsupported, t.path(p + ".runtimeValue"),
                         "runtimeValue.runtimeParameter (a v1-era pipeline parameter reference) "
                         "is not supported");
                continue;
            }
            nlohmann::json constant = runtime.contains("constant")
                                          ? runtime["constant"]
                                          : old_constant(member(runtime, "constantValue"));
            if (constant.is_null()) {
                continue;  // null: the input is not bound
            }
            if (constant.is_string()) {
                // The workspace's path replaces its placeholder anywhere in the string.
                const std::string text = base::replace_all(
                    constant.get<std::string>(), "{{$.workspace_path}}", k_workspace_path);
                if (auto replaced = pipeline_placeholder(text, task)) {
                    expression = *replaced;
                } else if (text.find("{{$.inputs.parameters['") != std::string::npos) {
                    fstrings[name] = text;
                    continue;
                } else if (declared_type(callee, name) != "STRING" &&
                           !declared_type(callee, name).empty()) {
                    // A string where a number, bool, list or struct is declared: the driver
                    // fails the task ("type mismatch", row 17). Kept as JSON text ("\"3\""),
                    // which no such type parses, so the engine's input check fails it too.
                    expression = base::json_text(constant);
                } else {
                    expression = text;
                }
            } else {
                expression = model::canonical_text(constant);
            }
        } else if (input.contains("taskFinalStatus")) {
            const std::string producer = text_member(input["taskFinalStatus"], "producerTask");
            if (!has_task(dag, producer)) {
                return t.error(p + ".taskFinalStatus.producerTask",
                               "producer task `" + producer + "` is not a task of the DAG `" +
                                   dag_name(dag.component_key) + "`");
            }
            // PipelineTaskFinalStatus as the driver builds it; the engine turns the Argo
            // phase into COMPLETE/FAILED/CANCELED.
            nlohmann::json status = {{"error", nlohmann::json::object()},
                                     {"pipelineJobResourceName", "{{workflow.name}}"},
                                     {"pipelineTaskName", producer},
                                     {"state", "{{tasks." + producer + ".status}}"}};
            expression = base::json_text(status);
        } else {
            return t.error(p, "the input parameter `" + name +
                                  "` names no value (expected "
                                  "componentInputParameter, taskOutputParameter, runtimeValue or "
                                  "taskFinalStatus)");
        }
        bound[name] = expression;
    }
    // f-strings: "a-{{$.inputs.parameters['pipelinechannel--x']}}" with each placeholder
    // replaced by what this task binds that input to.
    const std::string open = "{{$.inputs.parameters['";
    const std::string close = "']}}";
    for (const auto& [name, text] : fstrings) {
        std::string out;
        std::size_t last = 0;
        for (std::size_t at = text.find(open); at != std::string::npos;
             at = text.find(open, last)) {
            std::size_t stop = text.find(close, at + open.size());
            if (stop == std::string::npos) {
                break;
            }
            const std::string input = text.substr(at + open.size(), stop - at - open.size());
            auto source = bound.find(input);
            if (source == bound.end()) {
                return t.error(
                    paths[name] + ".runtimeValue.constant",
                    "the constant names input `" + input + "`, which this task does not bind");
            }
            out += text.substr(last, at - last) + source->second;
            last = stop + close.size();
        }
        out += text.substr(last);
        bound[name] = out;
    }
    for (const auto& [name, expression] : bound) {
        if (!declares(callee, "parameters", name)) {
            continue;  // pipelinechannel inputs that only feed f-strings or iterators
        }
        model::Parameter argument;
        argument.name = name;
        argument.value = expression;
        argument.yaml_path = t.path(paths[name]);
        call.arguments.parameters.push_back(std::move(argument));
    }
    for (const auto& [name, input] : member(inputs, "artifacts").items()) {
        const std::string p = inputs_rel + ".artifacts." + name;
        model::Artifact argument;
        argument.name = name;
        argument.yaml_path = t.path(p);
        if (input.contains("taskOutputArtifact")) {
            const nlohmann::json& output = input["taskOutputArtifact"];
            const std::string producer = text_member(output, "producerTask");
            if (!has_task(dag, producer)) {
                return t.error(p + ".taskOutputArtifact.producerTask",
                               "producer task `" + producer + "` is not a task of the DAG `" +
                                   dag_name(dag.component_key) + "`");
            }
            upstream.insert(producer);
            argument.from = "{{tasks." + producer + ".outputs.artifacts." +
                            text_member(output, "outputArtifactKey") + "}}";
        } else if (input.contains("componentInputArtifact")) {
            const std::string source = text_member(input, "componentInputArtifact");
            if (!declares(*dag.component, "artifacts", source)) {
                return t.error(p + ".componentInputArtifact",
                               "`" + source + "` is not an input artifact of the DAG component `" +
                                   dag_name(dag.component_key) + "`");
            }
            argument.from = "{{inputs.artifacts." + source + "}}";
            // An optional input fed by an omitted optional DAG (pipeline) input artifact stays
            // unbound: the task's {{$}} has no entry for it.
            const nlohmann::json& spec =
                member(member(member(callee, "inputDefinitions"), "artifacts"), name.c_str());
            argument.optional =
                member(spec, "isOptional").is_boolean() && spec["isOptional"].get<bool>();
        } else {
            return t.error(p, "the input artifact `" + name +
                                  "` names no source (expected "
                                  "taskOutputArtifact or componentInputArtifact)");
        }
        if (declares(callee, "artifacts", name)) {
            call.arguments.artifacts.push_back(std::move(argument));
        }
    }
    return base::ok();
}

}  // namespace kfrun::kfpv2
