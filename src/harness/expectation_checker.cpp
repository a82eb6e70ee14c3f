#include "harness/expectation_checker.hpp"

#include "base/json_text.hpp"
#include "base/strings.hpp"
#include "harness/metric_condition.hpp"
#include "harness/value_checks.hpp"

namespace kfrun::harness {

namespace {

constexpr std::size_t k_max_artifact_bytes = 64u << 20;

// object[key], or null when `object` has no such key (const operator[] must not be used so).
const nlohmann::json& field(const nlohmann::json& object, const char* key) {
    static const nlohmann::json k_null;
    if (!object.is_object()) {
        return k_null;
    }
    auto it = object.find(key);
    return it == object.end() ? k_null : *it;
}

const nlohmann::json& list_field(const nlohmann::json& object, const char* key) {
    static const nlohmann::json k_empty = nlohmann::json::array();
    const nlohmann::json& value = field(object, key);
    return value.is_array() ? value : k_empty;
}

std::string json_text(const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : base::json_text(value);
}

std::string step_label(const nlohmann::json& step) {
    return step.value("label", step.value("name", std::string("?")));
}

// What a failed run says about its failed steps: their messages and last log lines.
std::string failure_details(const nlohmann::json& report) {
    std::string out;
    for (const nlohmann::json& step : list_field(report, "steps")) {
        std::string phase = step.value("phase", "");
        if (phase != "Failed" && phase != "Error") {
            continue;
        }
        out += "step " + step_label(step) + " " + phase;
        if (step.contains("message")) {
            out += ": " + json_text(field(step, "message"));
        }
        out += "\n";
        std::string tail = step.value("logTail", "");
        if (!tail.empty()) {
            out += "  last log lines:\n";
            for (const std::string& line : base::split(trim_one_newline(tail), '\n')) {
                out += "    " + line + "\n";
            }
        }
    }
    return out;
}

class CaseChecker {
public:
    CaseChecker(const TestSuite& suite, const TestCase& test_case, const CaseEvidence& evidence,
                const CheckOptions& options)
        : m_suite(suite), m_case(test_case), m_evidence(evidence), m_options(options) {}

    std::vector<CheckResult> run();

private:
    CheckResult& add(std::string subject, std::string check, bool passed, std::string message,
                     std::string where) {
        m_out.push_back(CheckResult{std::move(subject), std::move(check), passed,
                                    std::move(message), {}, std::move(where), std::nullopt});
        return m_out.back();
    }
    const nlohmann::json& steps() const { return list_field(m_evidence.report, "steps"); }

    void check_status();
    void check_step(const StepExpectation& expect, const nlohmann::json& step,
                    const std::string& prefix);
    std::vector<std::string> candidate_names(const nlohmann::json& step,
                                             const std::string& name) const;
    ActualValue artifact_value(const nlohmann::json& step, const std::string& name) const;
    ActualValue output_value(const nlohmann::json& step, const std::string& name) const;
    void check_metrics(const std::vector<MetricCheck>& checks, const nlohmann::json& metrics,
                       const std::string& prefix);
    void check_logs(const LogCheck& check, const std::string& text, const std::string& subject);
    void check_cache();

    const TestSuite& m_suite;
    const TestCase& m_case;
    const CaseEvidence& m_evidence;
    const CheckOptions& m_options;
    std::vector<CheckResult> m_out;
};

std::vector<CheckResult> CaseChecker::run() {
    check_status();
    const CaseExpectation& expect = m_case.expect;
    if (m_suite.single_step()) {
        const nlohmann::json* only = nullptr;
        for (const nlohmann::json& step : steps()) {
            if (only == nullptr || step.value("type", "") == "Pod") {
                only = &step;
            }
        }
        if (only == nullptr) {
            if (!expect.single.empty()) {
                add("step", "exists", false, "the run has no step", expect.single.where);
            }
        } else {
            check_step(expect.single, *only, "");
        }
    }
    for (const StepExpectation& step_expect : expect.steps) {
        std::vector<const nlohmann::json*> matched;
        std::vector<std::string> names;
        for (const nlohmann::json& step : steps()) {
            if (step.value("name", "") == step_expect.step ||
                step.value("label", "") == step_expect.step) {
                matched.push_back(&step);
            }
            names.push_back(step_label(step));
        }
        if (matched.empty()) {
            add("step " + step_expect.step, "exists", false,
                "the run has no step named `" + step_expect.step + "`; its steps: " +
                    (names.empty() ? "(none)" : base::join(names, ", ")),
                step_expect.where);
            continue;
        }
        for (const nlohmann::json* step : matched) {
            check_step(step_expect, *step, "step " + step_label(*step) + ": ");
        }
    }
    if (!expect.run_metrics.empty()) {
        check_metrics(expect.run_metrics, list_field(m_evidence.report, "metrics"), "run: ");
    }
    if (expect.run_logs) {
        std::string all;
        for (const nlohmann::json& step : steps()) {
            all += m_evidence.log_text ? m_evidence.log_text(step) : "";
        }
        check_logs(*expect.run_logs, all, "run logs");
    }
    if (expect.second_run_hits) {
        check_cache();
    }
    return std::move(m_out);
}

void CaseChecker::check_status() {
    const CaseExpectation& expect = m_case.expect;
    if (!expect.status && expect.expects_outcome()) {
        return;  // the step phases and exit codes say what is expected
    }
    std::string expected = expect.status.value_or("Succeeded");
    std::string actual = m_evidence.report.value("status", "");
    std::string message = "expected " + expected + ", got " + actual;
    if (m_evidence.report.contains("message")) {
        message += ": " + json_text(field(m_evidence.report, "message"));
    }
    CheckResult& result = add("run", "status " + expected, actual == expected, message,
                              expect.status ? expect.status_where : m_case.where);
    if (!result.passed) {
        result.diff = failure_details(m_evidence.report);
    }
}

std::vector<std::string> CaseChecker::candidate_names(const nlohmann::json& step,
                                                      const std::string& name) const {
    std::vector<std::string> names = {name};
    if (auto it = m_evidence.output_names.find(name); it != m_evidence.output_names.end()) {
        names.push_back(it->second);
    }
    std::string tmpl = step.value("template", "");
    if (!tmpl.empty()) {
        names.push_back(tmpl + "-" + name);
    }
    return names;
}

ActualValue CaseChecker::artifact_value(const nlohmann::json& step,
                                        const std::string& name) const {
    ActualValue value;
    value.label = "artifact " + name;
    const nlohmann::json& artifacts = list_field(field(step, "outputs"), "artifacts");
    std::vector<std::string> known;
    for (const std::string& candidate : candidate_names(step, name)) {
        for (const nlohmann::json& artifact : artifacts) {
            if (artifact.value("name", "") != candidate) {
                continue;
            }
            value.present = true;
            value.directory = artifact.value("kind", "") == "directory";
            if (value.directory) {
                value.problem = value.label + " is a directory; only file artifacts have content "
                                              "to check";
                return value;
            }
            if (m_evidence.store == nullptr) {
                value.problem = "no artifact store to read " + value.label + " from";
                return value;
            }
            engine::ArtifactRef ref;
            ref.kind = engine::ArtifactRef::Kind::File;
            ref.digest = artifact.value("sha256", "");
            ref.size = artifact.value("size", std::uint64_t{0});
            ref.file_count = 1;
            auto text = m_evidence.store->read_text(ref, k_max_artifact_bytes);
            if (text.ok()) {
                value.bytes = std::move(text.value());
            } else {
                value.problem = "cannot read " + value.label + ": " + text.error().to_string();
            }
            return value;
        }
    }
    for (const nlohmann::json& artifact : artifacts) {
        known.push_back(artifact.value("name", ""));
    }
    value.problem = "step " + step_label(step) + " has no output artifact `" + name +
                    "`; its artifacts: " + (known.empty() ? "(none)" : base::join(known, ", "));
    return value;
}

ActualValue CaseChecker::output_value(const nlohmann::json& step, const std::string& name) const {
    const nlohmann::json& parameters = field(field(step, "outputs"), "parameters");
    for (const std::string& candidate : candidate_names(step, name)) {
        if (parameters.is_object() && parameters.contains(candidate)) {
            ActualValue value;
            value.label = "output " + name;
            value.present = true;
            value.bytes = json_text(parameters[candidate]);
            return value;
        }
    }
    ActualValue value = artifact_value(step, name);
    value.label = "output " + name;
    if (value.bytes) {
        value.bytes = trim_one_newline(*value.bytes);  // an output's value, as Argo reads it
    } else if (!value.present) {
        std::vector<std::string> known;
        for (const auto& [parameter, text] : parameters.items()) {
            known.push_back(parameter);
        }
        for (const nlohmann::json& artifact : list_field(field(step, "outputs"), "artifacts")) {
            known.push_back(artifact.value("name", ""));
        }
        value.problem = "step " + step_label(step) + " has no output `" + name +
                        "`; its outputs: " + (known.empty() ? "(none)" : base::join(known, ", "));
    }
    return value;
}

void CaseChecker::check_step(const StepExpectation& expect, const nlohmann::json& step,
                             const std::string& prefix) {
    if (expect.phase) {
        std::string actual = step.value("phase", "");
        std::string message = "expected " + *expect.phase + ", got " + actual;
        if (step.contains("message")) {
            message += ": " + json_text(field(step, "message"));
        }
        add(prefix + "phase", *expect.phase, actual == *expect.phase, message,
            expect.phase_where);
    }
    if (expect.exit_code) {
        const nlohmann::json& code = field(step, "exitCode");
        bool equal = code.is_number_integer() && code.get<int>() == *expect.exit_code;
        add(prefix + "exit code", std::to_string(*expect.exit_code), equal,
            "expected " + std::to_string(*expect.exit_code) + ", got " +
                (code.is_null() ? std::string("none (no container ran)") : base::json_text(code)),
            expect.exit_code_where);
    }
    for (const ValueCheck& check : expect.outputs) {
        ActualValue value = output_value(step, check.name);
        value.label = prefix + value.label;
        check_value(check, value, m_options.update_golden, m_out);
    }
    for (const ValueCheck& check : expect.artifacts) {
        ActualValue value = artifact_value(step, check.name);
        value.label = prefix + value.label;
        check_value(check, value, m_options.update_golden, m_out);
    }
    if (!expect.metrics.empty()) {
        check_metrics(expect.metrics, list_field(step, "metrics"), prefix);
    }
    if (!expect.ui_metadata.empty()) {
        std::vector<std::string> present;
        for (const nlohmann::json& viewer : list_field(step, "uiMetadata")) {
            present.push_back(viewer.value("type", ""));
        }
        for (const std::string& type : expect.ui_metadata) {
            bool found = false;
            for (const std::string& have : present) {
                found = found || have == type;
            }
            add(prefix + "ui-metadata", "viewer " + type, found,
                "no `" + type + "` viewer; the step's viewers: " +
                    (present.empty() ? "(none)" : base::join(present, ", ")),
                expect.ui_metadata_where);
        }
    }
    if (expect.logs) {
        check_logs(*expect.logs, m_evidence.log_text ? m_evidence.log_text(step) : "",
                   prefix + "logs");
    }
}

void CaseChecker::check_metrics(const std::vector<MetricCheck>& checks,
                                const nlohmann::json& metrics, const std::string& prefix) {
    for (const MetricCheck& check : checks) {
        std::vector<std::string> failing;
        std::vector<std::string> names;
        bool any = false;
        for (const nlohmann::json& metric : metrics) {
            std::string name = metric.value("name", "");
            names.push_back(name);
            if (name != check.name) {
                continue;
            }
            any = true;
            double value = metric.value("numberValue", 0.0);
            if (!metric_holds(check, value)) {
                std::string from =
                    metric.contains("step") ? " (step " + json_text(field(metric, "step")) + ")"
                                            : "";
                failing.push_back(base::json_text(field(metric, "numberValue")) + from);
            }
        }
        std::string message;
        if (!any) {
            message = "no metric `" + check.name + "`; metrics: " +
                      (names.empty() ? "(none)" : base::join(names, ", "));
        } else if (!failing.empty()) {
            message = "expected " + check.text + ", got " + base::join(failing, ", ");
        }
        add(prefix + "metric " + check.name,
            check.op + " " + base::json_text(nlohmann::json(check.value)), any && failing.empty(),
            message, check.where);
    }
}

void CaseChecker::check_logs(const LogCheck& check, const std::string& text,
                             const std::string& subject) {
    auto tail = [&text] {
        std::string shown = text.size() > 600 ? "…" + text.substr(text.size() - 600) : text;
        return shown.empty() ? std::string("the log is empty") : "log:\n" + shown;
    };
    for (const std::string& part : check.contains) {
        add(subject, "contains " + quote(part, 60), text.find(part) != std::string::npos,
            "expected the log to contain " + quote(part) + "; " + tail(), check.where);
    }
    for (const std::string& part : check.not_contains) {
        std::size_t at = text.find(part);
        std::string line;
        if (at != std::string::npos) {
            std::size_t begin = text.rfind('\n', at);
            begin = begin == std::string::npos ? 0 : begin + 1;
            line = text.substr(begin, text.find('\n', at) - begin);
        }
        add(subject, "does not contain " + quote(part, 60), at == std::string::npos,
            "the log contains " + quote(part) + " in: " + quote(line), check.where);
    }
}

void CaseChecker::check_cache() {
    const std::string& where = m_case.expect.cache_where;
    if (!m_evidence.second_report) {
        add("cache", "second run hits", false, "the case was not run a second time", where);
        return;
    }
    std::vector<std::string> missed;
    int steps_seen = 0;
    for (const nlohmann::json& step : list_field(*m_evidence.second_report, "steps")) {
        if (!step.contains("cache")) {
            continue;  // skipped or omitted: nothing ran
        }
        ++steps_seen;
        std::string outcome = json_text(field(step, "cache"));
        if (outcome == "hit") {
            continue;
        }
        std::string line = step_label(step) + " (" + outcome;
        if (!list_field(step, "cacheMissReasons").empty()) {
            std::vector<std::string> reasons;
            for (const nlohmann::json& reason : list_field(step, "cacheMissReasons")) {
                reasons.push_back(json_text(reason));
            }
            line += ": " + base::join(reasons, "; ");
        }
        missed.push_back(line + ")");
    }
    std::string message =
        missed.empty() ? (steps_seen == 0 ? "the second run ran no step" : "")
                       : std::to_string(missed.size()) + " of " + std::to_string(steps_seen) +
                             " steps ran again on the second run: " + base::join(missed, ", ");
    add("cache", "second run hits", missed.empty() && steps_seen > 0, message, where);
}

}  // namespace

std::vector<CheckResult> check_case(const TestSuite& suite, const TestCase& test_case,
                                    const CaseEvidence& evidence, const CheckOptions& options) {
    return CaseChecker(suite, test_case, evidence, options).run();
}

}  // namespace kfrun::harness
