#pragma once
// RunOptions: everything a run needs to know besides the pipeline itself.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/container_runtime.hpp"
#include "engine/image_map.hpp"

namespace kfrun::engine {

struct RunOptions {
    std::string run_id;         // a UUID; also {{workflow.uid}} (KFP: the run ID)
    std::string workflow_name;  // {{workflow.name}}: metadata.name, or generateName + 5 chars
    std::string namespace_name = "kubeflow";
    std::string pipeline_name;  // names cache entries' steps ("<pipeline>/<node>")
    // `-p NAME=VALUE` and --parameter-file values, already checked against the pipeline.
    std::vector<std::pair<std::string, std::string>> parameters;
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
    std::map<std::string, LocalObjectSource> config_maps;
    bool skip_unsupported = false;  // resource templates kfrun cannot create are Skipped
    bool use_cache = true;          // false (--no-cache): run every step, still record results
    bool explain_cache = false;     // --explain: say which key fields changed on each miss
    bool allow_privileged = false;  // securityContext.privileged is refused unless set
    bool no_gpu_ok = false;         // a GPU request on a host without GPUs runs without them
};

}  // namespace kfrun::engine
