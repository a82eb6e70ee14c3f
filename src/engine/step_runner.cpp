#include "engine/step_runner.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>

#include "base/limits.hpp"

#include "engine/output_collector.hpp"
#include "engine/security_policy.hpp"
#include "engine/volume_ownership.hpp"

namespace kfrun::engine {

namespace {

// Forwards a step's log lines (main container, init containers and sidecars: maybe from
// several threads) until the step-log-bytes limit, then one notice and nothing more.
class ForwardingObserver : public StepObserver {
public:
    ForwardingObserver(RunObserver& observer, const PodJob& job)
        : m_observer(observer), m_job(job) {}
    void on_log_line(LogStream stream, std::string_view line) override {
        const std::uint64_t limit = base::limits().step_log_bytes;
        const std::uint64_t before = m_bytes.fetch_add(line.size() + 1);
        if (before + line.size() + 1 <= limit) {
            m_observer.on_log_line(m_job.node_id, m_job.label, stream, line);
        } else if (!m_announced.exchange(true)) {
            m_observer.on_log_line(m_job.node_id, m_job.label, LogStream::Stderr,
                                   "kfrun: the step's log reached " + std::to_string(limit) +
                                       " bytes; later lines are not kept " +
                                       base::limit_hint("step-log-bytes"));
        }
    }

private:
    RunObserver& m_observer;
    const PodJob& m_job;
    std::atomic<std::uint64_t> m_bytes{0};
    std::atomic<bool> m_announced{false};
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
    auto resolve = [&](const std::string& reference, std::string& id, ContainerSecurity& security,
                       const std::string& name) -> std::optional<std::string> {
        std::string warning;
        auto image = m_images.resolve(reference, job.spec.pull_policy, &warning);
        if (!image.ok()) {
            return image.error().message;
        }
        if (!warning.empty()) {
            job.warnings.push_back(warning);
        }
        id = image->id;
        // runAsNonRoot needs the image's user; the container does not start when it is root.
        return apply_image_user(security, image->user, name);
    };
    std::optional<std::string> problem =
        resolve(job.spec.image, job.spec.image_id, job.spec.security, "main");
    for (AuxContainer& aux : job.spec.init_containers) {
        problem = problem ? problem : resolve(aux.image, aux.image_id, aux.security, aux.name);
    }
    for (AuxContainer& aux : job.spec.sidecars) {
        problem = problem ? problem : resolve(aux.image, aux.image_id, aux.security, aux.name);
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
    bool cacheable = m_cache != nullptr && job.cache.enabled;
    CacheKey key;
    std::vector<std::string> miss_reasons;
    if (cacheable) {
        key = compute_cache_key(job);
        bool reuse = m_options.use_cache && !job.cache.rerun &&
                     !(job.cache.max_staleness && job.cache.max_staleness->count() == 0);
        if (reuse) {
            if (auto hit = cache_hit(job, key, miss_reasons)) {
                hit->record.pull_time = preflight.record.pull_time;
                hit->record.image_id = job.spec.image_id;
                return std::move(*hit);
            }
        } else {
            miss_reasons.push_back(!m_options.use_cache ? "--no-cache"
                                   : job.cache.rerun ? "chosen by --only/--from: runs again"
                                                     : "max_cache_staleness is 0: never reused");
        }
    }
    if (auto owned = check_claim_mounts(m_runtime, job.spec, m_options.allowed_volumes);
        !owned.ok()) {
        return error_result(job, owned.error().message);
    }
    ForwardingObserver observer(m_observer, job);
    auto started = std::chrono::steady_clock::now();
    auto outcome = m_runtime.run_step(job.spec, observer, cancel);
    auto run_time =
        std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - started);
    PodResult result = outcome.ok() ? collect_outputs(job, *outcome, m_store)
                                    : error_result(job, outcome.error().to_string());
    result.record.image_id = job.spec.image_id;
    result.record.pull_time = preflight.record.pull_time;
    if (cacheable) {
        result.record.cache = CacheOutcome::Miss;
        result.record.cache_key = key.digest;
        result.record.cache_key_text = key.text;
        result.record.cache_explanation = std::move(miss_reasons);
        if (result.phase == NodePhase::Succeeded) {
            remember(job, key, result, run_time + preflight.record.pull_time);
        }
    }
    for (std::string& warning : job.warnings) {
        result.record.warnings.push_back(std::move(warning));
    }
    if (outcome.ok()) {
        result.record.container_name = job.spec.container_name;
    }
    return result;
}

std::optional<PodResult> StepRunner::cache_hit(const PodJob& job, const CacheKey& key,
                                               std::vector<std::string>& why_not) {
    auto found = m_cache->lookup(key.digest);
    if (!found.ok()) {
        m_observer.on_warning("step cache: " + found.error().to_string() +
                              "; running the step");
        why_not.push_back("the cache could not be read");
        return std::nullopt;
    }
    if (!*found) {
        if (m_options.explain_cache) {
            auto previous = m_cache->latest_for_step(job.cache.step);
            if (previous.ok() && *previous) {
                for (std::string& change : explain_key_difference((*previous)->key_text, key.text)) {
                    why_not.push_back(std::move(change));
                }
            } else {
                why_not.push_back("no earlier run of this step is in the cache");
            }
        }
        return std::nullopt;
    }
    const CacheEntry& entry = **found;
    if (entry.run_id == m_options.run_id) {
        // A result is reused by later runs, not within its own: a recursive graph component
        // calls the same step again on purpose (a coin flipped until it shows tails).
        why_not.push_back("the cached result was produced earlier in this same run");
        return std::nullopt;
    }
    if (job.cache.max_staleness) {
        auto age = std::chrono::system_clock::now() - entry.created_at;
        if (age > *job.cache.max_staleness) {
            why_not.push_back("the cached result is older than its max_cache_staleness");
            return std::nullopt;
        }
    }
    PodResult result;
    result.phase = NodePhase::Succeeded;
    result.outputs = entry.outputs;
    for (const NamedArtifact& artifact : entry.outputs.artifacts) {
        if (artifact.artifact.has_content() && !m_store.contains(artifact.artifact, true)) {
            m_observer.on_warning("step cache: output `" + artifact.name + "` of " + job.label +
                                  " is missing or damaged in the store; running the step again");
            why_not.push_back("a cached artifact is missing or damaged");
            return std::nullopt;
        }
        if (artifact.name == "mlpipeline-metrics" || artifact.name == "mlpipeline-ui-metadata") {
            read_kfp_outputs(artifact, m_store, result);
        }
    }
    result.record.exit_code = entry.outputs.exit_code.value_or(0);
    result.record.cache = CacheOutcome::Hit;
    result.record.cache_key = key.digest;
    result.record.cache_key_text = key.text;
    result.record.cache_saved = entry.run_time;
    result.record.cache_source_run = entry.run_id;
    return result;
}

void StepRunner::remember(const PodJob& job, const CacheKey& key, const PodResult& result,
                          Millis run_time) {
    CacheEntry entry;
    entry.key = key.digest;
    entry.key_text = key.text;
    entry.step = job.cache.step;
    entry.pipeline = m_options.pipeline_name;
    entry.run_id = m_options.run_id;
    entry.created_at = std::chrono::system_clock::now();
    entry.run_time = run_time;
    entry.max_staleness = job.cache.max_staleness;
    entry.outputs = result.outputs;
    for (const NamedArtifact& artifact : result.outputs.artifacts) {
        entry.artifact_bytes += artifact.artifact.size;
    }
    auto stored = m_cache->store(entry);
    if (!stored.ok()) {
        m_observer.on_warning("step cache: " + stored.error().to_string() +
                              "; the result of " + job.label + " was not recorded");
    }
}

void StepRunner::flush_cache() {
    if (m_cache == nullptr) {
        return;
    }
    if (auto flushed = m_cache->flush(); !flushed.ok()) {
        m_observer.on_warning("step cache: " + flushed.error().to_string());
    }
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
