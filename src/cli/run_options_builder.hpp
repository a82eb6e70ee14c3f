#pragma once
// Run options: the `kfrun run` flags (and the pipeline) as the engine's RunOptions — every
// file they name read, every value checked, before anything runs.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "cli/app_paths.hpp"
#include "engine/run_options.hpp"
#include "model/workflow.hpp"

namespace kfrun::cli {

struct RunFlags {
    std::vector<std::string> parameters;  // NAME=VALUE
    std::string parameter_file;
    std::vector<std::string> image_maps;  // PATTERN=IMAGE
    std::string image_map_file;
    int parallelism = 0;  // 0: twice the CPU count
    std::string network = "pod";
    std::string pull = "missing";
    std::string timeout;
    int max_recursion_depth = 100;
    std::vector<std::string> secrets;      // NAME=DIR
    std::vector<std::string> config_maps;  // NAME=DIR
    std::string secrets_file;              // YAML {secret: {key: value}}
    bool skip_unsupported = false;
    bool allow_privileged = false;
    std::vector<std::string> allow_host_paths;  // PATH, PATH:ro or PATH:rw
    std::vector<std::string> allow_volumes;     // Docker volume names claims may use
    std::vector<std::string> artifact_maps;     // --artifact-map PREFIX=DIR
    bool no_gpu_ok = false;
    bool keep_containers = false;
    bool no_cache = false;
    bool explain = false;
    bool dry_run = false;
    std::string only;       // --only TASK[,TASK…]
    std::string from;       // --from TASK
    std::string reuse_run;  // --reuse-run RUN: where --only/--from take upstream outputs from
    std::string wheelhouse;  // --wheelhouse DIR: pip installs offline from DIR in every step
};

// The `kfrun run` flags that `resume` (and `test`) share.
void add_run_flags(CLI::App& command, RunFlags& flags);

// The options a run was made with, as report.json keeps them (so `resume` can repeat them).
nlohmann::json run_options_json(const engine::RunOptions& run, const RunFlags& flags);
// Fills flags left at their defaults from a kept run's options.
void apply_kept_options(const nlohmann::json& kept, RunFlags& flags);

// A human name for the pipeline: KFP's pipeline_spec name, metadata.name or generateName.
std::string pipeline_name(const model::Workflow& workflow);

// --allow-host-path values: PATH (read-only), PATH:ro or PATH:rw; PATH made absolute (from the
// working folder) and normalized; it must exist.
base::Result<std::vector<engine::HostPathGrant>> parse_host_path_grants(
    const std::vector<std::string>& values);

// --artifact-map values: PREFIX=DIR, PREFIX a URI prefix (scheme://...), DIR an existing host
// folder (or a file, for one URI) made absolute from the working folder.
base::Result<std::vector<engine::ArtifactMapping>> parse_artifact_maps(
    const std::vector<std::string>& values);

// RunOptions for a new run (fresh run ID and workflow name) of `workflow`.
base::Result<engine::RunOptions> build_run_options(const model::Workflow& workflow,
                                                   const RunFlags& flags, const AppPaths& paths);

// Secrets given as values (--secrets-file) written where their volume mounts expect a directory.
base::Result<void> write_secret_directories(const engine::RunOptions& run);

}  // namespace kfrun::cli
