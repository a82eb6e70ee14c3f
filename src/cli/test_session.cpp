#include "cli/test_session.hpp"

#include <atomic>
#include <thread>

#include "base/private_files.hpp"
#include "cli/signal_watcher.hpp"
#include "harness/case_selector.hpp"
#include "harness/discovery.hpp"
#include "harness/junit_xml.hpp"
#include "harness/test_file_loader.hpp"

namespace kfrun::cli {

base::Result<TestPlan> plan_test_session(const TestSettings& settings, TestReporter& reporter) {
    std::vector<std::filesystem::path> paths(settings.paths.begin(), settings.paths.end());
    auto files = harness::discover_test_files(paths);
    KFRUN_TRY(files);
    harness::CaseSelector selector(settings.patterns);
    TestPlan plan;
    plan.files = files->size();
    for (const std::filesystem::path& file : *files) {
        harness::SuiteResult result;
        result.file = file.string();
        result.name = harness::default_suite_name(file);
        auto suite = harness::load_test_file(file);
        std::optional<PlannedSuite> planned;
        if (suite.ok()) {
            result.name = suite->name;
            auto subject = load_test_subject(*suite);
            if (subject.ok()) {
                planned = PlannedSuite{std::move(suite.value()), std::move(subject.value())};
            } else {
                result.load_error = subject.error().to_string();
            }
        } else {
            result.load_error = suite.error().to_string();
        }
        if (!result.load_error.empty()) {
            ++plan.malformed;
            reporter.malformed(result);
        } else {
            std::size_t suite_index = plan.suites.size();
            for (std::size_t i = 0; i < planned->suite.cases.size(); ++i) {
                ++plan.total_cases;
                if (selector.selects(planned->suite.name, planned->suite.cases[i].name)) {
                    plan.work.push_back(CaseWork{suite_index, i, result.cases.size()});
                    result.cases.emplace_back();
                }
            }
        }
        plan.results.push_back(std::move(result));
        plan.suites.push_back(std::move(planned));
    }
    return plan;
}

namespace {

// One case on a worker thread: no exception may leave the thread, a bug is the case's Error.
harness::CaseResult run_case(CaseRunner& runner, const PlannedSuite& planned,
                             const harness::TestCase& test_case) {
    std::string problem;
    try {
        return runner.run(planned.suite, planned.subject, test_case);
    } catch (const std::exception& e) {
        problem = e.what();
    } catch (...) {
        problem = "unknown exception";
    }
    harness::CaseResult result;
    result.suite = planned.suite.name;
    result.name = test_case.name;
    result.where = test_case.where;
    result.outcome = harness::CaseResult::Outcome::Error;
    result.error = "kfrun internal error: " + problem;
    return result;
}

}  // namespace

bool run_test_session(TestPlan& plan, Workspace& workspace, const TestSettings& settings,
                      TestReporter& reporter) {
    ExecutorRegistry executors;
    CaseRunner runner(workspace, settings, executors);
    std::atomic<std::size_t> next{0};
    std::vector<char> ran(plan.work.size(), 0);
    bool interrupted = false;
    {
        SignalWatcher signals(
            [&executors](const std::string& reason) { executors.cancel_all(reason); });
        auto worker = [&] {
            for (;;) {
                std::size_t index = next++;
                if (index >= plan.work.size() || executors.cancelled()) {
                    return;
                }
                const CaseWork& work = plan.work[index];
                const PlannedSuite& planned = *plan.suites[work.suite];
                const harness::TestCase& test_case = planned.suite.cases[work.test_case];
                reporter.case_started(planned.suite.case_id(test_case));
                harness::CaseResult result = run_case(runner, planned, test_case);
                reporter.case_finished(result);
                plan.results[work.suite].cases[work.slot] = std::move(result);
                ran[index] = 1;
            }
        };
        std::size_t threads =
            std::min<std::size_t>(static_cast<std::size_t>(settings.parallel), plan.work.size());
        std::vector<std::thread> workers;
        for (std::size_t i = 0; i < threads; ++i) {
            workers.emplace_back(worker);
        }
        for (std::thread& thread : workers) {
            thread.join();
        }
        interrupted = signals.signalled();
    }
    // Drop the slots of cases that never started, back to front so slots stay valid.
    for (std::size_t index = plan.work.size(); index-- > 0;) {
        if (!ran[index]) {
            const CaseWork& work = plan.work[index];
            auto& cases = plan.results[work.suite].cases;
            cases.erase(cases.begin() + static_cast<std::ptrdiff_t>(work.slot));
        }
    }
    for (harness::SuiteResult& suite : plan.results) {
        for (const harness::CaseResult& result : suite.cases) {
            suite.duration += result.duration;
        }
    }
    return interrupted;
}

base::Result<void> write_junit_file(const std::filesystem::path& file,
                                    const std::vector<harness::SuiteResult>& results) {
    // It holds step messages and log tails: 0600 and written as the report folder's files are
    // (a random temp name, never through a link), not with the umask's 0644.
    auto written = base::write_file_atomically(file, harness::render_junit(results));
    if (!written) {
        return base::make_error(
            base::ErrorKind::Io, "cannot write the JUnit report: " + written.error().message,
            written.error().where.empty() ? file.string() : written.error().where);
    }
    return base::ok();
}

}  // namespace kfrun::cli
