#pragma once
// PodJob: a pod node, fully resolved, ready for a worker thread to run; PodResult: what came back.
#include <optional>
#include <string>
#include <vector>

#include "engine/container_runtime.hpp"
#include "engine/kfp_executor_input.hpp"
#include "engine/node.hpp"
#include "model/io.hpp"

namespace kfrun::engine {

// A resource template's call: what `argoexec resource` would do with kubectl.
struct ResourceCall {
    std::string action;    // create, apply, delete, ...
    std::string manifest;  // substituted
    std::string success_condition;
    std::string failure_condition;
};

// The cache key's view of one container — the main one, an init container or a sidecar, all
// made by the same plan_env/plan_mounts calls that make what the container gets: env as declared
// (a fieldRef stays a fieldRef, so a pod's name does not change the key), a value from a Secret
// or ConfigMap only as a digest (never the value: the key text is stored, printed by --explain
// and `kfrun inspect`, and put in reports), mounts by what they are (a claim, an emptyDir).
struct ContainerKey {
    std::vector<std::pair<std::string, std::string>> env;
    std::vector<std::string> mounts;
};

// What the step cache may do for this pod (from KFP's labels/annotations and Argo's memoize).
struct CachePolicy {
    bool enabled = true;                  // false: pipelines.kubeflow.org/enable_caching "false"
    std::optional<Millis> max_staleness;  // max_cache_staleness; 0 = never reuse (still recorded)
    std::string memoize_key;              // Argo memoize.key (substituted): replaces kfrun's key
    std::string step;                     // "<pipeline>/<node name below the workflow>"
    bool rerun = false;  // chosen by --only/--from: runs even when cached (the result is recorded)
    // A KFP v2 launcher step with cachingOptions.cacheKey: the key is this text (the component
    // name, a NUL, the user's key), whatever else changed, as the backend's fingerprint.
    std::string custom_key;
};

struct PodJob {
    NodeIndex node = k_no_node;
    std::string node_id;
    std::string label;           // the node's display name, for log prefixes
    StepSpec spec;               // image_id is filled in by the worker
    std::string original_image;  // as the pipeline names it, before --image-map
    std::vector<model::Parameter> output_parameters;  // paths and defaults substituted
    std::vector<model::Artifact> output_artifacts;
    std::optional<Millis> template_deadline;  // activeDeadlineSeconds, counted from the start
    std::string deadline_message;             // what to say when the run's deadline stops it
    std::vector<NamedArtifact> input_artifacts;
    std::optional<ResourceCall> resource;  // a resource template: no container of its own
    // The cache key's view of the pod's containers (index i of init_keys/sidecar_keys is
    // spec.init_containers[i]/spec.sidecars[i]) and of its inputs.
    ContainerKey key;
    std::vector<ContainerKey> init_keys;
    std::vector<ContainerKey> sidecar_keys;
    std::vector<std::pair<std::string, std::string>> input_parameters;
    CachePolicy cache;
    std::vector<std::string> warnings;     // for the step record (e.g. a GPU request dropped)
    bool no_gpu_ok = false;                // run without the GPUs it asks for, when there are none
    bool wheelhouse = false;               // --wheelhouse is mounted (pip installs from it)
    // A KFP v2 launcher step: its executor input's parts; outputs are read by the launcher's
    // rules (engine/kfp_launcher_outputs.hpp), not Argo's.
    std::optional<LauncherIo> launcher;
    std::string pipeline_name;  // launcher steps: the cache does not cross pipelines
};

struct PodResult {
    NodePhase phase = NodePhase::Error;
    std::string message;
    NodeOutputs outputs;
    StepRecord record;
};

}  // namespace kfrun::engine
