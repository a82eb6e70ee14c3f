#include "harness/case_result.hpp"

#include "base/strings.hpp"

namespace kfrun::harness {

int CaseResult::failed_checks() const {
    int count = 0;
    for (const CheckResult& check : checks) {
        count += check.passed ? 0 : 1;
    }
    return count;
}

CaseResult::Outcome outcome_of(const std::vector<CheckResult>& checks) {
    for (const CheckResult& check : checks) {
        if (!check.passed) {
            return CaseResult::Outcome::Failed;
        }
    }
    return CaseResult::Outcome::Passed;
}

const char* to_string(CaseResult::Outcome outcome) {
    switch (outcome) {
        case CaseResult::Outcome::Passed:
            return "passed";
        case CaseResult::Outcome::Failed:
            return "failed";
        case CaseResult::Outcome::Error:
            return "error";
    }
    return "?";
}

namespace {

void indent(std::string& out, const std::string& text, const std::string& prefix) {
    std::string body = text;
    if (!body.empty() && body.back() == '\n') {
        body.pop_back();
    }
    for (const std::string& line : base::split(body, '\n')) {
        out += prefix + line + "\n";
    }
}

}  // namespace

std::string failure_text(const CaseResult& result) {
    std::string out;
    if (result.outcome == CaseResult::Outcome::Error) {
        out += result.error + "\n";
    }
    for (const CheckResult& check : result.checks) {
        if (check.passed) {
            continue;
        }
        out += (check.where.empty() ? "" : check.where + ": ") + check.subject + " " +
               check.check + "\n";
        if (!check.message.empty()) {
            indent(out, check.message, "    ");
        }
        if (!check.diff.empty()) {
            indent(out, check.diff, "    ");
        }
    }
    return out;
}

}  // namespace kfrun::harness
