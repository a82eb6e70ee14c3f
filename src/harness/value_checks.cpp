#include "harness/value_checks.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <re2/re2.h>

#include "base/json_depth.hpp"
#include "base/json_text.hpp"
#include "harness/json_match.hpp"
#include "harness/line_diff.hpp"

namespace kfrun::harness {

std::string trim_one_newline(std::string text) {
    if (!text.empty() && text.back() == '\n') {
        text.pop_back();
    }
    return text;
}

std::string quote(const std::string& text, std::size_t max) {
    std::string out = "\"";
    std::size_t shown = 0;
    for (char c : text) {
        if (shown++ >= max) {
            out += "…";
            break;
        }
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += c;
        }
    }
    return out + "\"";
}

namespace {

class ValueChecker {
public:
    ValueChecker(const ValueCheck& check, const ActualValue& actual, bool update_golden,
                 std::vector<CheckResult>& out)
        : m_check(check), m_actual(actual), m_update_golden(update_golden), m_out(out) {}

    void run();

private:
    CheckResult& add(std::string check, bool passed, std::string message = {}) {
        CheckResult result;
        result.subject = m_actual.label;
        result.check = std::move(check);
        result.passed = passed;
        result.message = std::move(message);
        result.where = m_check.where;
        m_out.push_back(std::move(result));
        return m_out.back();
    }
    // The text to check, or a failed result saying why there is none.
    const std::string* text(const std::string& check) {
        if (m_actual.bytes) {
            return &*m_actual.bytes;
        }
        add(check, false, m_actual.problem.empty() ? m_actual.label + " has no value"
                                                   : m_actual.problem);
        return nullptr;
    }
    std::optional<nlohmann::json> parsed(const std::string& check) {
        const std::string* bytes = text(check);
        if (bytes == nullptr) {
            return std::nullopt;
        }
        if (!base::json_depth_within_limit(*bytes)) {
            add(check, false, base::json_depth_problem(m_actual.label));
            return std::nullopt;
        }
        nlohmann::json value = nlohmann::json::parse(*bytes, nullptr, false);
        if (value.is_discarded()) {
            add(check, false, m_actual.label + " is not JSON: " + quote(*bytes));
            return std::nullopt;
        }
        return value;
    }
    void check_golden();

    const ValueCheck& m_check;
    const ActualValue& m_actual;
    bool m_update_golden;
    std::vector<CheckResult>& m_out;
};

void ValueChecker::run() {
    if (m_check.exists) {
        bool expected = *m_check.exists;
        add(expected ? "exists" : "does not exist", m_actual.present == expected,
            expected ? (m_actual.problem.empty() ? m_actual.label + " does not exist"
                                                 : m_actual.problem)
                     : m_actual.label + " exists, but should not");
        if (!m_actual.present) {
            return;  // other checks would only repeat that it is missing
        }
    }
    if (m_check.equals) {
        if (const std::string* bytes = text("equals")) {
            std::string actual = trim_one_newline(*bytes);
            std::string expected = trim_one_newline(*m_check.equals);
            CheckResult& result = add("equals", actual == expected,
                                      "expected " + quote(expected) + ", got " + quote(actual));
            if (!result.passed && (actual.find('\n') != std::string::npos ||
                                   expected.find('\n') != std::string::npos)) {
                result.diff = unified_diff(expected + "\n", actual + "\n");
            }
        }
    }
    if (m_check.regex) {
        if (const std::string* bytes = text("regex")) {
            std::string actual = trim_one_newline(*bytes);
            // RE2 (Go's syntax, linear time): `actual` is a step's output, of any size.
            RE2::Options options;
            options.set_log_errors(false);
            RE2 regex(*m_check.regex, options);
            bool matched = regex.ok() && RE2::PartialMatch(actual, regex);
            add("regex " + quote(*m_check.regex), matched,
                "expected a match for /" + *m_check.regex + "/, got " + quote(actual));
        }
    }
    for (const std::string& part : m_check.contains) {
        if (const std::string* bytes = text("contains")) {
            add("contains " + quote(part, 60), bytes->find(part) != std::string::npos,
                "expected it to contain " + quote(part) + ", got " + quote(*bytes));
        }
    }
    if (m_check.json) {
        if (auto actual = parsed("json")) {
            auto mismatch = json_subset_mismatch(*m_check.json, *actual);
            CheckResult& result = add("json subset", !mismatch, mismatch.value_or(""));
            if (mismatch) {
                result.diff = unified_diff(base::json_text(*m_check.json, 2) + "\n",
                                           base::json_text(*actual, 2) + "\n",
                                           {"expected (subset)", "actual"});
            }
        }
    }
    for (const auto& [path, expected] : m_check.json_paths) {
        const std::string name = "json-path " + path;
        auto actual = parsed(name);
        if (!actual) {
            continue;
        }
        auto found = json_query(*actual, path);
        if (!found.ok()) {
            add(name, false, found.error().message);
            continue;
        }
        if (!found->has_value()) {
            add(name, false, "no value at " + path + " in " + quote(base::json_text(*actual)));
            continue;
        }
        const nlohmann::json& value = **found;
        bool equal =
            json_equal(expected, value) || (expected.is_string() && !value.is_string() &&
                                            expected.get<std::string>() == base::json_text(value));
        add(name, equal,
            "expected " + base::json_text(expected) + ", got " + base::json_text(value));
    }
    if (m_check.number) {
        if (const std::string* bytes = text("number")) {
            std::string actual = trim_one_newline(*bytes);
            char* end = nullptr;
            double value = std::strtod(actual.c_str(), &end);
            bool is_number = !actual.empty() && end != nullptr && *end == '\0';
            std::ostringstream expected;
            expected << *m_check.number;
            if (m_check.tolerance > 0) {
                expected << " ± " << m_check.tolerance;
            }
            if (!is_number) {
                add("number " + expected.str(), false,
                    "expected a number " + expected.str() + ", got " + quote(actual));
            } else {
                add("number " + expected.str(),
                    std::fabs(value - *m_check.number) <= m_check.tolerance,
                    "expected " + expected.str() + ", got " + actual);
            }
        }
    }
    if (!m_check.golden.empty()) {
        check_golden();
    }
}

void ValueChecker::check_golden() {
    const std::string name = "golden " + m_check.golden_text;
    const std::string* bytes = text(name);
    if (bytes == nullptr) {
        return;
    }
    std::ifstream in(m_check.golden, std::ios::binary);
    std::optional<std::string> golden;
    if (in) {
        std::stringstream buffer;
        buffer << in.rdbuf();
        golden = buffer.str();
    }
    if (golden && *golden == *bytes) {
        add(name, true);
        return;
    }
    if (m_update_golden) {
        CheckResult& result = add(name, true, (golden ? "updated " : "created ") +
                                                  m_check.golden.string());
        result.golden_update = GoldenUpdate{m_check.golden, *bytes};
        return;
    }
    if (!golden) {
        add(name, false, "the golden file " + m_check.golden.string() +
                             " does not exist; `kfrun test --update-golden` creates it from the "
                             "actual " + m_actual.label);
        return;
    }
    CheckResult& result = add(name, false, m_actual.label + " differs from " +
                                               m_check.golden.string() +
                                               " (`kfrun test --update-golden` rewrites it)");
    if (is_text(*golden) && is_text(*bytes)) {
        result.diff = unified_diff(*golden, *bytes,
                                   {"expected (" + m_check.golden_text + ")",
                                    "actual (" + m_actual.label + ")"});
    } else {
        result.message += "; binary content: " + std::to_string(golden->size()) + " bytes vs " +
                          std::to_string(bytes->size()) + " bytes";
    }
}

}  // namespace

void check_value(const ValueCheck& check, const ActualValue& actual, bool update_golden,
                 std::vector<CheckResult>& out) {
    ValueChecker(check, actual, update_golden, out).run();
}

}  // namespace kfrun::harness
