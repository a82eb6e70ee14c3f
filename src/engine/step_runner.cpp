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

PodResult StepRunner::run(PodJob& job, const CancelToken& cancel) {
    auto pull_started = std::chrono::steady_clock::now();
    auto image = m_images.resolve(job.spec.image);
    auto pull_time = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() -
                                                        pull_started);
    if (!image.ok()) {
        PodResult result = error_result(job, image.error().message);
        result.record.pull_time = pull_time;
        return result;
    }
    job.spec.image_id = image->id;
    ForwardingObserver observer(m_observer, job);
    auto outcome = m_runtime.run_step(job.spec, observer, cancel);
    PodResult result = outcome.ok() ? collect_outputs(job, *outcome, m_store)
                                    : error_result(job, outcome.error().to_string());
    result.record.image_id = image->id;
    result.record.pull_time = image->pulled ? image->pull_time : pull_time;
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
