#include "cli/test_reporter.hpp"

#include <iostream>

#include "base/strings.hpp"
#include "base/time.hpp"
#include "base/visible_text.hpp"
#include "cli/text_table.hpp"

namespace kfrun::cli {

using harness::CaseResult;

TestTotals count_results(const std::vector<harness::SuiteResult>& suites) {
    TestTotals totals;
    for (const harness::SuiteResult& suite : suites) {
        totals.malformed += suite.load_error.empty() ? 0 : 1;
        for (const CaseResult& result : suite.cases) {
            switch (result.outcome) {
                case CaseResult::Outcome::Passed:
                    ++totals.passed;
                    break;
                case CaseResult::Outcome::Failed:
                    ++totals.failed;
                    break;
                case CaseResult::Outcome::Error:
                    ++totals.errors;
                    break;
            }
        }
    }
    return totals;
}

std::string TestReporter::outcome_text(CaseResult::Outcome outcome) const {
    switch (outcome) {
        case CaseResult::Outcome::Passed:
            return m_terminal.green("passed");
        case CaseResult::Outcome::Failed:
            return m_terminal.red("FAILED");
        case CaseResult::Outcome::Error:
            return m_terminal.red("ERROR");
    }
    return "?";
}

void TestReporter::session_started(std::size_t files, int cases, int parallel) {
    std::lock_guard lock(m_mutex);
    std::cout << m_terminal.bold("kfrun test") << "  " << cases << (cases == 1 ? " case" : " cases")
              << " in " << files << (files == 1 ? " test file" : " test files") << " · "
              << parallel << " at a time\n"
              << std::flush;
}

void TestReporter::malformed(const harness::SuiteResult& suite) {
    std::lock_guard lock(m_mutex);
    std::cerr << m_terminal.red("error: ") << suite.load_error << "\n"
              << "  " << m_terminal.dim("(the cases of " + suite.file + " were not run)") << "\n"
              << std::flush;
}

void TestReporter::case_started(const std::string& id) {
    std::lock_guard lock(m_mutex);
    std::cout << "  " << m_terminal.blue("▶") << " " << id << " " << m_terminal.dim("started")
              << "\n"
              << std::flush;
}

void TestReporter::case_finished(const CaseResult& result) {
    std::string symbol = result.outcome == CaseResult::Outcome::Passed ? m_terminal.green("✔")
                                                                        : m_terminal.red("✘");
    std::string detail = m_terminal.dim(base::format_duration(result.duration));
    if (result.outcome == CaseResult::Outcome::Failed) {
        detail += "  " + m_terminal.red(std::to_string(result.failed_checks()) + " of " +
                                        std::to_string(result.checks.size()) + " checks failed");
    } else if (result.outcome == CaseResult::Outcome::Error) {
        detail += "  " + m_terminal.red(
                             base::visible_text(result.error.substr(0, result.error.find('\n'))));
    }
    if (!result.note.empty()) {
        detail += "  " + m_terminal.cyan(result.note);
    }
    std::lock_guard lock(m_mutex);
    std::cout << "  " << symbol << " " << result.suite << "/" << result.name << "  " << detail
              << "\n";
    if (m_verbose && result.outcome != CaseResult::Outcome::Passed) {
        for (const std::string& line : base::split(harness::failure_text(result), '\n')) {
            if (!line.empty()) {
                std::cout << "      " << base::visible_text(line) << "\n";
            }
        }
    }
    std::cout << std::flush;
}

void TestReporter::summary(const std::vector<harness::SuiteResult>& suites,
                           std::chrono::milliseconds wall_time, const std::string& junit_file) {
    std::lock_guard lock(m_mutex);
    TextTable table({"SUITE", "CASE", "RESULT", "TIME", "CHECKS"});
    for (const harness::SuiteResult& suite : suites) {
        if (!suite.load_error.empty()) {
            table.add({suite.name, "(test file)", m_terminal.red("MALFORMED"), "", ""});
        }
        for (const CaseResult& result : suite.cases) {
            std::string checks = result.outcome == CaseResult::Outcome::Error
                                     ? ""
                                     : std::to_string(result.checks.size() -
                                                      result.failed_checks()) +
                                           "/" + std::to_string(result.checks.size());
            table.add({suite.name, result.name, outcome_text(result.outcome),
                       base::format_duration(result.duration), checks});
        }
    }
    std::cout << "\n";
    table.print(std::cout);
    bool header = false;
    auto print_header = [&] {
        if (!header) {
            std::cout << "\n" << m_terminal.bold("Failures") << "\n";
            header = true;
        }
    };
    for (const harness::SuiteResult& suite : suites) {
        if (!suite.load_error.empty()) {
            print_header();
            std::cout << "\n"
                      << m_terminal.red("── " + suite.file + " (malformed test file) ──") << "\n"
                      << "  " << suite.load_error << "\n";
        }
        for (const CaseResult& result : suite.cases) {
            if (result.outcome == CaseResult::Outcome::Passed) {
                continue;
            }
            print_header();
            std::cout << "\n"
                      << m_terminal.red("── " + result.suite + "/" + result.name + " ──") << "  "
                      << m_terminal.dim(result.where) << "\n"
                      << base::visible_text(harness::failure_text(result), true);
            for (const std::string& dir : result.run_dirs) {
                std::cout << m_terminal.dim("  report: " + dir + "/report.json") << "\n";
            }
        }
    }
    TestTotals totals = count_results(suites);
    std::string line = std::to_string(totals.cases()) + (totals.cases() == 1 ? " case" : " cases") +
                       ": " + std::to_string(totals.passed) + " passed";
    if (totals.failed > 0) {
        line += ", " + m_terminal.red(std::to_string(totals.failed) + " failed");
    }
    if (totals.errors > 0) {
        line += ", " + m_terminal.red(std::to_string(totals.errors) +
                                      (totals.errors == 1 ? " error" : " errors"));
    }
    if (totals.malformed > 0) {
        line += " · " + m_terminal.red(std::to_string(totals.malformed) +
                                       (totals.malformed == 1 ? " malformed test file"
                                                              : " malformed test files"));
    }
    line += " · " + base::format_duration(wall_time);
    std::cout << "\n" << line << "\n";
    if (!junit_file.empty()) {
        std::cout << "JUnit: " << junit_file << "\n";
    }
    std::cout << std::flush;
}

}  // namespace kfrun::cli
