#pragma once
// TestSession: one `kfrun test` invocation's work — the test files loaded (a malformed one
// becomes a result of its own and never stops the others), the selected cases, and the worker
// threads that run them, at most `--parallel` at once, Ctrl-C stopping them all.
#include <cstddef>
#include <optional>
#include <vector>

#include "base/result.hpp"
#include "cli/case_runner.hpp"
#include "cli/test_reporter.hpp"
#include "cli/test_subject.hpp"
#include "cli/workspace.hpp"
#include "harness/case_result.hpp"
#include "harness/test_file.hpp"

namespace kfrun::cli {

struct PlannedSuite {
    harness::TestSuite suite;
    TestSubject subject;
};

// One selected case: its suite (index into TestPlan::suites) and its place in that suite's
// results.
struct CaseWork {
    std::size_t suite = 0;
    std::size_t test_case = 0;
    std::size_t slot = 0;
};

struct TestPlan {
    std::size_t files = 0;
    int malformed = 0;
    int total_cases = 0;                              // before -k
    std::vector<harness::SuiteResult> results;        // one per test file, in path order
    std::vector<std::optional<PlannedSuite>> suites;  // beside results; empty when malformed
    std::vector<CaseWork> work;
};

// Finds and loads the test files; each malformed one is reported at once and recorded with
// its error. An Input error only when a PATH does not exist.
base::Result<TestPlan> plan_test_session(const TestSettings& settings, TestReporter& reporter);

// Runs the plan's cases, filling plan.results. Cases never started (after Ctrl-C) are left
// out. True when interrupted.
bool run_test_session(TestPlan& plan, Workspace& workspace, const TestSettings& settings,
                      TestReporter& reporter);

// The JUnit XML of the results, written temp-then-rename (missing folders are created).
base::Result<void> write_junit_file(const std::filesystem::path& file,
                                    const std::vector<harness::SuiteResult>& results);

}  // namespace kfrun::cli
