#include "engine/resource_runner.hpp"

#include "base/json_fields.hpp"
#include "base/random_id.hpp"
#include "base/strings.hpp"
#include "base/time.hpp"
#include "engine/json_path.hpp"
#include "engine/volume_ownership.hpp"
#include "model/yaml_json.hpp"

namespace kfrun::engine {

namespace {

// A string member of a manifest the pipeline wrote, or "": nlohmann's value() throws when the
// member is there with another type (`kind: {}`; found by fuzz_argo_workflow) or `object` is
// no object.
using base::json_fields::string_of;

base::Error resource_error(const std::string& message) {
    return base::make_error(base::ErrorKind::Step, message);
}

bool is_snapshot_kind(const nlohmann::json& object) {
    return string_of(object, "kind") == "VolumeSnapshot" &&
           string_of(object, "apiVersion").rfind("snapshot.storage.k8s.io/", 0) == 0;
}

// The claim a VolumeSnapshot copies. snapshot.storage.k8s.io/v1beta1 and v1 name it in
// spec.source.persistentVolumeClaimName; v1alpha1, which older KFP compilers write
// (dsl.VolumeSnapshotOp), as spec.source {kind: PersistentVolumeClaim, name: ...}.
std::string snapshot_source_claim(const nlohmann::json& object) {
    if (!object.is_object() || !object.contains("spec") || !object["spec"].is_object()) {
        return "";
    }
    const nlohmann::json& spec = object["spec"];
    if (!spec.contains("source")) {
        return "";
    }
    const nlohmann::json& source = spec["source"];
    std::string claim = string_of(source, "persistentVolumeClaimName");
    if (claim.empty() && string_of(source, "kind") == "PersistentVolumeClaim") {
        claim = string_of(source, "name");
    }
    return claim;
}

std::string snapshot_volume_name(const std::string& snapshot) {
    return "kfrun-snapshot-" + snapshot;
}

}  // namespace

ResourceKind resource_kind(const std::string& manifest) {
    ResourceKind out;
    auto object = model::parse_yaml_text(manifest);
    if (!object.ok() || !object->is_object()) {
        return out;
    }
    out.kind = string_of(*object, "kind");
    out.api_version = string_of(*object, "apiVersion");
    out.supported = (out.kind == "PersistentVolumeClaim" && out.api_version == "v1") ||
                    is_snapshot_kind(*object);
    return out;
}

base::Result<nlohmann::json> ResourceRunner::act(const ResourceCall& call, nlohmann::json object) {
    const std::string kind = string_of(object, "kind");
    nlohmann::json& metadata = object["metadata"];
    if (!metadata.is_object()) {
        metadata = nlohmann::json::object();
    }
    std::string name = string_of(metadata, "name");
    if (name.empty()) {
        std::string prefix = string_of(metadata, "generateName");
        if (prefix.empty()) {
            return resource_error("the " + kind + " has neither metadata.name nor generateName");
        }
        name = prefix + base::random_suffix(5);
        metadata["name"] = name;
    }
    metadata["namespace"] = m_options.namespace_name;
    metadata["uid"] = base::random_uuid();
    metadata["creationTimestamp"] = base::format_rfc3339(std::chrono::system_clock::now());
    bool deleting = call.action == "delete";
    if (!deleting && call.action != "create" && call.action != "apply") {
        return resource_error("action `" + call.action + "` on a " + kind +
                              " is not supported locally (create, apply and delete are)");
    }

    const std::vector<std::string>& allowed = m_options.allowed_volumes;
    if (kind == "PersistentVolumeClaim") {
        if (deleting) {
            const std::string volume = m_resources.volume_for_claim(name);
            KFRUN_TRY(check_volume_use(m_runtime, volume, VolumeOwner{k_claim_label, name}, allowed,
                                       "remove"));
            KFRUN_TRY(m_runtime.remove_volume(volume));
            m_resources.remove_claim(name);
            return object;
        }
        const nlohmann::json& spec = object.contains("spec") ? object["spec"] : nlohmann::json();
        std::string volume = spec.is_object() ? string_of(spec, "volumeName") : "";
        if (volume.empty()) {
            volume = name;
        }
        // spec.volumeName may name any volume on the daemon: it must be new or this claim's.
        KFRUN_TRY(
            check_volume_use(m_runtime, volume, VolumeOwner{k_claim_label, name}, allowed, "bind"));
        std::map<std::string, std::string> labels = {
            {"org.kfrun.keep", "true"},
            {k_claim_label, name},
            {"org.kfrun.created-by-run", m_options.run_id}};
        const nlohmann::json* source = spec.is_object() && spec.contains("dataSource")
                                           ? &spec["dataSource"]
                                           : nullptr;
        if (source != nullptr && string_of(*source, "kind") == "VolumeSnapshot") {
            std::string snapshot_name = string_of(*source, "name");
            auto snapshot = m_resources.snapshot(snapshot_name);
            std::string from = snapshot ? snapshot->volume : snapshot_volume_name(snapshot_name);
            KFRUN_TRY(check_volume_use(
                m_runtime, from, VolumeOwner{k_snapshot_label, snapshot_name}, allowed, "copy"));
            KFRUN_TRY(m_runtime.create_volume(volume, labels));
            KFRUN_TRY(m_runtime.copy_volume(from, volume));
        } else {
            KFRUN_TRY(m_runtime.create_volume(volume, labels));
        }
        std::string storage;
        if (spec.is_object() && spec.contains("resources") && spec["resources"].contains("requests")) {
            storage = string_of(spec["resources"]["requests"], "storage");
        }
        object["status"] = {{"phase", "Bound"},
                            {"accessModes", spec.is_object() && spec.contains("accessModes")
                                                ? spec["accessModes"]
                                                : nlohmann::json::array()},
                            {"capacity", {{"storage", storage}}}};
        m_resources.put_claim(name, LocalObject{volume, object});
        return object;
    }
    if (is_snapshot_kind(object)) {
        std::string volume = snapshot_volume_name(name);
        const VolumeOwner snapshot_owner{k_snapshot_label, name};
        KFRUN_TRY(check_volume_use(m_runtime, volume, snapshot_owner, allowed,
                                   deleting ? "remove" : "write"));
        if (deleting) {
            KFRUN_TRY(m_runtime.remove_volume(volume));
            return object;
        }
        std::string claim_name = snapshot_source_claim(object);
        if (claim_name.empty()) {
            return resource_error(
                "the VolumeSnapshot names no claim to copy: neither "
                "spec.source.persistentVolumeClaimName nor (snapshot.storage.k8s.io/v1alpha1) "
                "spec.source {kind: PersistentVolumeClaim, name: ...}");
        }
        const std::string source = m_resources.volume_for_claim(claim_name);
        KFRUN_TRY(check_volume_use(m_runtime, source, VolumeOwner{k_claim_label, claim_name},
                                   allowed, "copy"));
        KFRUN_TRY(m_runtime.create_volume(volume,
                                          {{"org.kfrun.keep", "true"}, {k_snapshot_label, name}}));
        KFRUN_TRY(m_runtime.copy_volume(source, volume));
        std::string size;
        if (auto claim = m_resources.claim(claim_name)) {
            size = string_of(claim->object["status"]["capacity"], "storage");
        }
        object["status"] = {{"readyToUse", true}, {"restoreSize", size}};
        m_resources.put_snapshot(name, LocalObject{volume, object});
        return object;
    }
    return resource_error("a " + kind + " (" + string_of(object, "apiVersion") +
                          ") exists only in a Kubernetes cluster; kfrun cannot create it locally");
}

PodResult ResourceRunner::run(const PodJob& job) {
    PodResult result;
    const ResourceCall& call = *job.resource;
    auto parsed = model::parse_yaml_text(call.manifest);
    if (!parsed.ok() || !parsed->is_object()) {
        result.phase = NodePhase::Failed;
        result.message = "the resource manifest is not a YAML object" +
                         (parsed.ok() ? std::string() : ": " + parsed.error().to_string());
        return result;
    }
    auto object = act(call, std::move(parsed.value()));
    if (!object.ok()) {
        result.phase = NodePhase::Failed;
        result.message = object.error().message;
        return result;
    }
    if (!call.failure_condition.empty()) {
        auto failed = evaluate_resource_condition(call.failure_condition, *object);
        if (!failed.ok() || *failed) {
            result.phase = NodePhase::Failed;
            result.message = failed.ok() ? "failure condition '" + call.failure_condition + "' met"
                                         : failed.error().message;
            return result;
        }
    }
    if (!call.success_condition.empty()) {
        auto succeeded = evaluate_resource_condition(call.success_condition, *object);
        if (!succeeded.ok() || !*succeeded) {
            result.phase = NodePhase::Failed;
            result.message = succeeded.ok() ? "success condition '" + call.success_condition +
                                                  "' does not hold for the local object"
                                            : succeeded.error().message;
            return result;
        }
    }
    result.phase = NodePhase::Succeeded;
    for (const model::Parameter& parameter : job.output_parameters) {
        std::optional<std::string> value;
        if (parameter.from_json_path) {
            auto text = evaluate_json_path(*parameter.from_json_path, *object);
            if (text.ok()) {
                value = *text;
            }
        }
        if (!value && parameter.default_value) {
            value = parameter.default_value;
        }
        if (!value) {
            result.phase = NodePhase::Failed;
            result.message = "output parameter `" + parameter.name + "`: " +
                             (parameter.from_jq ? "jqFilter is not supported locally"
                                                : "no value");
            continue;
        }
        result.outputs.parameters.emplace_back(parameter.name, *value);
    }
    result.record.exit_code = result.phase == NodePhase::Succeeded ? 0 : 1;
    result.outputs.exit_code = result.record.exit_code;
    return result;
}

}  // namespace kfrun::engine
