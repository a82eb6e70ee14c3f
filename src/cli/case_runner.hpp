#pragma once
// CaseRunner: runs one test case end to end — its workflow built from the suite's subject and
// the case's inputs, run (twice for `cache: second-run-hits`) through execute_run into its own
// run folder under the data directory (experiment "test:<suite>"), then checked. Thread-safe:
// `kfrun test` runs several cases at once, each with its own Docker runtime.
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "cli/run_execution.hpp"
#include "cli/test_subject.hpp"
#include "cli/workspace.hpp"
#include "harness/case_result.hpp"
#include "harness/test_file.hpp"

namespace kfrun::cli {

struct TestSettings {
    std::vector<std::string> paths;
    std::vector<std::string> patterns;    // -k
    std::vector<std::string> image_maps;  // --image-map PATTERN=IMAGE
    std::string image_map_file;
    std::string data_dir;
    std::string cache_dir;
    std::string junit;
    std::string timeout;  // per case, unless the test file sets one
    std::string pull = "missing";
    std::string network = "pod";
    int parallel = 2;
    bool no_cache = false;
    bool update_golden = false;
    bool verbose = false;
    bool no_color = false;
};

// The executors of the cases running now, so Ctrl-C can stop them all.
class ExecutorRegistry {
public:
    void add(engine::Executor* executor);
    void remove(engine::Executor* executor);
    void cancel_all(const std::string& reason);
    bool cancelled() const;

private:
    mutable std::mutex m_mutex;
    std::set<engine::Executor*> m_running;
    std::string m_reason;
};

class CaseRunner {
public:
    CaseRunner(Workspace& workspace, const TestSettings& settings, ExecutorRegistry& executors)
        : m_workspace(workspace), m_settings(settings), m_executors(executors) {}

    harness::CaseResult run(const harness::TestSuite& suite, const TestSubject& subject,
                            const harness::TestCase& test_case);

private:
    base::Result<engine::RunOptions> run_options(const CaseWorkflow& workflow,
                                                 const harness::TestSuite& suite,
                                                 const harness::TestCase& test_case) const;
    base::Result<RunResult> run_once(const CaseWorkflow& workflow, engine::RunOptions options,
                                     const harness::TestSuite& suite);

    Workspace& m_workspace;
    const TestSettings& m_settings;
    ExecutorRegistry& m_executors;
};

// True when the case checks a log: its first run then runs every step (a step taken from the
// cache ran no container and has no log).
bool expects_logs(const harness::CaseExpectation& expect);

// A step's log as the checks read it: its log file, or — for a step taken from the cache,
// which ran no container — the standard output the cache kept.
std::string step_log_text(const nlohmann::json& report, const nlohmann::json& step);

}  // namespace kfrun::cli
