#include "engine/pod_planner.hpp"

#include <nlohmann/json.hpp>

#include "base/sha256.hpp"
#include "base/strings.hpp"
#include "engine/placeholder.hpp"
#include "engine/quantity.hpp"

namespace kfrun::engine {

using base::Result;

namespace {

constexpr const char* k_script_path = "/argo/staging/script";

base::Error plan_error(const std::string& message) {
    return base::make_error(base::ErrorKind::Step, message);
}

Result<std::vector<std::string>> substitute_all(const std::vector<std::string>& texts,
                                                const Scope& scope) {
    std::vector<std::string> out;
    out.reserve(texts.size());
    for (const std::string& text : texts) {
        auto value = substitute(text, scope);
        KFRUN_TRY(value);
        out.push_back(std::move(value.value()));
    }
    return out;
}

// The value of metadata.labels['x'] / metadata.annotations['x'] style field paths.
std::optional<std::string> bracket_key(const std::string& path, const std::string& prefix) {
    if (path.rfind(prefix, 0) != 0) {
        return std::nullopt;
    }
    std::string rest = path.substr(prefix.size());
    if (rest.size() >= 4 && rest.front() == '[' && rest.back() == ']') {
        rest = rest.substr(1, rest.size() - 2);
        if (rest.size() >= 2 && (rest.front() == '\'' || rest.front() == '"')) {
            rest = rest.substr(1, rest.size() - 2);
        }
        return rest;
    }
    if (!rest.empty() && rest.front() == '.') {
        return rest.substr(1);
    }
    return std::nullopt;
}

}  // namespace

Scope PodPlanner::leaf_scope(const Node& node, const model::Template& tmpl) const {
    Scope scope(&m_globals);
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& [name, value] : node.input_parameters) {
        scope.set("inputs.parameters." + name, value);
        inputs.push_back({{"name", name}, {"value", value}});
    }
    scope.set("inputs.parameters", inputs.dump());
    scope.set("pod.name", node.id);
    if (node.retry_attempt >= 0) {
        scope.set("retries", std::to_string(node.retry_attempt));
    }
    for (const model::Artifact& artifact : tmpl.inputs.artifacts) {
        auto path = substitute(artifact.path, scope);
        scope.set("inputs.artifacts." + artifact.name + ".path", path ? *path : artifact.path);
    }
    for (const model::Parameter& parameter : tmpl.outputs.parameters) {
        if (parameter.from_path) {
            auto path = substitute(*parameter.from_path, scope);
            scope.set("outputs.parameters." + parameter.name + ".path",
                      path ? *path : *parameter.from_path);
        }
    }
    for (const model::Artifact& artifact : tmpl.outputs.artifacts) {
        auto path = substitute(artifact.path, scope);
        scope.set("outputs.artifacts." + artifact.name + ".path", path ? *path : artifact.path);
    }
    return scope;
}

Result<PodJob> PodPlanner::plan(const Node& node, const model::Template& tmpl) const {
    if (tmpl.kind == model::Template::Kind::Resource) {
        return plan_error("resource templates (action `" + tmpl.resource.action +
                          "`) cannot run yet");
    }
    const model::ContainerSpec& container = tmpl.container;
    Scope scope = leaf_scope(node, tmpl);
    PodJob job;
    job.node = node.index;
    job.node_id = node.id;
    job.label = node.display_name;

    auto image = substitute(container.image, scope);
    KFRUN_TRY(image);
    if (image->empty()) {
        return plan_error("template `" + tmpl.name + "` names no container image");
    }
    job.original_image = *image;
    job.spec.image = m_options.image_map.map_or_same(*image);

    auto command = substitute_all(container.command, scope);
    KFRUN_TRY(command);
    auto args = substitute_all(container.args, scope);
    KFRUN_TRY(args);
    job.spec.command = std::move(command.value());
    job.spec.args = std::move(args.value());
    auto working_dir = substitute(container.working_dir, scope);
    KFRUN_TRY(working_dir);
    job.spec.working_dir = *working_dir;

    if (tmpl.kind == model::Template::Kind::Script) {
        auto source = substitute(container.source, scope);
        KFRUN_TRY(source);
        auto script = m_store.ingest_bytes(*source);
        KFRUN_TRY(script);
        job.spec.inputs.push_back(InputPlacement{k_script_path, script.value()});
        job.spec.args.push_back(k_script_path);
    }

    // Pod metadata as Argo and the KFP API server set it; the downward API reads it.
    std::map<std::string, std::string> pod_labels = tmpl.labels;
    pod_labels["workflows.argoproj.io/workflow"] = m_options.workflow_name;
    pod_labels["pipeline/runid"] = m_options.run_id;
    pod_labels["workflows.argoproj.io/completed"] = "false";
    std::map<std::string, std::string> pod_annotations = tmpl.annotations;
    pod_annotations["workflows.argoproj.io/node-name"] = node.name;
    pod_annotations["workflows.argoproj.io/node-id"] = node.id;

    for (const model::EnvVar& var : container.env) {
        std::string value;
        if (var.value_from) {
            const model::EnvSource& source = *var.value_from;
            if (source.kind == model::EnvSource::Kind::FieldRef) {
                const std::string& path = source.field_path;
                if (path == "metadata.name") {
                    value = node.id;
                } else if (path == "metadata.namespace") {
                    value = m_options.namespace_name;
                } else if (path == "metadata.uid") {
                    std::string h = base::sha256_hex(m_options.run_id + "/" + node.id);
                    value = h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
                            h.substr(16, 4) + "-" + h.substr(20, 12);
                } else if (path == "spec.nodeName") {
                    value = "localhost";
                } else if (path == "spec.serviceAccountName") {
                    value = m_workflow.service_account;
                } else if (path == "status.podIP" || path == "status.hostIP") {
                    value = "";
                } else if (auto key = bracket_key(path, "metadata.labels")) {
                    auto it = pod_labels.find(*key);
                    value = it == pod_labels.end() ? "" : it->second;
                } else if (auto annotation = bracket_key(path, "metadata.annotations")) {
                    auto it = pod_annotations.find(*annotation);
                    value = it == pod_annotations.end() ? "" : it->second;
                } else {
                    return plan_error("env `" + var.name + "` reads field `" + path +
                                      "`, which has no local value");
                }
            } else {
                return plan_error("env `" + var.name + "` reads a Secret or ConfigMap (`" +
                                  source.name + "`), which is not supported yet");
            }
        } else {
            auto substituted = substitute(var.value, scope);
            KFRUN_TRY(substituted);
            value = *substituted;
        }
        job.spec.env.emplace_back(var.name, value);
    }
    if (!container.env_from.empty()) {
        return plan_error("`envFrom` (Secrets and ConfigMaps as env) is not supported yet");
    }
    if (!container.volume_mounts.empty() || !tmpl.volumes.empty()) {
        return plan_error("volumes are not supported yet");
    }
    if (container.privileged) {
        return plan_error("privileged containers are not supported");
    }

    // Resources: limits become Docker limits; requests only schedule pods on a cluster.
    const auto& limits = container.resources.limits;
    if (auto it = limits.find("memory"); it != limits.end()) {
        job.spec.resources.memory_bytes = parse_memory_quantity(it->second);
    }
    if (auto it = limits.find("cpu"); it != limits.end()) {
        job.spec.resources.nano_cpus = parse_cpu_quantity(it->second);
    }
    if (auto it = limits.find("nvidia.com/gpu"); it != limits.end()) {
        job.spec.resources.gpus = std::atoi(it->second.c_str());
    }

    // Inputs: artifacts at their paths.
    for (const NamedArtifact& input : node.input_artifacts) {
        job.spec.inputs.push_back(InputPlacement{input.path, input.artifact});
    }
    job.input_artifacts = node.input_artifacts;

    // Outputs: every distinct path a parameter or an artifact is read from.
    auto add_output_path = [&job](const std::string& path) {
        for (const std::string& existing : job.spec.output_paths) {
            if (existing == path) {
                return;
            }
        }
        job.spec.output_paths.push_back(path);
    };
    for (const model::Parameter& parameter : tmpl.outputs.parameters) {
        model::Parameter resolved = parameter;
        if (parameter.from_path) {
            auto path = substitute(*parameter.from_path, scope);
            KFRUN_TRY(path);
            resolved.from_path = *path;
            add_output_path(*path);
        }
        if (parameter.default_value) {
            auto fallback = substitute(*parameter.default_value, scope);
            KFRUN_TRY(fallback);
            resolved.default_value = *fallback;
        }
        job.output_parameters.push_back(std::move(resolved));
    }
    for (const model::Artifact& artifact : tmpl.outputs.artifacts) {
        model::Artifact resolved = artifact;
        auto path = substitute(artifact.path, scope);
        KFRUN_TRY(path);
        if (path->empty()) {
            return plan_error("output artifact `" + artifact.name + "` has no path");
        }
        resolved.path = *path;
        add_output_path(*path);
        job.output_artifacts.push_back(std::move(resolved));
    }

    if (tmpl.active_deadline_seconds) {
        auto seconds = substitute(*tmpl.active_deadline_seconds, scope);
        KFRUN_TRY(seconds);
        char* end = nullptr;
        long long value = std::strtoll(seconds->c_str(), &end, 10);
        if (end == seconds->c_str() || *end != '\0' || value < 0) {
            return plan_error("activeDeadlineSeconds is not a number: " + *seconds);
        }
        job.template_deadline = Millis(value * 1000);
    }

    job.spec.display_name = node.display_name;
    std::string short_run = m_options.run_id.substr(0, 8);
    std::string step_part = base::sanitize_name(node.display_name, 40);
    job.spec.container_name = "kfrun-" + short_run + "-" + (step_part.empty() ? "step" : step_part) +
                              "-" + node.id.substr(node.id.rfind('-') + 1);
    job.spec.labels = m_options.labels;
    job.spec.labels["org.kfrun.run"] = m_options.run_id;
    job.spec.labels["org.kfrun.node"] = node.id;
    job.spec.labels["org.kfrun.step"] = node.display_name;
    return job;
}

}  // namespace kfrun::engine
