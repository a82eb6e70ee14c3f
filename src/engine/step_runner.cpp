#include "engine/step_runner.hpp"

#include <chrono>

#include "engine/output_collector.hpp"

namespace kfrun::engine {

namespace {

class ForwardingObserver : public StepObserver {
public:
    ForwardingObserver(RunObserver& observer, const PodJob& job)
        : m_observer(observer), m_job(job) {}
    void on_log_line(LogStream stream, std::string_view line) override {
        m_observer.on_log_line(m_job.node_id, m_job.label, stream, line);
    }

private:
    RunObserver& m_observer;
    const PodJob& m_job;
};

PodResult error_result(const PodJob& job, std::string message) {
    PodResult result;
    result.phase = NodePhase::Error;
    result.message = std::move(message);
    return result;
}

}  // namespace

std::optional<std::string> StepRunner::resolve_images(PodJob& job, PodResult& result) {
    auto pull_started = std::chrono::steady_clock::now();
    auto resolve = [&](const std::string& reference, std::string& id) -> std::optional<std::string> {
        std::string warning;
        auto image = m_images.resolve(reference, job.spec.pull_policy, &warning);
        if (!image.ok()) {
            return image.error().message;
        }
        if (!warning.empty()) {
            job.warnings.push_back(warning);
        }
        id = image->id;
        return std::nullopt;
    };
    std::optional<std::string> problem = resolve(job.spec.image, job.spec.image_id);
    for (AuxContainer& aux : job.spec.init_containers) {
        problem = problem ? problem : resolve(aux.image, aux.image_id);
    }
    for (AuxContainer& aux : job.spec.sidecars) {
        problem = problem ? problem : resolve(aux.image, aux.image_id);
    }
    result.record.pull_time =
        std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - pull_started);
    return problem;
}

std::optional<std::string> StepRunner::check_gpus(PodJob& job, PodResult& result) {
    int wanted = job.spec.resources.gpus;
    if (wanted <= 0) {
        return std::nullopt;
    }
    auto available = m_runtime.gpus_available();
    if (available.ok() && *available) {
        return std::nullopt;
    }
    std::string why = available.ok() ? "this Docker daemon cannot give containers GPUs (no NVIDIA "
                                       "container runtime)"
                                     : available.error().message;
    if (job.no_gpu_ok) {
        job.spec.resources.gpus = 0;
        job.warnings.push_back("asked for " + std::to_string(wanted) +
                               " nvidia.com/gpu; ran without a GPU (--no-gpu-ok): " + why);
        return std::nullopt;
    }
    (void)result;
    return "asks for " + std::to_string(wanted) + " nvidia.com/gpu, but " + why +
           "; pass --no-gpu-ok to run it without a GPU";
}

PodResult StepRunner::run(PodJob& job, const CancelToken& cancel) {
    if (job.resource) {
        return m_resources.run(job);
    }
    PodResult preflight;
    if (auto problem = resolve_images(job, preflight)) {
        PodResult result = error_result(job, *problem);
        result.record.pull_time = preflight.record.pull_time;
        return result;
    }
    if (auto problem = check_gpus(job, preflight)) {
        return error_result(job, *problem);
    }
    ForwardingObserver observer(m_observer, job);
    auto outcome = m_runtime.run_step(job.spec, observer, cancel);
    PodResult result = outcome.ok() ? collect_outputs(job, *outcome, m_store)
                                    : error_result(job, outcome.error().to_string());
    result.record.image_id = job.spec.image_id;
    result.record.pull_time = preflight.record.pull_time;
    for (std::string& warning : job.warnings) {
        result.record.warnings.push_back(std::move(warning));
    }
    if (outcome.ok()) {
        result.record.container_name = job.spec.container_name;
    }
    return result;
}

PodResult dry_run_result(const PodJob& job) {
    PodResult result;
    result.phase = NodePhase::Succeeded;
    std::string prefix = "<dry-run:" + job.label + ".";
    for (const model::Parameter& parameter : job.output_parameters) {
        result.outputs.parameters.emplace_back(parameter.name, prefix + parameter.name + ">");
    }
    for (const model::Artifact& artifact : job.output_artifacts) {
        ArtifactRef symbolic;
        symbolic.digest = "dry-run";
        result.outputs.artifacts.push_back(NamedArtifact{artifact.name, symbolic, artifact.path});
    }
    result.outputs.result = prefix + "result>";
    result.outputs.exit_code = 0;
    result.record.exit_code = 0;
    return result;
}

bool is_dry_run_value(std::string_view text) {
    return text.find("<dry-run:") != std::string_view::npos;
}

}  // namespace kfrun::engine
