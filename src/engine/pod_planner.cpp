#include "engine/pod_planner.hpp"

#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "base/integers.hpp"
#include "base/json_text.hpp"
#include "base/strings.hpp"
#include "base/time.hpp"
#include "engine/placeholder.hpp"
#include "engine/pod_volumes.hpp"
#include "engine/quantity.hpp"
#include "engine/security_policy.hpp"
#include "engine/typed_manifest.hpp"

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

ResourceLimits plan_resources(const model::ResourceRequirements& resources) {
    // Limits become Docker limits; requests only place pods on a cluster's nodes.
    ResourceLimits out;
    const auto& limits = resources.limits;
    if (auto it = limits.find("memory"); it != limits.end()) {
        out.memory_bytes = parse_memory_quantity(it->second);
    }
    if (auto it = limits.find("cpu"); it != limits.end()) {
        out.nano_cpus = parse_cpu_quantity(it->second);
    }
    if (auto it = limits.find("nvidia.com/gpu"); it != limits.end()) {
        out.gpus = base::saturating_atoi(it->second);
    }
    return out;
}

PullPolicy pull_policy(const std::string& image_pull_policy, PullPolicy fallback) {
    if (image_pull_policy == "Always") {
        return PullPolicy::Always;
    }
    if (image_pull_policy == "IfNotPresent") {
        return PullPolicy::Missing;
    }
    if (image_pull_policy == "Never") {
        return PullPolicy::Never;
    }
    return fallback;
}

}  // namespace

// --wheelhouse: the folder read-only in every step, and pip told to install only from it
// (explicit PIP_* settings of the step win). Its listing's digest is part of the cache key.
void PodPlanner::add_wheelhouse(PodJob& job) const {
    if (m_options.wheelhouse.empty()) {
        return;
    }
    VolumeMount mount;
    mount.type = VolumeMount::Type::Bind;
    mount.source = m_options.wheelhouse;
    mount.container_path = k_wheelhouse_mount;
    mount.read_only = true;
    job.spec.mounts.push_back(std::move(mount));
    job.wheelhouse = true;
    job.key.mounts.push_back(std::string("wheelhouse:") + k_wheelhouse_mount + ":" +
                             m_options.wheelhouse_digest);
    for (const auto& [name, value] : {std::pair<std::string, std::string>{"PIP_NO_INDEX", "1"},
                                      {"PIP_FIND_LINKS", k_wheelhouse_mount}}) {
        bool set = false;
        for (const auto& [existing, ignored] : job.spec.env) {
            set = set || existing == name;
        }
        if (!set) {
            job.spec.env.emplace_back(name, value);
            job.key.env.emplace_back(name, value);
        }
    }
}

Scope PodPlanner::leaf_scope(const Node& node, const model::Template& tmpl) const {
    Scope scope(&m_globals);
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& [name, value] : node.input_parameters) {
        scope.set("inputs.parameters." + name, value);
        inputs.push_back({{"name", name}, {"value", value}});
    }
    scope.set("inputs.parameters", base::json_text(inputs));
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

Result<CachePolicy> PodPlanner::plan_cache(const Node& node, const model::Template& tmpl,
                                          const Scope& scope) const {
    CachePolicy policy;
    const std::string& workflow = m_options.workflow_name;
    std::string below = node.name.size() > workflow.size() + 1 &&
                                node.name.compare(0, workflow.size(), workflow) == 0
                            ? node.name.substr(workflow.size() + 1)
                            : node.name;
    policy.step = m_options.pipeline_name + "/" + below;
    auto setting = [&tmpl](const std::string& key) -> std::optional<std::string> {
        if (auto it = tmpl.labels.find(key); it != tmpl.labels.end()) {
            return it->second;
        }
        if (auto it = tmpl.annotations.find(key); it != tmpl.annotations.end()) {
            return it->second;
        }
        return std::nullopt;
    };
    if (auto enabled = setting("pipelines.kubeflow.org/enable_caching")) {
        policy.enabled = base::to_lower(*enabled) != "false";
    }
    if (auto staleness = setting("pipelines.kubeflow.org/max_cache_staleness")) {
        policy.max_staleness = base::parse_iso8601_duration(*staleness);
        if (!policy.max_staleness) {
            return plan_error("pipelines.kubeflow.org/max_cache_staleness is not an ISO-8601 "
                              "duration (such as P30D or PT1H): " + *staleness);
        }
    }
    if (tmpl.memoize) {
        auto key = substitute(tmpl.memoize->key, scope);
        KFRUN_TRY(key);
        policy.memoize_key = *key;
        if (!tmpl.memoize->max_age.empty()) {
            policy.max_staleness = base::parse_go_duration(tmpl.memoize->max_age);
            if (!policy.max_staleness) {
                return plan_error("memoize.maxAge is not a duration: " + tmpl.memoize->max_age);
            }
        }
    }
    if (tmpl.launcher) {
        // cachingOptions: enableCache false (the IR's default) → never looked up nor written;
        // a cacheKey replaces the computed key (component name + key, as the backend).
        policy.enabled = tmpl.launcher->enable_cache;
        if (!tmpl.launcher->cache_key.empty()) {
            policy.custom_key =
                tmpl.launcher->component_name + std::string(1, '\0') + tmpl.launcher->cache_key;
        }
    }
    return policy;
}

Result<PodJob> PodPlanner::plan(const Node& node, const model::Template& tmpl) const {
    Scope scope = leaf_scope(node, tmpl);
    PodJob job;
    job.node = node.index;
    job.node_id = node.id;
    job.label = node.display_name;
    job.no_gpu_ok = m_options.no_gpu_ok;

    // Output parameters (paths and defaults substituted) and every distinct path to collect.
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
        for (std::optional<std::string>* field : {&resolved.from_path, &resolved.default_value,
                                                  &resolved.from_json_path, &resolved.value}) {
            if (*field) {
                auto text = substitute(**field, scope);
                KFRUN_TRY(text);
                *field = *text;
            }
        }
        if (resolved.from_path && tmpl.kind != model::Template::Kind::Resource) {
            add_output_path(*resolved.from_path);
        }
        job.output_parameters.push_back(std::move(resolved));
    }

    if (tmpl.kind == model::Template::Kind::Resource) {
        ResourceCall call;
        call.action = tmpl.resource.action;
        auto manifest =
            tmpl.resource.typed_manifest
                ? substitute_typed_manifest(tmpl.resource.manifest, tmpl.inputs.parameters, scope)
                : substitute(tmpl.resource.manifest, scope);
        KFRUN_TRY(manifest);
        call.manifest = *manifest;
        call.success_condition = tmpl.resource.success_condition;
        call.failure_condition = tmpl.resource.failure_condition;
        job.resource = std::move(call);
        job.spec.display_name = node.display_name;
        return job;
    }

    const model::ContainerSpec& container = tmpl.container;
    auto image = substitute(container.image, scope);
    KFRUN_TRY(image);
    if (image->empty()) {
        return plan_error("template `" + tmpl.name + "` names no container image");
    }
    job.original_image = *image;
    job.spec.image = m_options.image_map.map_or_same(*image);
    job.spec.pull_policy = pull_policy(container.image_pull_policy, m_options.pull_policy);

    if (!tmpl.launcher) {  // a launcher's argv is resolved with its executor input below
        auto command = substitute_all(container.command, scope);
        KFRUN_TRY(command);
        auto args = substitute_all(container.args, scope);
        KFRUN_TRY(args);
        job.spec.command = std::move(command.value());
        job.spec.args = std::move(args.value());
    }
    auto working_dir = substitute(container.working_dir, scope);
    KFRUN_TRY(working_dir);
    job.spec.working_dir = *working_dir;

    if (tmpl.kind == model::Template::Kind::Script) {
        auto source = substitute(container.source, scope);
        KFRUN_TRY(source);
        ArtifactRef script{ArtifactRef::Kind::File, "dry-run", source->size(), 1};
        if (!m_options.dry_run) {
            auto stored = m_store.ingest_bytes(*source);
            KFRUN_TRY(stored);
            script = *stored;
        }
        job.spec.inputs.push_back(InputPlacement{k_script_path, script});
        job.spec.args.push_back(k_script_path);
    }

    // Pod metadata as Argo and the KFP API server set it; the downward API reads it.
    PodContext pod{m_workflow, m_options, m_resources, node, scope, tmpl, tmpl.labels,
                   tmpl.annotations};
    pod.pod_labels["workflows.argoproj.io/workflow"] = m_options.workflow_name;
    pod.pod_labels["pipeline/runid"] = m_options.run_id;
    pod.pod_labels["workflows.argoproj.io/completed"] = "false";
    pod.pod_annotations["workflows.argoproj.io/node-name"] = node.name;
    pod.pod_annotations["workflows.argoproj.io/node-id"] = node.id;

    auto env = plan_env(container, pod, job.key, job.spec.secret_env);
    KFRUN_TRY(env);
    job.spec.env = std::move(env.value());
    auto mounts = plan_mounts(container.volume_mounts, pod, job.key);
    KFRUN_TRY(mounts);
    job.spec.mounts = std::move(mounts.value());
    add_wheelhouse(job);
    model::ResourceRequirements resources = container.resources;
    for (auto* map : {&resources.limits, &resources.requests}) {
        for (auto& [name, value] : *map) {  // e.g. KFP v2's cpu limit from a task input
            auto text = substitute(value, scope);
            KFRUN_TRY(text);
            value = std::move(text.value());
        }
    }
    job.spec.resources = plan_resources(resources);

    auto privileged = [this](const model::ContainerSpec& spec) -> Result<bool> {
        if (spec.privileged && !m_options.allow_privileged) {
            return plan_error("container `" + (spec.name.empty() ? "main" : spec.name) +
                              "` asks to run privileged; allow it with --allow-privileged");
        }
        return spec.privileged;
    };
    auto main_privileged = privileged(container);
    KFRUN_TRY(main_privileged);
    job.spec.privileged = *main_privileged;
    job.spec.security = container_security(container, tmpl, m_workflow);

    // Init containers and sidecars: their own command, env and mounts, the pod's network.
    // The same plan_env/plan_mounts as the main container: its cache key view (`key`) never
    // holds a Secret's value.
    auto plan_aux = [&](const model::ContainerSpec& spec,
                        ContainerKey& key) -> Result<AuxContainer> {
        AuxContainer aux;
        aux.name = spec.name;
        auto aux_image = substitute(spec.image, scope);
        KFRUN_TRY(aux_image);
        aux.image = m_options.image_map.map_or_same(*aux_image);
        auto aux_command = substitute_all(spec.command, scope);
        KFRUN_TRY(aux_command);
        aux.command = std::move(aux_command.value());
        auto aux_args = substitute_all(spec.args, scope);
        KFRUN_TRY(aux_args);
        aux.args = std::move(aux_args.value());
        auto aux_env = plan_env(spec, pod, key, aux.secret_env);
        KFRUN_TRY(aux_env);
        aux.env = std::move(aux_env.value());
        aux.working_dir = spec.working_dir;
        auto aux_mounts = plan_mounts(spec.volume_mounts, pod, key);
        KFRUN_TRY(aux_mounts);
        aux.mounts = std::move(aux_mounts.value());
        // Argo (addInitContainers, addSidecars): the main container's mounts only with
        // mirrorVolumeMounts, so a Secret volume reaches only the containers that name it.
        aux.mirror_volume_mounts = spec.mirror_volume_mounts;
        if (spec.mirror_volume_mounts) {
            // Its own mount wins where both name a path (Docker refuses a path mounted twice).
            std::set<std::string> own;
            for (const VolumeMount& mount : aux.mounts) {
                own.insert(mount.container_path);
            }
            const bool aligned = job.key.mounts.size() == job.spec.mounts.size();
            for (std::size_t i = 0; i < job.spec.mounts.size(); ++i) {
                if (own.count(job.spec.mounts[i].container_path) != 0) {
                    continue;
                }
                aux.mounts.push_back(job.spec.mounts[i]);
                if (aligned) {
                    key.mounts.push_back(job.key.mounts[i]);
                }
            }
            if (!aligned) {
                key.mounts.insert(key.mounts.end(), job.key.mounts.begin(), job.key.mounts.end());
            }
        }
        aux.resources = plan_resources(spec.resources);
        auto aux_privileged = privileged(spec);
        KFRUN_TRY(aux_privileged);
        aux.privileged = *aux_privileged;
        aux.security = container_security(spec, tmpl, m_workflow);
        return aux;
    };
    for (const model::ContainerSpec& init : tmpl.init_containers) {
        ContainerKey key;
        auto aux = plan_aux(init, key);
        KFRUN_TRY(aux);
        job.spec.init_containers.push_back(std::move(aux.value()));
        job.init_keys.push_back(std::move(key));
    }
    for (const model::ContainerSpec& sidecar : tmpl.sidecars) {
        ContainerKey key;
        auto aux = plan_aux(sidecar, key);
        KFRUN_TRY(aux);
        job.spec.sidecars.push_back(std::move(aux.value()));
        job.sidecar_keys.push_back(std::move(key));
    }

    // Inputs at their paths, outputs to collect: a launcher step places and names them itself.
    if (tmpl.launcher) {
        KFRUN_TRY(plan_launcher(node, tmpl, job));
    } else {
        for (const NamedArtifact& input : node.input_artifacts) {
            job.spec.inputs.push_back(InputPlacement{input.path, input.artifact});
        }
        job.input_artifacts = node.input_artifacts;
    }
    for (const model::Artifact& artifact : tmpl.outputs.artifacts) {
        if (tmpl.launcher) {
            break;
        }
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
    // Paths read only as output parameters: the runtime refuses one larger than the
    // output-parameter-bytes limit before reading it.
    for (const model::Parameter& parameter : job.output_parameters) {
        if (parameter.from_path) {
            job.spec.parameter_only_paths.insert(*parameter.from_path);
        }
    }
    for (const model::Artifact& artifact : job.output_artifacts) {
        job.spec.parameter_only_paths.erase(artifact.path);
    }

    job.input_parameters = node.input_parameters;
    auto cache = plan_cache(node, tmpl, scope);
    KFRUN_TRY(cache);
    job.cache = std::move(cache.value());

    if (tmpl.active_deadline_seconds) {
        auto seconds = substitute(*tmpl.active_deadline_seconds, scope);
        KFRUN_TRY(seconds);
        auto value = base::parse_k8s_int64(*seconds);
        if (!value || *value < 0) {
            return plan_error(
                "activeDeadlineSeconds must be a whole number of seconds (an "
                "int64), not `" +
                *seconds + "`");
        }
        long long ms = 0;
        job.template_deadline = Millis(__builtin_mul_overflow(*value, 1000LL, &ms)
                                           ? std::numeric_limits<long long>::max()
                                           : ms);
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
