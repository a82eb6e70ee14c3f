// A container task as its own Container template run with the KFP launcher's rules: the
// executor's command/args untouched in model::Launcher, image, env, resources, retry.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "kfpv2/translation.hpp"
#include "model/typed_value.hpp"

namespace kfrun::kfpv2 {

using base::Result;

namespace {

std::vector<std::string> strings(const nlohmann::json& list) {
    std::vector<std::string> out;
    for (const nlohmann::json& item : list) {
        out.push_back(item.is_string() ? item.get<std::string>() : model::canonical_text(item));
    }
    return out;
}

// A Kubernetes quantity from the string field, else from the deprecated double (memory as
// `<n>G`, as the driver reads it).
std::string quantity(const nlohmann::json& resources, const char* string_field,
                     const char* double_field, const char* unit) {
    std::string text = text_member(resources, string_field);
    if (!text.empty()) {
        return text;
    }
    const nlohmann::json& number = member(resources, double_field);
    if (number.is_number() && number.get<double>() > 0) {
        return model::canonical_text(number) + unit;
    }
    return "";
}

void translate_resources(Translation& t, const nlohmann::json& resources, const std::string& rel,
                         model::ResourceRequirements& out) {
    auto put = [](std::map<std::string, std::string>& map, const char* key,
                  const std::string& value) {
        if (!value.empty()) {
            map[key] = value;
        }
    };
    put(out.limits, "cpu", quantity(resources, "resourceCpuLimit", "cpuLimit", ""));
    put(out.limits, "memory", quantity(resources, "resourceMemoryLimit", "memoryLimit", "G"));
    put(out.requests, "cpu", quantity(resources, "resourceCpuRequest", "cpuRequest", ""));
    put(out.requests, "memory", quantity(resources, "resourceMemoryRequest", "memoryRequest", "G"));
    const nlohmann::json& accelerator = member(resources, "accelerator");
    if (accelerator.is_null()) {
        return;
    }
    std::string type = text_member(accelerator, "resourceType");
    if (type.empty()) {
        type = text_member(accelerator, "type");
    }
    std::string count = text_member(accelerator, "resourceCount");
    if (count.empty() && member(accelerator, "count").is_number()) {
        count = model::canonical_text(accelerator["count"]);
    }
    if (count.empty() && member(accelerator, "count").is_string()) {
        count = text_member(accelerator, "count");  // int64 in proto-JSON is a string
    }
    if (type.empty() || count.empty()) {
        return;  // the driver adds a limit only when both are set
    }
    if (type == "nvidia.com/gpu") {
        out.limits["nvidia.com/gpu"] = count;
        return;
    }
    t.notice(model::Notice::Severity::Ignored, t.path(rel + ".accelerator"),
             "accelerator `" + type +
                 "` has no local equivalent (kfrun requests only "
                 "nvidia.com/gpu); ignored");
}

// A protobuf Duration in proto-JSON ("3600s", "1.5s") as whole seconds.
std::string whole_seconds(const nlohmann::json& duration) {
    std::string text =
        duration.is_string() ? duration.get<std::string>() : model::canonical_text(duration);
    const double seconds = std::strtod(text.c_str(), nullptr);
    // The IR's bytes: NaN, negative or past what a Go duration holds (1e300s) would make the
    // cast undefined; a Duration's seconds are 0..292 years of nanoseconds here.
    if (!(seconds > 0)) {
        return "0";
    }
    return std::to_string(static_cast<long long>(std::trunc(std::min(seconds, 9223372036.0))));
}

}  // namespace

Result<std::string> translate_container_task(
    Translation& t, const std::string& task, const nlohmann::json& task_spec,
    const std::string& rel, const std::string& component_key, const nlohmann::json& executor,
    const std::string& executor_label, model::TaskCall& call, std::set<std::string>& upstream,
    const std::map<std::string, std::string>& bound) {
    const nlohmann::json& component = t.component(component_key);
    const std::string component_rel = "components." + component_key;
    const nlohmann::json& container = executor["container"];
    const std::string container_rel = "deploymentSpec.executors." + executor_label + ".container";

    model::Template tmpl;
    tmpl.kind = model::Template::Kind::Container;
    tmpl.name = t.unique_name(task);
    tmpl.yaml_path = t.path(rel);
    tmpl.inputs = declared_inputs(t, component, component_rel);
    tmpl.outputs = declared_outputs(t, component, component_rel, true);

    model::Launcher launcher;
    launcher.command = strings(member(container, "command"));
    launcher.args = strings(member(container, "args"));
    launcher.pipeline_name = t.pipeline_name;
    launcher.pipeline_root = k_pipeline_root;
    launcher.component_name = component_key;
    launcher.task_name = task;
    const nlohmann::json& caching = member(task_spec, "cachingOptions");
    launcher.enable_cache =
        member(caching, "enableCache").is_boolean() && caching["enableCache"].get<bool>();
    launcher.cache_key = text_member(caching, "cacheKey");
    if (launcher.command.empty() && launcher.args.empty()) {
        return t.error(container_rel,
                       "the executor's container has neither command nor args "
                       "(the KFP launcher needs a program to run)");
    }
    tmpl.launcher = std::move(launcher);

    model::ContainerSpec& spec = tmpl.container;
    spec.name = "main";
    spec.yaml_path = t.path(container_rel);
    // A field that is exactly `{{$.inputs.parameters['x']}}`: the input, or (x not declared by
    // the component, only bound by the task: `pipelinechannel--x`) a hidden input bound on the
    // call, as the driver resolves such fields from the task's inputs.
    auto input_reference = [&](const std::string& text) {
        auto input = whole_input_placeholder(text);
        if (!input) {
            return text;
        }
        if (model::find_by_name(tmpl.inputs.parameters, *input) != nullptr) {
            return "{{inputs.parameters." + *input + "}}";
        }
        auto binding = bound.find(*input);
        if (binding == bound.end()) {
            return text;  // the validator names it
        }
        const std::string hidden = "kfrun-channel-" + *input;
        if (model::find_by_name(tmpl.inputs.parameters, hidden) == nullptr) {
            model::Parameter parameter;
            parameter.name = hidden;
            parameter.type = "STRING";
            tmpl.inputs.parameters.push_back(parameter);
            model::Parameter argument;
            argument.name = hidden;
            argument.value = binding->second;
            call.arguments.parameters.push_back(std::move(argument));
        }
        return "{{inputs.parameters." + hidden + "}}";
    };
    spec.image = input_reference(text_member(container, "image"));
    if (spec.image.empty()) {
        return t.error(container_rel + ".image", "the executor's container names no image");
    }
    const nlohmann::json& env = member(container, "env");
    for (std::size_t i = 0; i < env.size(); ++i) {
        model::EnvVar var;
        var.name = text_member(env[i], "name");
        var.value = env[i].contains("value") ? model::canonical_text(env[i]["value"]) : "";
        var.yaml_path = t.path(container_rel + ".env[" + std::to_string(i) + "]");
        spec.env.push_back(std::move(var));
    }
    translate_resources(t, member(container, "resources"), container_rel + ".resources",
                        spec.resources);
    for (auto* map : {&spec.resources.limits, &spec.resources.requests}) {
        for (auto& [key, value] : *map) {
            value = input_reference(value);
        }
    }

    const nlohmann::json& retry = member(task_spec, "retryPolicy");
    if (retry.is_object()) {
        model::RetryStrategy strategy;
        const nlohmann::json& count = member(retry, "maxRetryCount");
        strategy.limit = count.is_null() ? std::string("0") : model::canonical_text(count);
        strategy.retry_policy = "Always";
        model::Backoff backoff;
        if (retry.contains("backoffDuration")) {
            backoff.duration = whole_seconds(retry["backoffDuration"]);
        }
        const nlohmann::json& factor = member(retry, "backoffFactor");
        backoff.factor = factor.is_null() ? std::string("0") : model::canonical_text(factor);
        if (retry.contains("backoffMaxDuration")) {
            backoff.max_duration = whole_seconds(retry["backoffMaxDuration"]);
        }
        strategy.backoff = std::move(backoff);
        tmpl.retry_strategy = std::move(strategy);
    }

    KFRUN_TRY(apply_platform(t, executor_label, tmpl, call, upstream));
    std::string name = tmpl.name;
    t.workflow.templates.push_back(std::move(tmpl));
    return name;
}

}  // namespace kfrun::kfpv2
