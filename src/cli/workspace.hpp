#pragma once
// Workspace: kfrun's opened state — the artifact store, the step cache index and the run
// history — and a Docker runtime per run. Shared by `run`, `test` and the history commands.
#include <filesystem>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "cli/app_paths.hpp"
#include "docker/docker_runtime.hpp"
#include "store/file_artifact_store.hpp"
#include "store/rocks_step_cache.hpp"
#include "store/run_index.hpp"

namespace kfrun::cli {

class Workspace {
public:
    // Opens the store and the indexes (nothing is written until a run stores something).
    static base::Result<std::unique_ptr<Workspace>> open(const AppPaths& paths);

    // A runtime for one run (DockerRuntime holds one run's sandbox at a time).
    base::Result<std::unique_ptr<docker::DockerRuntime>> new_runtime();

    const AppPaths& paths() const { return m_paths; }
    store::FileArtifactStore& store() { return *m_store; }
    store::RocksStepCache& cache() { return *m_cache; }
    store::RunIndex& runs() { return *m_runs; }

private:
    AppPaths m_paths;
    std::unique_ptr<store::FileArtifactStore> m_store;
    std::unique_ptr<store::RocksStepCache> m_cache;
    std::unique_ptr<store::RunIndex> m_runs;
};

}  // namespace kfrun::cli
