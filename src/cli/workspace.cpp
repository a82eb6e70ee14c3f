#include "cli/workspace.hpp"

#include "base/private_files.hpp"

#include <cstdlib>
#include <iostream>
#include <string_view>

#include "cli/docker_host_option.hpp"
#include "cli/run_sweeper.hpp"

namespace kfrun::cli {

base::Result<std::unique_ptr<Workspace>> Workspace::open(const AppPaths& paths) {
    // Runs of this data directory whose kfrun process died are cleaned up first.
    sweep_before_command(paths);
    auto workspace = std::unique_ptr<Workspace>(new Workspace());
    workspace->m_paths = paths;
    // Runs, logs, scratch (secrets), the store and the cache index hold outputs and secrets:
    // both roots are 0700, and one an older kfrun made 0755 is tightened (what lies inside
    // keeps its mode, as nobody else can reach it any more).
    for (const std::filesystem::path& root : {paths.data_dir, paths.cache_dir}) {
        KFRUN_TRY(base::create_private_directories(root));
        base::tighten_directory(root);
    }
    auto store = store::FileArtifactStore::open(paths.store_dir());
    KFRUN_TRY(store);
    workspace->m_store = std::move(store.value());
    store::StepCacheSettings settings;
    settings.write_behind = true;  // a step's result is recorded while the next step runs
    settings.on_warning = [](const std::string& message) {
        std::cerr << "warning: step cache: " << message << "\n";
    };
    workspace->m_cache =
        std::make_unique<store::RocksStepCache>(paths.cache_dir / "index", settings);
    workspace->m_runs = std::make_unique<store::RunIndex>(paths.data_dir / "history");
    return workspace;
}

base::Result<std::unique_ptr<docker::DockerRuntime>> Workspace::new_runtime() {
    docker::DockerRuntimeConfig config;
    config.docker = docker_config();
    // KFRUN_OUTPUT_READS=archive: every output through GET /archive, never from the layers
    // (for comparing the two, and a way out should a storage setup fool OverlayView).
    if (const char* reads = std::getenv("KFRUN_OUTPUT_READS"); reads != nullptr) {
        config.read_outputs_from_layers = std::string_view(reads) != "archive";
    }
    // Pulls use the registry credentials the docker CLI would ($DOCKER_CONFIG or
    // ~/.docker/config.json, and its credential helpers), read when a pull needs them.
    config.registry_credentials = std::make_shared<docker::RegistryCredentialStore>(
        docker::RegistryCredentialStore::default_config_dir());
    return docker::DockerRuntime::open(config, *m_store);
}

}  // namespace kfrun::cli
