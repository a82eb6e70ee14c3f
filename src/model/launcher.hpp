#pragma once
// Launcher: how a container template of a typed pipeline (KFP v2 IR) is run — the rules of
// KFP v2's driver and launcher, which the engine applies (engine/kfp_launcher.hpp) in place of
// Argo's substitution and output rules.
#include <string>
#include <vector>

namespace kfrun::model {

struct Launcher {
    // The executor's command and args as the IR writes them: `{{$}}`,
    // `{{$.inputs.parameters['x']}}`, `{{$.inputs.artifacts['a'].path|uri}}`,
    // `{{$.outputs.parameters['y'].output_file}}`, `{{$.outputs.artifacts['m'].path|uri}}`, and
    // IfPresent/Concat elements (JSON text). Run as one argv: argv[0] replaces the image's
    // entrypoint, as the backend's launcher executes it.
    std::vector<std::string> command;
    std::vector<std::string> args;
    std::string pipeline_name;   // pipelineInfo.name: part of every output artifact URI
    std::string pipeline_root;   // e.g. "minio://kfrun/v2/artifacts"
    std::string component_name;  // the component's key, e.g. "comp-train"
    std::string task_name;       // the task's key in its DAG, e.g. "train"
    bool enable_cache = false;   // cachingOptions.enableCache
    std::string cache_key;       // cachingOptions.cacheKey (replaces the computed key)
    bool expand_env = true;      // apply Kubernetes' $(VAR) expansion to argv and env
};

}  // namespace kfrun::model
