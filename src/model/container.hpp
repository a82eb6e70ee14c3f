#pragma once
// ContainerSpec and what hangs off it: env, mounts, volumes, resources.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kfrun::model {

// env[].valueFrom: only the kinds that have a local meaning are modelled.
struct EnvSource {
    enum class Kind { FieldRef, SecretKeyRef, ConfigMapKeyRef, ResourceFieldRef };
    Kind kind = Kind::FieldRef;
    std::string field_path;  // FieldRef: "metadata.name", "metadata.labels['x']", ...
    std::string name;        // SecretKeyRef / ConfigMapKeyRef: the object's name
    std::string key;
    bool optional = false;
};

struct EnvVar {
    std::string name;
    std::string value;
    std::optional<EnvSource> value_from;
    std::string yaml_path;
};

// envFrom: a whole Secret or ConfigMap as environment variables.
struct EnvFromSource {
    enum class Kind { Secret, ConfigMap };
    Kind kind = Kind::Secret;
    std::string name;
    std::string prefix;
    bool optional = false;
};

struct VolumeMount {
    std::string name;
    std::string mount_path;
    std::string sub_path;
    bool read_only = false;
};

struct Volume {
    enum class Kind { EmptyDir, PersistentVolumeClaim, Secret, ConfigMap, HostPath, Other };
    Kind kind = Kind::Other;
    std::string name;
    std::string claim_name;   // PersistentVolumeClaim
    std::string object_name;  // Secret / ConfigMap name
    std::string host_path;    // HostPath
    bool medium_memory = false;  // emptyDir.medium: Memory
    std::string other_kind;      // the key of an unsupported volume source
    std::string yaml_path;
};

// A PersistentVolumeClaim template from spec.volumeClaimTemplates.
struct VolumeClaimTemplate {
    std::string name;
    std::string storage;  // spec.resources.requests.storage
    std::string yaml_path;
};

// securityContext: the fields kfrun honours. A container's own settings win over its pod's
// (the template's securityContext, then the workflow's spec.securityContext), as in Kubernetes.
// Absent fields are nullopt/empty. Values are checked by the loader (uid/gid 0..2^31-1,
// capability names).
struct SecurityContext {
    std::optional<std::int64_t> run_as_user;
    std::optional<std::int64_t> run_as_group;
    std::optional<bool> run_as_non_root;
    std::optional<bool> read_only_root_filesystem;   // container only
    std::optional<bool> allow_privilege_escalation;  // container only
    std::vector<std::string> capabilities_add;       // container only, as written
    std::vector<std::string> capabilities_drop;      // container only, as written
    std::string yaml_path;                           // of the mapping; empty when absent
};

struct ResourceRequirements {
    std::map<std::string, std::string> limits;
    std::map<std::string, std::string> requests;
};

struct ContainerSpec {
    std::string name;
    std::string image;
    std::vector<std::string> command;
    std::vector<std::string> args;
    std::vector<EnvVar> env;
    std::vector<EnvFromSource> env_from;
    std::string working_dir;
    std::vector<VolumeMount> volume_mounts;
    ResourceRequirements resources;
    std::string image_pull_policy;
    bool privileged = false;
    SecurityContext security;
    std::vector<std::string> host_port_paths;  // YAML paths of ports[] entries with a hostPort
    bool mirror_volume_mounts = false;  // init containers and sidecars: the main one's mounts too
    std::string source;                 // script templates: the script text
    std::string yaml_path;
};

}  // namespace kfrun::model
