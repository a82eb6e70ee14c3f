#pragma once
// StepRunner: what a worker thread does with one PodJob — resolve the image, run the
// container, collect its outputs into the store.
#include "engine/artifact_store.hpp"
#include "engine/cancel_token.hpp"
#include "engine/container_runtime.hpp"
#include "engine/image_resolver.hpp"
#include "engine/pod_job.hpp"
#include "engine/run_observer.hpp"

namespace kfrun::engine {

class StepRunner {
public:
    StepRunner(ContainerRuntime& runtime, ArtifactStore& store, ImageResolver& images,
               RunObserver& observer)
        : m_runtime(runtime), m_store(store), m_images(images), m_observer(observer) {}

    PodResult run(PodJob& job, const CancelToken& cancel);

private:
    ContainerRuntime& m_runtime;
    ArtifactStore& m_store;
    ImageResolver& m_images;
    RunObserver& m_observer;
};

// A plan-only result: the step "succeeds" and every output is a symbolic value such as
// "<dry-run:flip.output>", so the rest of the pipeline can be walked without running anything.
PodResult dry_run_result(const PodJob& job);
// True for text holding a symbolic dry-run value.
bool is_dry_run_value(std::string_view text);

}  // namespace kfrun::engine
