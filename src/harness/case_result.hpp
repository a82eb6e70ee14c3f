#pragma once
// The results of a test session: per case its outcome and checks, per suite its cases (or why
// the file could not be loaded), and the readable failure text shown on the console and in
// JUnit (expected vs actual, with the diff).
#include <chrono>
#include <string>
#include <vector>

#include "harness/check_result.hpp"

namespace kfrun::harness {

struct CaseResult {
    enum class Outcome { Passed, Failed, Error };
    std::string suite;
    std::string name;
    std::string where;  // the case in the test file
    Outcome outcome = Outcome::Passed;
    std::vector<CheckResult> checks;
    std::string error;  // Error: why the case could not run (bad input, Docker, ...)
    std::chrono::milliseconds duration{0};
    std::vector<std::string> run_dirs;  // report folders of its runs
    std::string note;                   // e.g. "2/2 steps cached"

    int failed_checks() const;
};

struct SuiteResult {
    std::string name;
    std::string file;
    std::string load_error;  // the file is malformed: "file:line:col: message"
    std::vector<CaseResult> cases;
    std::chrono::milliseconds duration{0};
};

// The outcome from the checks: Failed when any check failed.
CaseResult::Outcome outcome_of(const std::vector<CheckResult>& checks);

// Every failed check: "where: subject check: message" and the diff, indented.
std::string failure_text(const CaseResult& result);

const char* to_string(CaseResult::Outcome outcome);

}  // namespace kfrun::harness
