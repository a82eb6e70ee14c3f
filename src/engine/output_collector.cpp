#include "engine/output_collector.hpp"

#include "base/utf8.hpp"
#include "engine/kfp_launcher_outputs.hpp"
#include "engine/pip_install_hint.hpp"
#include "engine/kfp_outputs.hpp"

namespace kfrun::engine {

std::string trim_one_newline(std::string value) {
    if (!value.empty() && value.back() == '\n') {
        value.pop_back();
    }
    return value;
}

namespace {

const CollectedOutput* find_output(const StepOutcome& outcome, const std::string& path) {
    for (const CollectedOutput& output : outcome.outputs) {
        if (output.path == path) {
            return &output;
        }
    }
    return nullptr;
}

// The user's part of the outcome: did the container itself succeed?
void judge_exit(const PodJob& job, const StepOutcome& outcome, PodResult& result) {
    switch (outcome.end) {
        case StepEnd::DeadlineExceeded:
            result.phase = NodePhase::Failed;
            result.message = job.deadline_message.empty()
                                 ? "Pod was active on the node longer than the specified deadline"
                                 : job.deadline_message;
            return;
        case StepEnd::Cancelled:
            result.phase = NodePhase::Failed;
            result.message = outcome.message.empty() ? "Stopped" : outcome.message;
            return;
        case StepEnd::StartFailed:
            result.phase = NodePhase::Failed;
            result.message = "the container could not start: " + outcome.message;
            return;
        case StepEnd::InitFailed:
            result.phase = NodePhase::Failed;
            result.message = outcome.message;
            return;
        case StepEnd::Exited:
            break;
    }
    if (outcome.exit_code == 0) {
        result.phase = NodePhase::Succeeded;
        return;
    }
    result.phase = NodePhase::Failed;
    result.message = std::string(outcome.oom_killed ? "OOMKilled" : "Error") + " (exit code " +
                     std::to_string(outcome.exit_code) + ")";
}

// A problem of the kind Argo's wait container has: Error when the user's step succeeded,
// otherwise the Failed phase and its message stand.
void output_problem(PodResult& result, const std::string& problem) {
    if (result.phase == NodePhase::Succeeded) {
        result.phase = NodePhase::Error;
        result.message = problem;
    }
    result.record.warnings.push_back(problem);
}

}  // namespace

void read_kfp_outputs(const NamedArtifact& artifact, ArtifactStore& store, PodResult& result) {
    if (artifact.artifact.is_directory()) {
        return;
    }
    auto text = store.read_text(artifact.artifact, 8u << 20);
    if (!text.ok()) {
        result.record.warnings.push_back(artifact.name + ": " + text.error().to_string());
        return;
    }
    if (artifact.name == "mlpipeline-metrics") {
        ParsedMetrics parsed = parse_metrics(*text);
        result.record.metrics = std::move(parsed.metrics);
        for (auto& warning : parsed.warnings) {
            result.record.warnings.push_back(std::move(warning));
        }
    } else {
        ParsedUiMetadata parsed = parse_ui_metadata(*text);
        result.record.ui_metadata = std::move(parsed.viewers);
        for (auto& warning : parsed.warnings) {
            result.record.warnings.push_back(std::move(warning));
        }
    }
}

PodResult collect_outputs(const PodJob& job, const StepOutcome& outcome, ArtifactStore& store) {
    PodResult result;
    result.record.exit_code = outcome.exit_code;
    result.record.oom_killed = outcome.oom_killed;
    result.record.timings = outcome.timings;
    result.record.log_tail = outcome.log_tail;
    judge_exit(job, outcome, result);
    if (outcome.end == StepEnd::StartFailed || outcome.end == StepEnd::InitFailed) {
        return result;  // the main container never ran: nothing to collect
    }
    // Argo removes the trailing newline first, then keeps the last 256 KiB.
    std::string stdout_text = trim_one_newline(outcome.stdout_tail);
    if (stdout_text.size() > k_max_result_bytes) {
        stdout_text = stdout_text.substr(stdout_text.size() - k_max_result_bytes);
    }
    // Argo's values travel in the workflow status, which Go's encoding/json writes with each
    // invalid UTF-8 byte as U+FFFD: downstream steps, the cache and the report see that text.
    result.outputs.result = base::valid_utf8(stdout_text);
    result.outputs.exit_code = outcome.exit_code;
    PackageSource packages = package_source(job.spec.command, job.wheelhouse);
    if (packages == PackageSource::Image) {
        packages = package_source(job.spec.args, job.wheelhouse);
    }
    if (packages != PackageSource::Image || job.launcher) {
        result.record.packages = to_string(packages);
    }
    if (job.launcher) {
        collect_launcher_outputs(job, outcome, store, result);  // KFP v2's rules, not Argo's
    }
    if (packages != PackageSource::Image && is_failed_or_error(result.phase)) {
        if (auto hint = pip_failure_hint(outcome.log_tail, job.wheelhouse)) {
            result.message = *hint + " (" + result.message + ")";
        }
    }
    if (job.launcher) {
        return result;
    }

    for (const model::Parameter& parameter : job.output_parameters) {
        if (!parameter.from_path) {
            if (parameter.value) {
                // An output with a literal value (placeholders such as pod.name substituted).
                result.outputs.parameters.emplace_back(parameter.name, *parameter.value);
            }
            continue;
        }
        const CollectedOutput* output = find_output(outcome, *parameter.from_path);
        std::string problem;
        if (output != nullptr && output->artifact) {
            if (output->artifact->is_directory()) {
                problem = "output parameter `" + parameter.name + "`: " + *parameter.from_path +
                          " is a directory, not a file";
            } else {
                auto text = store.read_text(*output->artifact, k_max_parameter_bytes);
                if (text.ok()) {
                    result.outputs.parameters.emplace_back(
                        parameter.name, base::valid_utf8(trim_one_newline(std::move(*text))));
                    continue;
                }
                problem = "output parameter `" + parameter.name + "`: " + text.error().message;
            }
        } else if (output != nullptr && !output->problem.empty()) {
            problem = "output parameter `" + parameter.name + "`: " + output->problem;
        } else if (parameter.default_value) {
            result.outputs.parameters.emplace_back(parameter.name,
                                                   trim_one_newline(*parameter.default_value));
            continue;
        } else {
            problem = "output parameter `" + parameter.name + "`: " + *parameter.from_path +
                      " does not exist in the container";
        }
        output_problem(result, problem);
    }

    for (const model::Artifact& artifact : job.output_artifacts) {
        const CollectedOutput* output = find_output(outcome, artifact.path);
        if (output != nullptr && output->artifact) {
            NamedArtifact named{artifact.name, *output->artifact, artifact.path};
            if (artifact.name == "mlpipeline-metrics" || artifact.name == "mlpipeline-ui-metadata") {
                read_kfp_outputs(named, store, result);
            }
            result.outputs.artifacts.push_back(std::move(named));
            continue;
        }
        if (output != nullptr && !output->problem.empty()) {
            output_problem(result, "output artifact `" + artifact.name + "`: " + output->problem);
        } else if (!artifact.optional) {
            output_problem(result, "output artifact `" + artifact.name + "`: " + artifact.path +
                                       " does not exist in the container");
        }
    }
    return result;
}

}  // namespace kfrun::engine
