#include "cli/run_execution.hpp"

#include <unistd.h>

#include <cstdlib>
#include <future>

#include "base/time.hpp"
#include "cli/deferred_run_record.hpp"
#include "cli/docker_host_option.hpp"
#include "cli/report_writer.hpp"
#include "cli/run_history.hpp"
#include "cli/run_options_builder.hpp"
#include "cli/run_sweeper.hpp"
#include "cli/step_spec_file.hpp"
#include "cli/secret_digest_key.hpp"
#include "docker/run_owner_labels.hpp"
#include "engine/report.hpp"
#include "store/owner_lock.hpp"

namespace kfrun::cli {

namespace {

// Removes the run's scratch folder when it goes out of scope.
struct ScratchRemover {
    std::filesystem::path dir;
    ~ScratchRemover() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
};

// `write()`'s result, or its exception as an Internal error naming `what`.
template <typename Write>
auto guarded(const std::string& what, Write write) -> decltype(write()) {
    try {
        return write();
    } catch (const std::exception& e) {
        return base::make_error(base::ErrorKind::Internal,
                                "kfrun internal error while " + what + ": " + e.what());
    } catch (...) {
        return base::make_error(base::ErrorKind::Internal,
                                "kfrun internal error while " + what + ": unknown exception");
    }
}

}  // namespace

nlohmann::json run_summary(const nlohmann::json& report, const std::string& experiment) {
    nlohmann::json summary = nlohmann::json::object();
    for (const char* field : {"runId", "workflowName", "pipeline", "status", "message", "parameters",
                              "startedAt", "finishedAt", "durationMs", "counts", "metrics",
                              "cacheSavedMs", "runDir", "resumedFrom"}) {
        if (report.contains(field)) {
            summary[field] = report[field];
        }
    }
    if (!experiment.empty()) {
        summary["experiment"] = experiment;
    }
    return summary;
}

base::Result<RunResult> execute_run(Workspace& workspace, const RunRequest& request,
                                    engine::RunObserver& observer,
                                    const std::function<std::filesystem::path(
                                        const std::string& node_id)>& log_file) {
    // The run's owner: held until everything the run made is gone (see run_sweeper.hpp). It
    // exists before the scratch folder and the first container, which name it.
    store::OwnerInfo owner_info;
    owner_info.run_id = request.options.run_id;
    owner_info.pid = static_cast<long>(::getpid());
    // The sweeper reconnects with it (as --docker-host; empty: found again from the env).
    if (!docker_host_flag().empty()) {
        owner_info.docker_host = docker_host_flag();
    } else if (const char* host = std::getenv("DOCKER_HOST"); host != nullptr) {
        owner_info.docker_host = host;
    }
    auto owner = store::OwnerLock::claim(workspace.paths().owners_dir(), owner_info);
    KFRUN_TRY(owner);
    // On every way out of here (an error before the run, or after it).
    ScratchRemover scratch_cleanup{request.options.scratch_dir};
    KFRUN_TRY(write_secret_directories(request.options));

    auto runtime = workspace.new_runtime();
    KFRUN_TRY(runtime);
    sweep_orphans_once((*runtime)->client());
    engine::RunOptions options = request.options;
    if (!options.secrets.empty()) {  // the key is read (or made) only when a run has secrets
        auto key = load_or_create_secret_digest_key(workspace.paths().cache_dir);
        KFRUN_TRY(key);
        options.secret_digest_key = std::move(*key);
    }
    options.labels[docker::k_owner_label] = owner->path().string();
    options.labels[docker::k_host_label] = docker::this_host_id();
    engine::StepCache* cache = &workspace.cache();
    engine::Executor executor(*request.workflow, std::move(options), runtime->get(),
                              workspace.store(), observer, cache);
    auto prepared = executor.prepare();
    KFRUN_TRY(prepared);

    store::RunRecord record;
    record.run_id = request.options.run_id;
    record.started_at = std::chrono::system_clock::now();
    record.experiment = request.experiment;
    record.summary = {{"runId", request.options.run_id},
                      {"workflowName", request.options.workflow_name},
                      {"pipeline", {{"name", request.pipeline_name}, {"file", request.pipeline_file}}},
                      {"status", "Running"},
                      {"startedAt", base::format_rfc3339(record.started_at, true)},
                      {"runDir", request.run_dir.string()}};
    if (!request.experiment.empty()) {
        record.summary["experiment"] = request.experiment;
    }
    DeferredRunRecord started(workspace.runs(), record);

    if (request.on_executor) {
        request.on_executor(&executor);
    }
    {
        // The scratch folder holds the --secrets-file values: it goes as soon as the run ends,
        // even if a bug throws.
        ScratchRemover scratch{request.options.scratch_dir};
        executor.run();
        if (request.on_executor) {
            request.on_executor(nullptr);
        }
        if (auto problem = started.finish()) {
            observer.on_warning("run history: " + *problem);
        }
    }
    // A kill from here on leaves no container, volume or scratch folder: only the history
    // entry says Running until the report is in, and the sweep ends it as interrupted.

    RunResult result;
    result.state = executor.run_state();
    result.cleanup_error = (*runtime)->cleanup_error();
    if (result.cleanup_error) {
        owner->abandon();  // something may be left: the next command's sweep removes it
    }
    result.run_dir = request.run_dir;
    ReportInput input;
    input.run_dir = request.run_dir;
    input.pipeline_file = request.pipeline_file;
    input.pipeline_name = request.pipeline_name;
    input.log_file = log_file;
    input.run_options = request.run_options;
    input.resumed_from = request.resumed_from;
    input.experiment = request.experiment;
    // What each step's container was made from, for `kfrun inspect` and `kfrun shell`: written
    // beside the report files (both only read the finished run state; a file per step, ~7 ms for
    // a 100-step run). Neither may throw past here: the history must not keep a Running entry.
    auto specs = std::async(std::launch::async, [&] {
        return guarded("writing the step specs", [&] {
            return write_step_spec_files(result.state, request.options, request.run_dir);
        });
    });
    auto report = guarded("writing the report",
                          [&] { return write_run_report(result.state, input, workspace.store()); });
    if (auto written = specs.get(); !written.ok()) {
        observer.on_warning("step specs: " + written.error().to_string());
    }
    if (!report.ok()) {
        // No report: the history still records how the run ended, never Running.
        record.summary["status"] = "Error";
        record.summary["message"] =
            "the report could not be written: " + report.error().to_string();
        record.summary["finishedAt"] = base::format_rfc3339(std::chrono::system_clock::now(), true);
        if (auto finished = workspace.runs().put(record); !finished.ok()) {
            observer.on_warning("run history: " + finished.error().to_string());
        }
        return report.error();
    }
    result.report = std::move(report.value());

    auto kept = keep_report_copy(workspace.paths(), result.report);
    if (!kept.ok()) {
        observer.on_warning("run history: " + kept.error().to_string());
    }
    record.summary = run_summary(result.report, request.experiment);
    auto finished = workspace.runs().put(record);
    if (!finished.ok()) {
        observer.on_warning("run history: " + finished.error().to_string());
    }
    return result;
}

}  // namespace kfrun::cli
