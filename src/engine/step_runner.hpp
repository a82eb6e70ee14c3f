#pragma once
// StepRunner: what a worker thread does with one PodJob — resolve the image, run the
// container, collect its outputs into the store.
#include <optional>
#include <string>

#include "engine/artifact_store.hpp"
#include "engine/cancel_token.hpp"
#include "engine/container_runtime.hpp"
#include "engine/image_resolver.hpp"
#include "engine/cache_key.hpp"
#include "engine/pod_job.hpp"
#include "engine/resource_runner.hpp"
#include "engine/run_options.hpp"
#include "engine/step_cache.hpp"
#include "engine/run_observer.hpp"

namespace kfrun::engine {

class StepRunner {
public:
    StepRunner(ContainerRuntime& runtime, ArtifactStore& store, ImageResolver& images,
               RunObserver& observer, ResourceRunner& resources, StepCache* cache,
               const RunOptions& options)
        : m_runtime(runtime), m_store(store), m_images(images), m_observer(observer),
          m_resources(resources), m_cache(cache), m_options(options) {}

    PodResult run(PodJob& job, const CancelToken& cancel);
    // Waits for the step cache's writes behind; a failure is a warning of the run.
    void flush_cache();

private:
    // Resolves the images of the main container, init containers and sidecars; an error
    // message when one cannot be had.
    std::optional<std::string> resolve_images(PodJob& job, PodResult& result);
    // Checks a GPU request against the daemon; drops it with a warning under --no-gpu-ok.
    std::optional<std::string> check_gpus(PodJob& job, PodResult& result);
    // A usable cache entry for `key`, restored as a result; nullopt (with the reason in
    // `why_not`) for a miss. Never an error: a broken entry is a miss with a warning.
    std::optional<PodResult> cache_hit(const PodJob& job, const CacheKey& key,
                                       std::vector<std::string>& why_not);
    void remember(const PodJob& job, const CacheKey& key, const PodResult& result,
                  Millis run_time);

    ContainerRuntime& m_runtime;
    ArtifactStore& m_store;
    ImageResolver& m_images;
    RunObserver& m_observer;
    ResourceRunner& m_resources;
    StepCache* m_cache;
    const RunOptions& m_options;
};

// A plan-only result: the step "succeeds" and every output is a symbolic value such as
// "<dry-run:flip.output>", so the rest of the pipeline can be walked without running anything.
PodResult dry_run_result(const PodJob& job);
// True for text holding a symbolic dry-run value.
bool is_dry_run_value(std::string_view text);

}  // namespace kfrun::engine
