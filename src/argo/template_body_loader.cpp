// TemplateLoader, part two: containers, DAG tasks, steps and the template itself.
#include <set>

#include "argo/template_loader.hpp"

namespace kfrun::argo {

using base::Result;

namespace {

std::string item_path(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

const std::set<std::string> k_container_ignored = {
    "ports",           "readinessProbe", "livenessProbe", "startupProbe",
    "lifecycle",       "terminationMessagePath", "terminationMessagePolicy", "stdin",
    "stdinOnce",       "tty",            "volumeDevices", "imagePullSecrets"};

const std::set<std::string> k_template_ignored = {
    "nodeSelector",     "tolerations",       "affinity",        "podSpecPatch",
    "serviceAccountName", "priorityClassName", "priority",
    "schedulerName",    "archiveLocation",   "hostAliases",     "automountServiceAccountToken",
    "executor",         "metrics",           "synchronization", "archiveLogs",
    "imagePullSecrets"};

}  // namespace

Result<model::ContainerSpec> TemplateLoader::load_container(const YAML::Node& node,
                                                            const std::string& path) {
    model::ContainerSpec container;
    container.yaml_path = path;
    m_reader.mark(node, path);
    if (!node.IsMap()) {
        return m_reader.error(path, "a container must be a mapping");
    }
    container.name = m_reader.scalar_or(node, "name", path);
    container.image = m_reader.scalar_or(node, "image", path);
    container.command = m_reader.strings(node, "command", path);
    container.args = m_reader.strings(node, "args", path);
    container.working_dir = m_reader.scalar_or(node, "workingDir", path);
    container.image_pull_policy = m_reader.scalar_or(node, "imagePullPolicy", path);
    container.source = m_reader.scalar_or(node, "source", path);
    container.mirror_volume_mounts = m_reader.boolean(node, "mirrorVolumeMounts", path);
    if (YAML::Node env = node["env"]; env && env.IsSequence()) {
        for (std::size_t i = 0; i < env.size(); ++i) {
            std::string p = item_path(path + ".env", i);
            m_reader.mark(env[i], p);
            model::EnvVar var;
            var.yaml_path = p;
            var.name = m_reader.scalar_or(env[i], "name", p);
            var.value = m_reader.scalar_or(env[i], "value", p);
            if (YAML::Node from = env[i]["valueFrom"]; from && from.IsMap()) {
                model::EnvSource source;
                std::string fp = p + ".valueFrom";
                if (YAML::Node field = from["fieldRef"]) {
                    source.kind = model::EnvSource::Kind::FieldRef;
                    source.field_path = m_reader.scalar_or(field, "fieldPath", fp + ".fieldRef");
                } else if (YAML::Node secret = from["secretKeyRef"]) {
                    source.kind = model::EnvSource::Kind::SecretKeyRef;
                    source.name = m_reader.scalar_or(secret, "name", fp + ".secretKeyRef");
                    source.key = m_reader.scalar_or(secret, "key", fp + ".secretKeyRef");
                    source.optional = m_reader.boolean(secret, "optional", fp + ".secretKeyRef");
                } else if (YAML::Node config = from["configMapKeyRef"]) {
                    source.kind = model::EnvSource::Kind::ConfigMapKeyRef;
                    source.name = m_reader.scalar_or(config, "name", fp + ".configMapKeyRef");
                    source.key = m_reader.scalar_or(config, "key", fp + ".configMapKeyRef");
                    source.optional = m_reader.boolean(config, "optional", fp + ".configMapKeyRef");
                } else if (YAML::Node resource = from["resourceFieldRef"]) {
                    source.kind = model::EnvSource::Kind::ResourceFieldRef;
                    source.field_path =
                        m_reader.scalar_or(resource, "resource", fp + ".resourceFieldRef");
                }
                var.value_from = source;
            }
            container.env.push_back(std::move(var));
        }
    }
    if (YAML::Node env_from = node["envFrom"]; env_from && env_from.IsSequence()) {
        for (std::size_t i = 0; i < env_from.size(); ++i) {
            std::string p = item_path(path + ".envFrom", i);
            model::EnvFromSource source;
            source.prefix = m_reader.scalar_or(env_from[i], "prefix", p);
            if (YAML::Node secret = env_from[i]["secretRef"]) {
                source.kind = model::EnvFromSource::Kind::Secret;
                source.name = m_reader.scalar_or(secret, "name", p + ".secretRef");
                source.optional = m_reader.boolean(secret, "optional", p + ".secretRef");
            } else if (YAML::Node config = env_from[i]["configMapRef"]) {
                source.kind = model::EnvFromSource::Kind::ConfigMap;
                source.name = m_reader.scalar_or(config, "name", p + ".configMapRef");
                source.optional = m_reader.boolean(config, "optional", p + ".configMapRef");
            }
            m_reader.mark(env_from[i], p);
            container.env_from.push_back(std::move(source));
        }
    }
    if (YAML::Node mounts = node["volumeMounts"]; mounts && mounts.IsSequence()) {
        for (std::size_t i = 0; i < mounts.size(); ++i) {
            std::string p = item_path(path + ".volumeMounts", i);
            m_reader.mark(mounts[i], p);
            container.volume_mounts.push_back(
                model::VolumeMount{m_reader.scalar_or(mounts[i], "name", p),
                                   m_reader.scalar_or(mounts[i], "mountPath", p),
                                   m_reader.scalar_or(mounts[i], "subPath", p),
                                   m_reader.boolean(mounts[i], "readOnly", p)});
        }
    }
    if (YAML::Node resources = node["resources"]; resources && resources.IsMap()) {
        container.resources.limits = m_reader.string_map(resources, "limits", path + ".resources");
        container.resources.requests =
            m_reader.string_map(resources, "requests", path + ".resources");
    }
    if (YAML::Node security = node["securityContext"]) {
        std::string p = path + ".securityContext";
        auto context = load_security_context(security, p, true);
        KFRUN_TRY(context);
        container.security = std::move(context.value());
        if (security.IsMap()) {
            container.privileged = m_reader.boolean(security, "privileged", p);
        }
    }
    container.host_port_paths = host_ports(node, path);
    std::set<std::string> known = {"name",         "image",        "command",     "args",
                                   "env",          "envFrom",      "workingDir",  "volumeMounts",
                                   "resources",    "imagePullPolicy", "securityContext",
                                   "source",       "mirrorVolumeMounts"};
    m_reader.check_keys(node, path, known, k_container_ignored);
    return container;
}

Result<std::vector<model::ContainerSpec>> TemplateLoader::load_containers(
    const YAML::Node& node, const std::string& path) {
    std::vector<model::ContainerSpec> out;
    if (!node || !node.IsSequence()) {
        return out;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        auto container = load_container(node[i], item_path(path, i));
        KFRUN_TRY(container);
        out.push_back(std::move(container.value()));
    }
    return out;
}

Result<model::TaskCall> TemplateLoader::load_task(const YAML::Node& node, const std::string& path,
                                                  bool in_dag) {
    model::TaskCall task;
    task.yaml_path = path;
    m_reader.mark(node, path);
    if (!node.IsMap()) {
        return m_reader.error(path, "a task must be a mapping with a `name` and a `template`");
    }
    task.name = m_reader.scalar_or(node, "name", path);
    if (task.name.empty()) {
        return m_reader.error(path, "a task needs a `name`");
    }
    task.template_name = m_reader.scalar_or(node, "template", path);
    if (node["templateRef"]) {
        m_reader.notice(model::Notice::Severity::Unsupported, path + ".templateRef",
                        "`templateRef` calls a WorkflowTemplate stored in a cluster; kfrun runs "
                        "only templates defined in the file");
    } else if (task.template_name.empty() && !node["inline"]) {
        return m_reader.error(path, "task `" + task.name + "` names no `template`");
    }
    auto arguments = load_arguments(node["arguments"], path + ".arguments");
    KFRUN_TRY(arguments);
    task.arguments = std::move(arguments.value());
    task.dependencies = m_reader.strings(node, "dependencies", path);
    task.depends = m_reader.scalar_or(node, "depends", path);
    task.when = m_reader.scalar_or(node, "when", path);
    if (YAML::Node items = node["withItems"]) {
        m_reader.mark(items, path + ".withItems");
        task.with_items = yaml_to_json(items);
        if (!task.with_items->is_array()) {
            return m_reader.error(path + ".withItems", "`withItems` must be a list");
        }
    }
    task.with_param = m_reader.scalar_or(node, "withParam", path);
    if (YAML::Node sequence = node["withSequence"]; sequence && sequence.IsMap()) {
        std::string p = path + ".withSequence";
        model::Sequence seq;
        seq.count = m_reader.scalar(sequence, "count", p);
        seq.start = m_reader.scalar(sequence, "start", p);
        seq.end = m_reader.scalar(sequence, "end", p);
        seq.format = m_reader.scalar_or(sequence, "format", p);
        task.with_sequence = seq;
    }
    if (YAML::Node continue_on = node["continueOn"]; continue_on && continue_on.IsMap()) {
        task.continue_on.failed = m_reader.boolean(continue_on, "failed", path + ".continueOn");
        task.continue_on.error = m_reader.boolean(continue_on, "error", path + ".continueOn");
    }
    task.on_exit = m_reader.scalar_or(node, "onExit", path);
    if (node["inline"]) {
        m_reader.notice(model::Notice::Severity::Unsupported, path + ".inline",
                        "inline templates are not supported yet");
    }
    if (node["hooks"]) {
        m_reader.notice(model::Notice::Severity::Unsupported, path + ".hooks",
                        "lifecycle hooks are not supported");
    }
    std::set<std::string> known = {"name",     "template",  "arguments", "when",
                                   "withItems", "withParam", "withSequence", "continueOn",
                                   "onExit",   "templateRef", "inline",  "hooks"};
    if (in_dag) {
        known.insert({"dependencies", "depends", "target"});
    }
    m_reader.check_keys(node, path, known, {});
    return task;
}

Result<void> TemplateLoader::load_dag(const YAML::Node& node, const std::string& path,
                                      model::Template& out) {
    m_reader.mark(node, path);
    YAML::Node tasks = node["tasks"];
    if (!tasks || !tasks.IsSequence()) {
        return m_reader.error(path, "a DAG needs a list of `tasks`");
    }
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        auto task = load_task(tasks[i], item_path(path + ".tasks", i), true);
        KFRUN_TRY(task);
        out.dag.tasks.push_back(std::move(task.value()));
    }
    out.dag.target = m_reader.scalar_or(node, "target", path);
    if (node["failFast"]) {
        out.dag.fail_fast = m_reader.boolean(node, "failFast", path, true);
    }
    m_reader.check_keys(node, path, {"tasks", "target", "failFast"}, {});
    return base::ok();
}

Result<void> TemplateLoader::load_steps(const YAML::Node& node, const std::string& path,
                                        model::Template& out) {
    m_reader.mark(node, path);
    if (!node.IsSequence()) {
        return m_reader.error(path, "`steps` must be a list of step groups");
    }
    for (std::size_t g = 0; g < node.size(); ++g) {
        std::string group_path = item_path(path, g);
        const YAML::Node& group = node[g];
        std::vector<model::TaskCall> calls;
        if (group.IsMap()) {  // a single step written without the inner list
            auto call = load_task(group, group_path, false);
            KFRUN_TRY(call);
            calls.push_back(std::move(call.value()));
        } else if (group.IsSequence()) {
            for (std::size_t s = 0; s < group.size(); ++s) {
                auto call = load_task(group[s], item_path(group_path, s), false);
                KFRUN_TRY(call);
                calls.push_back(std::move(call.value()));
            }
        } else {
            return m_reader.error(group_path, "a step group must be a list of steps");
        }
        out.steps.groups.push_back(std::move(calls));
    }
    return base::ok();
}

Result<model::Template> TemplateLoader::load_template(const YAML::Node& node,
                                                      const std::string& path) {
    model::Template tmpl;
    tmpl.yaml_path = path;
    m_reader.mark(node, path);
    if (!node.IsMap()) {
        return m_reader.error(path, "a template must be a mapping");
    }
    tmpl.name = m_reader.scalar_or(node, "name", path);
    if (tmpl.name.empty()) {
        return m_reader.error(path, "a template needs a `name`");
    }
    if (YAML::Node inputs = node["inputs"]; inputs && inputs.IsMap()) {
        auto parameters = load_parameters(inputs["parameters"], path + ".inputs.parameters");
        KFRUN_TRY(parameters);
        tmpl.inputs.parameters = std::move(parameters.value());
        auto artifacts = load_artifacts(inputs["artifacts"], path + ".inputs.artifacts", false);
        KFRUN_TRY(artifacts);
        tmpl.inputs.artifacts = std::move(artifacts.value());
    }
    if (YAML::Node outputs = node["outputs"]; outputs && outputs.IsMap()) {
        auto parameters = load_parameters(outputs["parameters"], path + ".outputs.parameters");
        KFRUN_TRY(parameters);
        tmpl.outputs.parameters = std::move(parameters.value());
        auto artifacts = load_artifacts(outputs["artifacts"], path + ".outputs.artifacts", true);
        KFRUN_TRY(artifacts);
        tmpl.outputs.artifacts = std::move(artifacts.value());
        // KFP's API server marks these two optional before submitting (a step need not write them).
        for (model::Artifact& artifact : tmpl.outputs.artifacts) {
            if (artifact.name == "mlpipeline-ui-metadata" || artifact.name == "mlpipeline-metrics") {
                artifact.optional = true;
            }
        }
    }
    if (YAML::Node container = node["container"]) {
        tmpl.kind = model::Template::Kind::Container;
        auto spec = load_container(container, path + ".container");
        KFRUN_TRY(spec);
        tmpl.container = std::move(spec.value());
    } else if (YAML::Node script = node["script"]) {
        tmpl.kind = model::Template::Kind::Script;
        auto spec = load_container(script, path + ".script");
        KFRUN_TRY(spec);
        tmpl.container = std::move(spec.value());
    } else if (YAML::Node dag = node["dag"]) {
        tmpl.kind = model::Template::Kind::Dag;
        KFRUN_TRY(load_dag(dag, path + ".dag", tmpl));
    } else if (YAML::Node steps = node["steps"]) {
        tmpl.kind = model::Template::Kind::Steps;
        KFRUN_TRY(load_steps(steps, path + ".steps", tmpl));
    } else if (YAML::Node resource = node["resource"]) {
        tmpl.kind = model::Template::Kind::Resource;
        std::string p = path + ".resource";
        m_reader.mark(resource, p);
        tmpl.resource.action = m_reader.scalar_or(resource, "action", p);
        tmpl.resource.manifest = m_reader.scalar_or(resource, "manifest", p);
        tmpl.resource.success_condition = m_reader.scalar_or(resource, "successCondition", p);
        tmpl.resource.failure_condition = m_reader.scalar_or(resource, "failureCondition", p);
        tmpl.resource.merge_strategy = m_reader.scalar_or(resource, "mergeStrategy", p);
    } else if (node["suspend"]) {
        tmpl.kind = model::Template::Kind::Suspend;
    } else {
        for (const char* kind : {"data", "http", "containerSet", "plugin"}) {
            if (node[kind]) {
                tmpl.unsupported_kind = kind;
            }
        }
        tmpl.kind = model::Template::Kind::Unsupported;
        m_reader.notice(model::Notice::Severity::Unsupported, path,
                        tmpl.unsupported_kind.empty()
                            ? "template `" + tmpl.name + "` has no container, script, dag, steps "
                                                         "or resource"
                            : "`" + tmpl.unsupported_kind + "` templates are not supported");
    }
    auto init = load_containers(node["initContainers"], path + ".initContainers");
    KFRUN_TRY(init);
    tmpl.init_containers = std::move(init.value());
    auto sidecars = load_containers(node["sidecars"], path + ".sidecars");
    KFRUN_TRY(sidecars);
    tmpl.sidecars = std::move(sidecars.value());
    auto volumes = load_volumes(node["volumes"], path + ".volumes");
    KFRUN_TRY(volumes);
    tmpl.volumes = std::move(volumes.value());
    auto pod_security =
        load_security_context(node["securityContext"], path + ".securityContext", false);
    KFRUN_TRY(pod_security);
    tmpl.pod_security = std::move(pod_security.value());
    tmpl.active_deadline_seconds = m_reader.scalar(node, "activeDeadlineSeconds", path);
    tmpl.parallelism = m_reader.scalar(node, "parallelism", path);
    tmpl.timeout = m_reader.scalar_or(node, "timeout", path);
    if (YAML::Node retry = node["retryStrategy"]; retry && retry.IsMap()) {
        auto strategy = load_retry(retry, path + ".retryStrategy");
        KFRUN_TRY(strategy);
        tmpl.retry_strategy = std::move(strategy.value());
    }
    if (YAML::Node memoize = node["memoize"]; memoize && memoize.IsMap()) {
        std::string p = path + ".memoize";
        model::Memoize m;
        m.key = m_reader.scalar_or(memoize, "key", p);
        m.max_age = m_reader.scalar_or(memoize, "maxAge", p);
        if (YAML::Node cache = memoize["cache"]; cache && cache["configMap"]) {
            m.cache_name = m_reader.scalar_or(cache["configMap"], "name", p + ".cache.configMap");
        }
        tmpl.memoize = m;
    }
    if (YAML::Node metadata = node["metadata"]; metadata && metadata.IsMap()) {
        tmpl.labels = m_reader.string_map(metadata, "labels", path + ".metadata");
        tmpl.annotations = m_reader.string_map(metadata, "annotations", path + ".metadata");
    }
    std::set<std::string> known = {"name",          "inputs",        "outputs",   "container",
                                   "script",        "dag",           "steps",     "resource",
                                   "suspend",       "initContainers", "sidecars", "volumes",
                                   "activeDeadlineSeconds", "parallelism", "timeout",
                                   "retryStrategy", "memoize",       "metadata",  "data",
                                   "http",          "containerSet",  "plugin",
                                   "securityContext"};
    m_reader.check_keys(node, path, known, k_template_ignored);
    return tmpl;
}

}  // namespace kfrun::argo
