#include "harness/junit_xml.hpp"

#include <cstdio>

#include "base/utf8.hpp"

namespace kfrun::harness {

std::string xml_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    // A step's output in a check's message may hold bytes that are not UTF-8: the XML would
    // not parse. They become U+FFFD first.
    for (char c : base::valid_utf8(text)) {
        auto byte = static_cast<unsigned char>(c);
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                if (byte < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                    break;  // not allowed in XML 1.0
                }
                out += c;
        }
    }
    return out;
}

namespace {

std::string seconds(std::chrono::milliseconds duration) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f", static_cast<double>(duration.count()) / 1000.0);
    return buffer;
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

}  // namespace

std::string render_junit(const std::vector<SuiteResult>& suites) {
    int total = 0;
    int failures = 0;
    int errors = 0;
    std::chrono::milliseconds time{0};
    std::string body;
    for (const SuiteResult& suite : suites) {
        int suite_failures = 0;
        int suite_errors = 0;
        std::string cases;
        if (!suite.load_error.empty()) {
            ++suite_errors;
            cases += "    <testcase classname=\"" + xml_escape(suite.name) +
                     "\" name=\"(test file)\" time=\"0.000\">\n      <error message=\"" +
                     xml_escape(first_line(suite.load_error)) + "\" type=\"MalformedTestFile\">" +
                     xml_escape(suite.load_error) + "</error>\n    </testcase>\n";
        }
        for (const CaseResult& result : suite.cases) {
            cases += "    <testcase classname=\"" + xml_escape(suite.name) + "\" name=\"" +
                     xml_escape(result.name) + "\" time=\"" + seconds(result.duration) + "\"";
            if (result.outcome == CaseResult::Outcome::Passed) {
                cases += "/>\n";
                continue;
            }
            std::string text = failure_text(result);
            if (result.outcome == CaseResult::Outcome::Error) {
                ++suite_errors;
                cases += ">\n      <error message=\"" + xml_escape(first_line(result.error)) +
                         "\" type=\"CaseError\">" + xml_escape(text) + "</error>\n";
            } else {
                ++suite_failures;
                std::string message = std::to_string(result.failed_checks()) + " of " +
                                      std::to_string(result.checks.size()) + " checks failed";
                cases += ">\n      <failure message=\"" + xml_escape(message) +
                         "\" type=\"ExpectationFailed\">" + xml_escape(text) + "</failure>\n";
            }
            if (!result.run_dirs.empty()) {
                std::string runs;
                for (const std::string& dir : result.run_dirs) {
                    runs += "report: " + dir + "/report.json\n";
                }
                cases += "      <system-out>" + xml_escape(runs) + "</system-out>\n";
            }
            cases += "    </testcase>\n";
        }
        int count = static_cast<int>(suite.cases.size()) + (suite.load_error.empty() ? 0 : 1);
        total += count;
        failures += suite_failures;
        errors += suite_errors;
        time += suite.duration;
        body += "  <testsuite name=\"" + xml_escape(suite.name) + "\" tests=\"" +
                std::to_string(count) + "\" failures=\"" + std::to_string(suite_failures) +
                "\" errors=\"" + std::to_string(suite_errors) + "\" skipped=\"0\" time=\"" +
                seconds(suite.duration) + "\" file=\"" + xml_escape(suite.file) + "\">\n" +
                cases + "  </testsuite>\n";
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kfrun test\" tests=\"" +
           std::to_string(total) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"" +
           std::to_string(errors) + "\" time=\"" + seconds(time) + "\">\n" + body +
           "</testsuites>\n";
}

}  // namespace kfrun::harness
