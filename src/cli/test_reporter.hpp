#pragma once
// TestReporter: what `kfrun test` prints — a line as each case starts and ends (cases run side
// by side, so lines are whole and never interleaved), malformed test files as soon as they are
// found, and at the end a table of every case, the failures with expected vs actual and their
// diffs, and the totals.
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "cli/terminal.hpp"
#include "harness/case_result.hpp"

namespace kfrun::cli {

struct TestTotals {
    int passed = 0;
    int failed = 0;
    int errors = 0;
    int malformed = 0;

    int cases() const { return passed + failed + errors; }
};

TestTotals count_results(const std::vector<harness::SuiteResult>& suites);

class TestReporter {
public:
    TestReporter(Terminal terminal, bool verbose) : m_terminal(terminal), m_verbose(verbose) {}

    void session_started(std::size_t files, int cases, int parallel);
    void malformed(const harness::SuiteResult& suite);
    void case_started(const std::string& id);
    void case_finished(const harness::CaseResult& result);
    void summary(const std::vector<harness::SuiteResult>& suites,
                 std::chrono::milliseconds wall_time, const std::string& junit_file);

private:
    std::string outcome_text(harness::CaseResult::Outcome outcome) const;

    Terminal m_terminal;
    bool m_verbose;
    std::mutex m_mutex;
};

}  // namespace kfrun::cli
