#include "cli/case_runner.hpp"

#include <fstream>
#include <sstream>

#include "base/random_id.hpp"
#include "cli/input_files.hpp"
#include "cli/log_file_observer.hpp"
#include "cli/pipeline_input.hpp"
#include "cli/run_options_builder.hpp"
#include "cli/workflow_preflight.hpp"
#include "harness/expectation_checker.hpp"
#include "harness/golden_file.hpp"

namespace kfrun::cli {

using harness::CaseResult;

void ExecutorRegistry::add(engine::Executor* executor) {
    std::lock_guard lock(m_mutex);
    m_running.insert(executor);
    if (!m_reason.empty()) {
        executor->cancel(m_reason);
    }
}

void ExecutorRegistry::remove(engine::Executor* executor) {
    std::lock_guard lock(m_mutex);
    m_running.erase(executor);
}

void ExecutorRegistry::cancel_all(const std::string& reason) {
    std::lock_guard lock(m_mutex);
    m_reason = reason;
    for (engine::Executor* executor : m_running) {
        executor->cancel(reason);
    }
}

bool ExecutorRegistry::cancelled() const {
    std::lock_guard lock(m_mutex);
    return !m_reason.empty();
}

bool expects_logs(const harness::CaseExpectation& expect) {
    if (expect.single.logs || expect.run_logs) {
        return true;
    }
    for (const harness::StepExpectation& step : expect.steps) {
        if (step.logs) {
            return true;
        }
    }
    return false;
}

std::string step_log_text(const nlohmann::json& report, const nlohmann::json& step) {
    if (step.contains("logFile") && report.contains("runDir")) {
        std::filesystem::path file = std::filesystem::path(report["runDir"].get<std::string>()) /
                                     step["logFile"].get<std::string>();
        std::ifstream in(file, std::ios::binary);
        if (in) {
            std::stringstream buffer;
            buffer << in.rdbuf();
            return buffer.str();
        }
    }
    std::string text;
    if (step.contains("outputs") && step["outputs"].contains("result") &&
        step["outputs"]["result"].is_string() && !step["outputs"]["result"].empty()) {
        text = step["outputs"]["result"].get<std::string>() + "\n";
    }
    return text + step.value("logTail", "");
}

base::Result<engine::RunOptions> CaseRunner::run_options(const CaseWorkflow& workflow,
                                                         const harness::TestSuite& suite,
                                                         const harness::TestCase& test_case) const {
    RunFlags flags;
    for (const auto& [name, value] : workflow.parameters) {
        flags.parameters.push_back(name + "=" + value);
    }
    // The case's rules first, then the suite's, then the command line's (exact matches win
    // over globs whatever their order).
    for (const auto* rules : {&test_case.image_map, &suite.image_map}) {
        for (const auto& [pattern, image] : *rules) {
            flags.image_maps.push_back(pattern + "=" + image);
        }
    }
    for (const std::string& rule : m_settings.image_maps) {
        flags.image_maps.push_back(rule);
    }
    flags.timeout = test_case.timeout.empty() ? m_settings.timeout : test_case.timeout;
    flags.pull = m_settings.pull;
    flags.network = m_settings.network;
    flags.no_cache = m_settings.no_cache;
    auto options = build_run_options(workflow.workflow, flags, m_workspace.paths());
    if (!options.ok()) {
        base::Error error = options.error();
        error.message += " (" + error.where + ")";
        error.where = test_case.where;
        return error;
    }
    std::vector<std::filesystem::path> files = suite.image_map_files;
    if (!m_settings.image_map_file.empty()) {
        files.push_back(m_settings.image_map_file);
    }
    for (const std::filesystem::path& file : files) {
        auto rules = read_image_map_file(file);
        KFRUN_TRY(rules);
        for (auto& rule : rules.value()) {
            options->image_map.add(std::move(rule));
        }
    }
    options->labels["org.kfrun.test-suite"] = suite.name;
    return options;
}

base::Result<RunResult> CaseRunner::run_once(const CaseWorkflow& workflow,
                                             engine::RunOptions options,
                                             const harness::TestSuite& suite) {
    RunRequest request;
    request.workflow = &workflow.workflow;
    request.run_dir = m_workspace.paths().runs_dir() / options.run_id;
    request.pipeline_file = suite.subject_file.string();
    request.pipeline_name = pipeline_name(workflow.workflow);
    request.experiment = "test:" + suite.name;
    request.options = std::move(options);
    LogFileObserver observer(request.run_dir / "logs");
    engine::Executor* current = nullptr;
    request.on_executor = [&](engine::Executor* executor) {
        if (executor != nullptr) {
            current = executor;
            m_executors.add(executor);
        } else if (current != nullptr) {
            m_executors.remove(current);
            current = nullptr;
        }
    };
    return execute_run(m_workspace, request, observer,
                       [&observer](const std::string& id) { return observer.log_file(id); });
}

CaseResult CaseRunner::run(const harness::TestSuite& suite, const TestSubject& subject,
                           const harness::TestCase& test_case) {
    CaseResult result;
    result.suite = suite.name;
    result.name = test_case.name;
    result.where = test_case.where;
    auto started = std::chrono::steady_clock::now();
    auto finish = [&](CaseResult& out) -> CaseResult {
        out.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        return std::move(out);
    };
    auto error = [&](const base::Error& problem) {
        result.outcome = CaseResult::Outcome::Error;
        result.error = problem.to_string();
        return finish(result);
    };

    auto workflow = build_case_workflow(subject, suite, test_case);
    if (!workflow.ok()) {
        return error(workflow.error());
    }
    auto options = run_options(*workflow, suite, test_case);
    if (!options.ok()) {
        return error(options.error());
    }
    auto preflight = preflight_workflow(workflow->workflow, *options);
    if (!preflight.ok()) {
        return error(preflight.error());
    }
    auto stored = ingest_input_files(m_workspace.store(), workflow->files);
    if (!stored.ok()) {
        return error(stored.error());
    }
    options->input_artifacts = std::move(stored.value());

    harness::CaseEvidence evidence;
    evidence.store = &m_workspace.store();
    evidence.output_names = workflow->output_names;
    engine::RunOptions first_options = *options;
    if (expects_logs(test_case.expect)) {
        first_options.use_cache = false;  // a step taken from the cache has no log to check
    }
    auto first = run_once(*workflow, std::move(first_options), suite);
    if (!first.ok()) {
        return error(first.error());
    }
    result.run_dirs.push_back(first->run_dir.string());
    evidence.report = first->report;
    nlohmann::json counts = first->report.value("counts", nlohmann::json::object());
    int cached = counts.value("cached", 0);
    int steps = counts.value("succeeded", 0) + counts.value("failed", 0) + counts.value("error", 0);
    if (cached > 0) {
        result.note = std::to_string(cached) + "/" + std::to_string(steps) + " steps cached";
    }
    if (test_case.expect.second_run_hits && !m_executors.cancelled()) {
        engine::RunOptions again = *options;
        again.run_id = base::random_uuid();
        again.scratch_dir = m_workspace.paths().scratch_dir(again.run_id);
        again.use_cache = true;  // even under --no-cache: the second run is about the cache
        auto second = run_once(*workflow, again, suite);
        if (!second.ok()) {
            return error(second.error());
        }
        result.run_dirs.push_back(second->run_dir.string());
        evidence.second_report = second->report;
    }
    const nlohmann::json& report = evidence.report;
    evidence.log_text = [&report](const nlohmann::json& step) {
        return step_log_text(report, step);
    };
    result.checks = harness::check_case(suite, test_case, evidence,
                                        harness::CheckOptions{m_settings.update_golden});
    for (harness::CheckResult& check : result.checks) {
        if (!check.golden_update) {
            continue;
        }
        auto written = harness::write_golden(*check.golden_update);
        if (!written.ok()) {
            check.passed = false;
            check.message = written.error().to_string();
            continue;
        }
        result.note += (result.note.empty() ? "" : "; ") + check.message;
    }
    result.outcome = harness::outcome_of(result.checks);
    if (m_executors.cancelled()) {  // whatever the checks say, the case did not run to its end
        result.outcome = CaseResult::Outcome::Error;
        result.error = "interrupted: the case's run was cancelled";
    }
    return finish(result);
}

}  // namespace kfrun::cli
