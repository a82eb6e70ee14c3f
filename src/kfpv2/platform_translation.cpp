// The kfp-kubernetes platform document (KubernetesExecutorConfig per executor label) on a
// container template: secrets and config maps as env and volumes, PVC mounts, emptyDir,
// field-path env, pull policy, deadline, security context, init containers; scheduling-only
// fields are listed as ignored.
#include "kfpv2/translation.hpp"
#include "model/typed_value.hpp"

namespace kfrun::kfpv2 {

using base::Result;

namespace {

bool flag(const nlohmann::json& object, const char* key) {
    return member(object, key).is_boolean() && object[key].get<bool>();
}

class PlatformApplier {
  public:
    PlatformApplier(Translation& t, const std::string& base, model::Template& tmpl,
                    model::TaskCall& call, std::set<std::string>& upstream)
        : m_t(t), m_base(base), m_tmpl(tmpl), m_call(call), m_upstream(upstream) {}

    // A Secret/ConfigMap name: the `…NameParameter` (a constant, or a pipeline input or task
    // output the engine resolves when it plans the step, as the driver does) or the deprecated
    // plain name.
    std::optional<std::string> object_name(const nlohmann::json& item, const char* parameter,
                                           const char* plain, const std::string& path,
                                           bool secret) {
        const nlohmann::json& spec = member(item, parameter);
        if (!spec.is_object()) {
            return text_member(item, plain);
        }
        const nlohmann::json& constant = member(member(spec, "runtimeValue"), "constant");
        if (constant.is_string()) {
            return constant.get<std::string>();
        }
        const std::string hidden =
            std::string(secret ? "kfrun-secret-name-" : "kfrun-config-map-name-") +
            std::to_string(secret ? m_secret_names++ : m_config_map_names++);
        return name_parameter(spec, path + "." + parameter, hidden, true);
    }

    // A PVC name: a constant, or a hidden input of the template bound on the call to the
    // DAG input / task output that names it.
    std::optional<std::string> claim_name(const nlohmann::json& item, const std::string& path,
                                          std::size_t index) {
        nlohmann::json spec = member(item, "pvcNameParameter");
        if (!spec.is_object()) {  // the deprecated oneof
            spec = nlohmann::json::object();
            if (item.contains("constant")) {
                spec["runtimeValue"]["constant"] = item["constant"];
            } else if (item.contains("componentInputParameter")) {
                spec["componentInputParameter"] = item["componentInputParameter"];
            } else if (item.contains("taskOutputParameter")) {
                spec["taskOutputParameter"] = item["taskOutputParameter"];
            }
        }
        return name_parameter(spec, path, "kfrun-pvc-name-" + std::to_string(index), false);
    }

    // A `…NameParameter` (TaskInputsSpec.InputParameterSpec): a constant as it is; a DAG input
    // or a task output becomes the hidden, optional STRING input `hidden` of the template, bound
    // on the call, and the name is `{{inputs.parameters.<hidden>}}`. `skippable`: an omitted
    // optional pipeline input leaves it unbound and the engine skips the item, as the driver
    // does for secrets and config maps.
    std::optional<std::string> name_parameter(const nlohmann::json& spec, const std::string& path,
                                              const std::string& hidden, bool skippable) {
        const nlohmann::json& constant = member(member(spec, "runtimeValue"), "constant");
        if (constant.is_string()) {
            return constant.get<std::string>();
        }
        std::string expression;
        if (spec.contains("componentInputParameter")) {
            expression =
                "{{inputs.parameters." + text_member(spec, "componentInputParameter") + "}}";
        } else if (spec.contains("taskOutputParameter")) {
            const nlohmann::json& output = spec["taskOutputParameter"];
            const std::string producer = text_member(output, "producerTask");
            m_upstream.insert(producer);
            expression = "{{tasks." + producer + ".outputs.parameters." +
                         text_member(output, "outputParameterKey") + "}}";
        } else {
            m_t.notice(model::Notice::Severity::Unsupported, path,
                       "the name is neither a constant, a component input nor a task output");
            return std::nullopt;
        }
        model::Parameter input;
        input.name = hidden;
        if (skippable) {
            input.type = model::k_type_string;
            input.optional = true;
        }
        input.yaml_path = path;
        m_tmpl.inputs.parameters.push_back(input);
        model::Parameter argument;
        argument.name = hidden;
        argument.value = expression;
        argument.yaml_path = path;
        m_call.arguments.parameters.push_back(std::move(argument));
        return "{{inputs.parameters." + hidden + "}}";
    }

    void mount(const std::string& volume, const nlohmann::json& item) {
        model::VolumeMount mount;
        mount.name = volume;
        mount.mount_path = text_member(item, "mountPath");
        mount.sub_path = text_member(item, "subPath");
        m_tmpl.container.volume_mounts.push_back(std::move(mount));
    }

    void env_from_keys(const nlohmann::json& item, const std::string& name, bool secret,
                       const std::string& path) {
        const nlohmann::json& keys = member(item, "keyToEnv");
        for (std::size_t j = 0; j < keys.size(); ++j) {
            model::EnvVar var;
            var.name = text_member(keys[j], "envVar");
            model::EnvSource source;
            source.kind = secret ? model::EnvSource::Kind::SecretKeyRef
                                 : model::EnvSource::Kind::ConfigMapKeyRef;
            source.name = name;
            source.key = text_member(keys[j], secret ? "secretKey" : "configMapKey");
            source.optional = flag(item, "optional");
            var.value_from = std::move(source);
            var.yaml_path = path + ".keyToEnv[" + std::to_string(j) + "]";
            m_tmpl.container.env.push_back(std::move(var));
        }
    }

    void object_volumes(const nlohmann::json& list, bool secret, const std::string& path) {
        const char* parameter = secret ? "secretNameParameter" : "configMapNameParameter";
        const char* plain = secret ? "secretName" : "configMapName";
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string p = path + "[" + std::to_string(i) + "]";
            auto name = object_name(list[i], parameter, plain, p, secret);
            if (!name) {
                continue;
            }
            model::Volume volume;
            volume.kind = secret ? model::Volume::Kind::Secret : model::Volume::Kind::ConfigMap;
            volume.name =
                std::string(secret ? "kfrun-secret-" : "kfrun-config-map-") + std::to_string(i);
            volume.object_name = *name;
            volume.yaml_path = p;
            if (flag(list[i], "optional")) {
                m_t.notice(model::Notice::Severity::Ignored, p + ".optional",
                           "`optional` on a mounted secret or config map is not honoured: "
                           "kfrun needs it (--secret/--config-map)");
            }
            mount(volume.name, list[i]);
            m_tmpl.volumes.push_back(std::move(volume));
        }
    }

    void object_env(const nlohmann::json& list, bool secret, const std::string& path) {
        const char* parameter = secret ? "secretNameParameter" : "configMapNameParameter";
        const char* plain = secret ? "secretName" : "configMapName";
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string p = path + "[" + std::to_string(i) + "]";
            if (auto name = object_name(list[i], parameter, plain, p, secret)) {
                env_from_keys(list[i], *name, secret, p);
            }
        }
    }

    Result<void> apply(const nlohmann::json& config) {
        object_env(member(config, "secretAsEnv"), true, m_base + ".secretAsEnv");
        object_volumes(member(config, "secretAsVolume"), true, m_base + ".secretAsVolume");
        object_env(member(config, "configMapAsEnv"), false, m_base + ".configMapAsEnv");
        object_volumes(member(config, "configMapAsVolume"), false, m_base + ".configMapAsVolume");

        const nlohmann::json& pvcs = member(config, "pvcMount");
        for (std::size_t i = 0; i < pvcs.size(); ++i) {
            const std::string p = m_base + ".pvcMount[" + std::to_string(i) + "]";
            auto claim = claim_name(pvcs[i], p, i);
            if (!claim) {
                continue;
            }
            model::Volume volume;
            volume.kind = model::Volume::Kind::PersistentVolumeClaim;
            volume.name = "kfrun-pvc-" + std::to_string(i);
            volume.claim_name = *claim;
            volume.yaml_path = p;
            mount(volume.name, pvcs[i]);
            m_tmpl.volumes.push_back(std::move(volume));
        }
        auto empty_dirs = [this](const nlohmann::json& list, const std::string& path,
                                 bool ephemeral) {
            for (std::size_t i = 0; i < list.size(); ++i) {
                model::Volume volume;
                volume.kind = model::Volume::Kind::EmptyDir;
                volume.name = text_member(list[i], "volumeName");
                volume.medium_memory = !ephemeral && text_member(list[i], "medium") == "Memory";
                volume.yaml_path = path + "[" + std::to_string(i) + "]";
                mount(volume.name, list[i]);
                m_tmpl.volumes.push_back(std::move(volume));
            }
        };
        empty_dirs(member(config, "emptyDirMounts"), m_base + ".emptyDirMounts", false);
        // A generic ephemeral volume lives as long as its pod: an anonymous volume here.
        empty_dirs(member(config, "genericEphemeralVolume"), m_base + ".genericEphemeralVolume",
                   true);

        const nlohmann::json& fields = member(config, "fieldPathAsEnv");
        for (std::size_t i = 0; i < fields.size(); ++i) {
            model::EnvVar var;
            var.name = text_member(fields[i], "name");
            model::EnvSource source;
            source.kind = model::EnvSource::Kind::FieldRef;
            source.field_path = text_member(fields[i], "fieldPath");
            var.value_from = std::move(source);
            var.yaml_path = m_base + ".fieldPathAsEnv[" + std::to_string(i) + "]";
            m_tmpl.container.env.push_back(std::move(var));
        }

        const std::string policy = text_member(config, "imagePullPolicy");
        if (!policy.empty()) {
            if (policy != "Always" && policy != "Never" && policy != "IfNotPresent") {
                return base::make_error(
                    base::ErrorKind::Input,
                    "imagePullPolicy must be Always, Never or IfNotPresent, not `" + policy + "`",
                    m_t.workflow.sources.describe(m_base + ".imagePullPolicy"));
            }
            m_tmpl.container.image_pull_policy = policy;
        }
        const nlohmann::json& deadline = member(config, "activeDeadlineSeconds");
        if (!deadline.is_null()) {
            std::string seconds = deadline.is_string() ? deadline.get<std::string>()
                                                       : model::canonical_text(deadline);
            if (seconds != "0") {
                m_tmpl.active_deadline_seconds = seconds;
            }
        }
        const nlohmann::json& security = member(config, "securityContext");
        if (security.is_object()) {
            model::SecurityContext& context = m_tmpl.container.security;
            context.yaml_path = m_base + ".securityContext";
            for (const char* key : {"runAsUser", "runAsGroup"}) {
                const nlohmann::json& value = member(security, key);
                if (value.is_null()) {
                    continue;
                }
                double number = value.is_number()
                                    ? value.get<double>()
                                    : std::strtod(text_member(security, key).c_str(), nullptr);
                if (!(number >= 0 && number <= 2147483647) ||
                    number != static_cast<std::int64_t>(number)) {
                    return base::make_error(
                        base::ErrorKind::Input,
                        std::string(key) + " must be a whole number 0..2147483647",
                        m_t.workflow.sources.describe(context.yaml_path + "." + key));
                }
                (std::string(key) == "runAsUser" ? context.run_as_user : context.run_as_group) =
                    static_cast<std::int64_t>(number);
            }
            if (member(security, "runAsNonRoot").is_boolean()) {
                context.run_as_non_root = security["runAsNonRoot"].get<bool>();
            }
        }
        const nlohmann::json& inits = member(config, "initContainers");
        for (std::size_t i = 0; i < inits.size(); ++i) {
            const nlohmann::json& init = inits[i];
            model::ContainerSpec spec;
            spec.name = text_member(init, "name");
            spec.image = text_member(init, "image");
            spec.yaml_path = m_base + ".initContainers[" + std::to_string(i) + "]";
            for (const nlohmann::json& c : member(init, "command")) {
                spec.command.push_back(c.get<std::string>());
            }
            for (const nlohmann::json& a : member(init, "args")) {
                spec.args.push_back(a.get<std::string>());
            }
            for (const nlohmann::json& e : member(init, "env")) {
                model::EnvVar var;
                var.name = text_member(e, "name");
                var.value = text_member(e, "value");
                spec.env.push_back(std::move(var));
            }
            for (const nlohmann::json& m : member(init, "volumeMounts")) {
                model::VolumeMount mount;
                mount.name = text_member(m, "volumeName");
                mount.mount_path = text_member(m, "mountPath");
                spec.volume_mounts.push_back(std::move(mount));
            }
            const nlohmann::json& resources = member(init, "resources");
            for (const auto& [k, v] : member(resources, "limits").items()) {
                spec.resources.limits[k] = v.get<std::string>();
            }
            for (const auto& [k, v] : member(resources, "requests").items()) {
                spec.resources.requests[k] = v.get<std::string>();
            }
            m_tmpl.init_containers.push_back(std::move(spec));
        }
        for (const char* key : {"nodeSelector", "tolerations", "nodeAffinity", "podAffinity",
                                "podMetadata", "imagePullSecret", "enabledSharedMemory"}) {
            const nlohmann::json& value = member(config, key);
            if (!value.is_null() && !(value.is_array() && value.empty())) {
                m_t.notice(
                    model::Notice::Severity::Ignored, m_base + "." + key,
                    "`" + std::string(key) + "` has no meaning on a local Docker daemon; ignored");
            }
        }
        return base::ok();
    }

  private:
    Translation& m_t;
    std::string m_base;
    model::Template& m_tmpl;
    model::TaskCall& m_call;
    std::set<std::string>& m_upstream;
    std::size_t m_secret_names = 0;
    std::size_t m_config_map_names = 0;
};

}  // namespace

Result<void> apply_platform(Translation& t, const std::string& executor_label,
                            model::Template& tmpl, model::TaskCall& call,
                            std::set<std::string>& upstream) {
    const nlohmann::json& config = t.platform_executor(executor_label);
    if (!config.is_object()) {
        return base::ok();
    }
    const std::string base = t.docs.platform_base + ".deploymentSpec.executors." + executor_label;
    PlatformApplier applier(t, base, tmpl, call, upstream);
    return applier.apply(config);
}

}  // namespace kfrun::kfpv2
