#include "engine/pod_volumes.hpp"

#include <filesystem>

#include "base/sha256.hpp"
#include "base/strings.hpp"
#include "engine/placeholder.hpp"
#include "engine/security_policy.hpp"
#include "engine/volume_ownership.hpp"

namespace kfrun::engine {

using base::Result;

namespace {

base::Error pod_error(const std::string& message) {
    return base::make_error(base::ErrorKind::Step, message);
}

const model::Volume* find_volume(const PodContext& pod, const std::string& name) {
    if (const model::Volume* own = model::find_by_name(pod.tmpl.volumes, name)) {
        return own;
    }
    return model::find_by_name(pod.workflow.volumes, name);
}

std::string short_run(const RunOptions& options) { return options.run_id.substr(0, 8); }

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

const RunOptions::LocalObjectSource* local_source(const PodContext& pod, bool secret,
                                                  const std::string& name) {
    const auto& sources = secret ? pod.options.secrets : pod.options.config_maps;
    auto it = sources.find(name);
    return it == sources.end() ? nullptr : &it->second;
}

// A Secret's value as the cache key holds it: keyed with the cache's own secret key.
std::string secret_value_digest(const RunOptions& options, const std::string& text) {
    return (options.secret_digest_key.empty()
                ? base::sha256_hex(text)
                : base::hmac_sha256_hex(options.secret_digest_key, text))
        .substr(0, 16);
}

// The content identity of a Secret or ConfigMap: a change of a value changes the cache key.
std::string data_digest(const RunOptions& options, bool secret,
                        const RunOptions::LocalObjectSource& source) {
    std::string text;
    for (const auto& [key, value] : source.data) {
        text += std::to_string(key.size()) + ":" + key + std::to_string(value.size()) + ":" + value;
    }
    return secret ? secret_value_digest(options, text) : base::sha256_hex(text).substr(0, 16);
}

std::string missing_source(bool secret, const std::string& name) {
    return secret ? "Secret `" + name + "` is not provided; pass --secret " + name +
                        "=DIR (a directory with one file per key)"
                  : "ConfigMap `" + name + "` is not provided; pass --config-map " + name +
                        "=DIR (a directory with one file per key)";
}

// A Secret or ConfigMap name as the step sees it: a placeholder (KFP v2's
// secretNameParameter from a pipeline input or a task output) replaced with the step's
// inputs. nullopt: the name's input is unbound (an omitted optional pipeline input), and the
// item is skipped as the KFP driver skips it.
Result<std::optional<std::string>> object_name(const std::string& name, const PodContext& pod,
                                               bool secret) {
    if (!has_tags(name)) {
        return std::optional<std::string>(name);
    }
    auto resolved = substitute(name, pod.scope);
    KFRUN_TRY(resolved);
    if (has_tags(*resolved)) {
        return std::optional<std::string>();
    }
    if (resolved->empty()) {
        return pod_error(std::string(secret ? "the Secret" : "the ConfigMap") + " name `" + name +
                         "` resolved to an empty string");
    }
    return std::optional<std::string>(*resolved);
}

}  // namespace

Result<std::vector<VolumeMount>> plan_mounts(const std::vector<model::VolumeMount>& mounts,
                                             const PodContext& pod, ContainerKey& container_key) {
    std::vector<VolumeMount> out;
    auto key = [&container_key](const VolumeMount& planned, const std::string& what) {
        container_key.mounts.push_back(planned.container_path + " " + what +
                                       " sub=" + planned.sub_path +
                                       (planned.read_only ? " ro" : " rw"));
    };
    for (const model::VolumeMount& mount : mounts) {
        VolumeMount planned;
        auto path = substitute(mount.mount_path, pod.scope);
        KFRUN_TRY(path);
        planned.container_path = *path;
        auto sub_path = substitute(mount.sub_path, pod.scope);
        KFRUN_TRY(sub_path);
        planned.sub_path = *sub_path;
        planned.read_only = mount.read_only;
        const model::Volume* volume = find_volume(pod, mount.name);
        const model::VolumeClaimTemplate* claim_template =
            volume == nullptr ? model::find_by_name(pod.workflow.volume_claim_templates, mount.name)
                              : nullptr;
        if (volume == nullptr && claim_template == nullptr) {
            return pod_error("volumeMount `" + mount.name + "` names no volume of the template "
                             "or the workflow");
        }
        if (claim_template != nullptr) {
            // One volume per run, removed with it (Argo deletes these PVCs when the run ends).
            planned.type = VolumeMount::Type::Volume;
            planned.source = "kfrun-" + short_run(pod.options) + "-" +
                             base::sanitize_name(claim_template->name, 60);
            planned.labels = {{"org.kfrun.run", pod.options.run_id}};
            key(planned, "claimTemplate:" + claim_template->name);
            out.push_back(std::move(planned));
            continue;
        }
        std::string what;
        switch (volume->kind) {
            case model::Volume::Kind::EmptyDir: {
                what = volume->medium_memory ? "emptyDir(Memory)" : "emptyDir";
                // A Docker tmpfs belongs to one container: with init containers or sidecars
                // sharing the pod's volumes, an in-memory emptyDir becomes a disk volume.
                bool shared = !pod.tmpl.init_containers.empty() || !pod.tmpl.sidecars.empty();
                if (volume->medium_memory && !shared) {
                    planned.type = VolumeMount::Type::Tmpfs;
                    break;
                }
                planned.type = VolumeMount::Type::Volume;
                std::string pod_hash = base::sha256_hex(pod.node.id).substr(0, 10);
                planned.source = "kfrun-" + short_run(pod.options) + "-" + pod_hash + "-" +
                                 base::sanitize_name(volume->name, 40);
                planned.labels = {{"org.kfrun.run", pod.options.run_id}};
                break;
            }
            case model::Volume::Kind::PersistentVolumeClaim: {
                auto claim = substitute(volume->claim_name, pod.scope);
                KFRUN_TRY(claim);
                if (claim->empty() || has_tags(*claim)) {
                    return pod_error("volume `" + volume->name + "` names no claim (`" + *claim +
                                     "`)");
                }
                planned.type = VolumeMount::Type::Volume;
                planned.source = pod.resources.volume_for_claim(*claim);
                planned.labels = {{"org.kfrun.keep", "true"}, {k_claim_label, *claim}};
                what = "pvc:" + *claim;
                break;
            }
            case model::Volume::Kind::Secret:
            case model::Volume::Kind::ConfigMap: {
                bool secret = volume->kind == model::Volume::Kind::Secret;
                auto name = object_name(volume->object_name, pod, secret);
                KFRUN_TRY(name);
                if (!*name) {
                    continue;
                }
                const std::string& object = **name;
                const auto* source = local_source(pod, secret, object);
                if (source == nullptr || source->directory.empty()) {
                    return pod_error(missing_source(secret, object));
                }
                planned.type = VolumeMount::Type::Bind;
                planned.source = source->directory.string();
                planned.read_only = true;
                what = std::string(secret ? "secret:" : "configMap:") + object + "@" +
                       data_digest(pod.options, secret, *source);
                break;
            }
            case model::Volume::Kind::HostPath: {
                // The preflight refused hostPaths outside --allow-host-path; the runtime checks
                // again once symbolic links are resolved on the host.
                const HostPathGrant* grant =
                    find_host_path_grant(volume->host_path, pod.options.allowed_host_paths);
                if (grant == nullptr) {
                    return pod_error("hostPath volume \"" + volume->name + "\" mounts " +
                                     volume->host_path.substr(0, 256) +
                                     " from the host; refused unless the command line allows it "
                                     "with --allow-host-path");
                }
                planned.type = VolumeMount::Type::Bind;
                planned.host_path = true;
                planned.source =
                    std::filesystem::path(volume->host_path).lexically_normal().string();
                planned.read_only = planned.read_only || !grant->writable;
                what = "hostPath:" + planned.source;
                break;
            }
            case model::Volume::Kind::Other:
                return pod_error("volume `" + volume->name + "` of kind `" + volume->other_kind +
                                 "` has no local equivalent");
        }
        key(planned, what);
        out.push_back(std::move(planned));
    }
    return out;
}

Result<std::vector<std::pair<std::string, std::string>>> plan_env(
    const model::ContainerSpec& container, const PodContext& pod, ContainerKey& container_key,
    std::map<std::string, std::string>& secret_names) {
    std::vector<std::pair<std::string, std::string>> env;
    auto key = [&container_key](const std::string& name, const std::string& value) {
        container_key.env.emplace_back(name, value);
    };
    for (const model::EnvFromSource& from : container.env_from) {
        bool secret = from.kind == model::EnvFromSource::Kind::Secret;
        const auto* source = local_source(pod, secret, from.name);
        if (source == nullptr) {
            if (from.optional) {
                continue;
            }
            return pod_error(missing_source(secret, from.name));
        }
        for (const auto& [name, value] : source->data) {
            env.emplace_back(from.prefix + name, value);
            if (secret) {
                secret_names[from.prefix + name] = from.name + "/" + name;
            }
        }
        key("envFrom:" + from.name, data_digest(pod.options, secret, *source));
    }
    for (const model::EnvVar& var : container.env) {
        if (!var.value_from) {
            auto value = substitute(var.value, pod.scope);
            KFRUN_TRY(value);
            env.emplace_back(var.name, *value);
            key(var.name, *value);
            continue;
        }
        const model::EnvSource& source = *var.value_from;
        std::string value;
        std::string object = source.name;  // the Secret/ConfigMap, its name resolved
        switch (source.kind) {
            case model::EnvSource::Kind::FieldRef: {
                const std::string& path = source.field_path;
                if (path == "metadata.name") {
                    value = pod.node.id;
                } else if (path == "metadata.namespace") {
                    value = pod.options.namespace_name;
                } else if (path == "metadata.uid") {
                    std::string h = base::sha256_hex(pod.options.run_id + "/" + pod.node.id);
                    value = h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
                            h.substr(16, 4) + "-" + h.substr(20, 12);
                } else if (path == "spec.nodeName") {
                    value = "localhost";
                } else if (path == "spec.serviceAccountName") {
                    value = pod.workflow.service_account;
                } else if (path == "status.podIP" || path == "status.hostIP") {
                    value = "";
                } else if (auto key = bracket_key(path, "metadata.labels")) {
                    auto it = pod.pod_labels.find(*key);
                    value = it == pod.pod_labels.end() ? "" : it->second;
                } else if (auto annotation = bracket_key(path, "metadata.annotations")) {
                    auto it = pod.pod_annotations.find(*annotation);
                    value = it == pod.pod_annotations.end() ? "" : it->second;
                } else {
                    return pod_error("env `" + var.name + "` reads field `" + path +
                                     "`, which has no local value");
                }
                break;
            }
            case model::EnvSource::Kind::SecretKeyRef:
            case model::EnvSource::Kind::ConfigMapKeyRef: {
                bool secret = source.kind == model::EnvSource::Kind::SecretKeyRef;
                auto resolved = object_name(source.name, pod, secret);
                KFRUN_TRY(resolved);
                if (!*resolved) {
                    continue;
                }
                object = **resolved;
                const auto* local = local_source(pod, secret, object);
                auto it = local == nullptr ? std::map<std::string, std::string>::const_iterator{}
                                           : local->data.find(source.key);
                if (local == nullptr || it == local->data.end()) {
                    if (source.optional) {
                        continue;
                    }
                    if (local == nullptr) {
                        return pod_error("env `" + var.name +
                                         "`: " + missing_source(secret, object));
                    }
                    return pod_error("env `" + var.name + "`: key `" + source.key + "` is not in " +
                                     (secret ? "Secret `" : "ConfigMap `") + object + "`");
                }
                value = it->second;
                break;
            }
            case model::EnvSource::Kind::ResourceFieldRef:
                value = "";
                break;
        }
        env.emplace_back(var.name, value);
        // A name stays marked once any of its entries came from a Secret (Docker keeps the
        // last entry of a name; the marked one may still be earlier in the list).
        if (source.kind == model::EnvSource::Kind::SecretKeyRef) {
            secret_names[var.name] = object + "/" + source.key;
        }
        key(var.name, source.kind == model::EnvSource::Kind::FieldRef
                          ? "fieldRef:" + source.field_path
                          : "valueFrom:" + object + "/" + source.key + "@" +
                                (source.kind == model::EnvSource::Kind::SecretKeyRef
                                     ? secret_value_digest(pod.options, value)
                                     : base::sha256_hex(value).substr(0, 16)));
    }
    return env;
}

}  // namespace kfrun::engine
