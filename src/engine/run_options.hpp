#pragma once
// RunOptions: everything a run needs to know besides the pipeline itself.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/artifact.hpp"
#include "engine/container_runtime.hpp"
#include "engine/image_map.hpp"
#include "engine/node.hpp"

namespace kfrun::engine {

inline constexpr const char* k_wheelhouse_mount = "/kfrun/wheelhouse";

// A step's result in an earlier run, for replays.
struct PreviousResult {
    NodePhase phase = NodePhase::Pending;
    NodeOutputs outputs;
};

// Re-running part of a pipeline with the rest taken from an earlier run (the debugging loop).
struct Replay {
    enum class Mode {
        None,
        Only,    // --only: just the selected steps run; everything else is reused or not run
        From,    // --from: the selected steps and everything downstream of them run
        Resume,  // resume: steps that succeeded before are reused, the rest run
    };
    Mode mode = Mode::None;
    std::vector<std::string> selected;  // task names, labels or node names below the workflow
    std::string source_run_id;
    // By node name below the workflow name ("exit-handler-1.for-loop-1(0:a).train").
    std::map<std::string, PreviousResult> previous;
};

// --artifact-map: a remote URI prefix ("gs://bucket/data") and the absolute host folder that
// holds what is under it.
struct ArtifactMapping {
    std::string prefix;
    std::filesystem::path directory;
};

struct RunOptions {
    std::string run_id;         // a UUID; also {{workflow.uid}} (KFP: the run ID)
    std::string workflow_name;  // {{workflow.name}}: metadata.name, or generateName + 5 chars
    std::string namespace_name = "kubeflow";
    std::string pipeline_name;  // names cache entries' steps ("<pipeline>/<node>")
    // `-p NAME=VALUE` and --parameter-file values, already checked against the pipeline.
    std::vector<std::pair<std::string, std::string>> parameters;
    // Artifact arguments of the entry template, already in the store (kfrun run-component
    // --input-file, kfrun test): artifact name → stored artifact.
    std::map<std::string, ArtifactRef> input_artifacts;
    int parallelism = 4;  // pods at once (the workflow's own spec.parallelism may lower it)
    ImageMap image_map;
    PullPolicy pull_policy = PullPolicy::Missing;
    NetworkMode network = NetworkMode::Pod;
    bool keep_containers = false;
    std::filesystem::path scratch_dir;  // host staging area for inputs
    std::optional<Millis> timeout;      // --timeout: the whole run
    int max_recursion_depth = 100;
    bool dry_run = false;  // plan only: no container runs, outputs are symbolic
    std::map<std::string, std::string> labels;  // put on every container

    // Kubernetes Secrets and ConfigMaps, given locally (--secret NAME=DIR, --config-map NAME=DIR):
    // the keys and values for env (secretKeyRef, envFrom), the directory for volume mounts.
    struct LocalObjectSource {
        std::map<std::string, std::string> data;
        std::filesystem::path directory;
    };
    std::map<std::string, LocalObjectSource> secrets;
    // The key Secret values are digested with (HMAC-SHA-256) in cache keys: the cache
    // directory's own (cli/secret_digest_key), so that a reader of the cache index cannot test
    // guesses of a secret offline without it. Empty: plain SHA-256 (dry runs, tests).
    std::string secret_digest_key;
    std::map<std::string, LocalObjectSource> config_maps;
    bool skip_unsupported = false;  // resource templates kfrun cannot create are Skipped
    bool use_cache = true;          // false (--no-cache): run every step, still record results
    bool explain_cache = false;     // --explain: say which key fields changed on each miss
    // Refused unless set: securityContext.privileged, capabilities beyond Kubernetes' baseline
    // set, spec.hostNetwork and ports[].hostPort (the Pod Security Standard "baseline").
    bool allow_privileged = false;
    std::vector<HostPathGrant> allowed_host_paths;  // --allow-host-path; hostPath refused outside
    // --allow-volume: Docker volumes a claim may use although kfrun did not make them for it
    // (engine/volume_ownership.hpp).
    std::vector<std::string> allowed_volumes;
    // --artifact-map PREFIX=DIR: where a KFP importer's remote URI (gs://b/x …) is read here.
    std::vector<ArtifactMapping> artifact_map;
    bool no_gpu_ok = false;         // a GPU request on a host without GPUs runs without them
    // --wheelhouse: an absolute host folder of wheels, mounted read-only into every step at
    // k_wheelhouse_mount with PIP_NO_INDEX=1 and PIP_FIND_LINKS set, so the pip install that a
    // KFP lightweight component starts with works offline. Empty: none.
    std::string wheelhouse;
    std::string wheelhouse_digest;  // names and sizes of its files: part of every cache key
    Replay replay;
};

}  // namespace kfrun::engine
