#include "report/junit_report.hpp"

#include <cstdio>

#include "base/json_text.hpp"
#include "base/strings.hpp"
#include "report/escape.hpp"
#include "report/run_view.hpp"

namespace kfrun::report {

namespace {

std::string seconds(std::optional<long long> ms) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f", ms ? static_cast<double>(*ms) / 1000.0 : 0.0);
    return buffer;
}

std::string property(std::string_view name, std::string_view value) {
    return "      <property name=\"" + escape_xml(name) + "\" value=\"" + escape_xml(value) +
           "\"/>\n";
}

std::string log_tail(const StepInfo& step, const RunFiles& files) {
    LogExcerpt log = files.read_log(*step.json, 64 * 1024);
    if (!log.found) {
        return {};
    }
    return last_lines(log.text, k_junit_log_lines);
}

}  // namespace

std::string render_junit(const nlohmann::json& report, const RunFiles& files) {
    RunView run(report);
    std::string pipeline = run.pipeline_name();
    std::string status = run.status();
    int failures = 0;
    int errors = 0;
    int skipped = 0;
    std::string cases;
    for (const StepInfo& step : run.steps()) {
        const nlohmann::json& json = *step.json;
        cases += "    <testcase classname=\"" + escape_xml(pipeline) + "\" name=\"" +
                 escape_xml(step.label) + "\" time=\"" + seconds(step.duration_ms) + "\"";
        PhaseClass phase = phase_class(step.phase);
        std::string message = json_string(json, "message");
        if (phase == PhaseClass::Succeeded) {
            cases += "/>\n";
            continue;
        }
        cases += ">\n";
        if (phase == PhaseClass::Skipped) {
            ++skipped;
            // "Omitted: omitted: depends condition not met" says the phase once.
            if (base::to_lower(message).starts_with(base::to_lower(step.phase) + ":")) {
                message = std::string(base::trim(message.substr(step.phase.size() + 1)));
            }
            cases += "      <skipped message=\"" +
                     escape_xml(step.phase + (message.empty() ? "" : ": " + message)) + "\"/>\n";
        } else {
            bool failure = step.phase == "Failed";
            failure ? ++failures : ++errors;
            const char* element = failure ? "failure" : "error";
            if (message.empty()) {
                message = phase == PhaseClass::Running
                              ? "the step did not finish (" + step.phase + ")"
                              : step.phase;
            }
            std::string body = message;
            if (std::optional<double> exit_code = json_number(json, "exitCode")) {
                body += "\nexit code: " + json_string(json, "exitCode");
            }
            std::string tail = log_tail(step, files);
            if (!tail.empty()) {
                body += "\n\n--- last log lines ---\n" + tail;
            }
            cases += "      <" + std::string(element) + " message=\"" + escape_xml(message) +
                     "\" type=\"" + escape_xml(step.phase) + "\">" + xml_cdata(body) + "</" +
                     element + ">\n";
        }
        cases += "    </testcase>\n";
    }
    std::size_t tests = run.steps().size();
    bool run_failed = status != "Succeeded" && status != "Running" && status != "Pending";
    if (run_failed && failures == 0 && errors == 0) {
        std::string message = json_string(report, "message", "the run " + status);
        cases += "    <testcase classname=\"" + escape_xml(pipeline) + "\" name=\"(run)\" time=\"" +
                 seconds(run.duration_ms()) + "\">\n      <error message=\"" + escape_xml(message) +
                 "\" type=\"" + escape_xml(status) + "\">" + xml_cdata(message) +
                 "</error>\n    </testcase>\n";
        ++errors;
        ++tests;
    }
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    xml += "<testsuites name=\"kfrun\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
           std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" skipped=\"" +
           std::to_string(skipped) + "\" time=\"" + seconds(run.duration_ms()) + "\">\n";
    xml += "  <testsuite name=\"" + escape_xml(pipeline) + "\" tests=\"" + std::to_string(tests) +
           "\" failures=\"" + std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
           "\" skipped=\"" + std::to_string(skipped) + "\" time=\"" + seconds(run.duration_ms()) +
           "\"";
    std::string started = json_string(report, "startedAt");
    if (!started.empty()) {
        xml += " timestamp=\"" + escape_xml(started) + "\"";
    }
    xml += ">\n    <properties>\n";
    xml += property("kfrun.runId", json_string(report, "runId"));
    xml += property("kfrun.workflowName", json_string(report, "workflowName"));
    xml += property("kfrun.status", status);
    xml += property("kfrun.pipelineFile", json_string(json_field(report, "pipeline"), "file"));
    const nlohmann::json& parameters = json_field(report, "parameters");
    if (parameters.is_object()) {
        for (auto it = parameters.begin(); it != parameters.end(); ++it) {
            xml += property("parameter." + it.key(), it->is_string()
                                                         ? it->get_ref<const std::string&>()
                                                         : base::json_text(*it));
        }
    }
    xml += "    </properties>\n" + cases + "  </testsuite>\n</testsuites>\n";
    return xml;
}

}  // namespace kfrun::report
