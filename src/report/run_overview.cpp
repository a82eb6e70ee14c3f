#include "report/run_overview.hpp"

#include "base/json_text.hpp"
#include "report/escape.hpp"
#include "report/source_uri.hpp"
#include "report/step_section.hpp"
#include "report/typed_artifacts.hpp"
#include "report/viewers.hpp"

namespace kfrun::report {

namespace {

std::string stat(std::string_view title, const std::string& value_html, std::string_view css = "") {
    return "<div class=\"stat" + (css.empty() ? std::string() : " " + std::string(css)) +
           "\"><div class=\"stat-title\">" + std::string(title) +
           "</div><div class=\"stat-value\">" + value_html + "</div></div>";
}

std::string count_chip(int count, std::string_view what, std::string_view css) {
    return "<span class=\"count " + std::string(css) + "\">" + std::to_string(count) + " " +
           std::string(what) + "</span>";
}

}  // namespace

std::string render_run_summary(const RunView& run, const std::vector<std::string>& extra_warnings) {
    const nlohmann::json& report = run.report();
    std::string status = run.status();
    std::string html = "<section id=\"summary\" class=\"card summary phase-" +
                       std::string(phase_css(status)) + "\">";
    html += "<div class=\"summary-head\"><span class=\"status-icon big\"></span><div><h1>" +
            escape_html(run.pipeline_name()) + "</h1><div class=\"subtitle\">Run <code>" +
            escape_html(json_string(report, "runId", "?")) + "</code>";
    std::string workflow = json_string(report, "workflowName");
    if (!workflow.empty()) {
        html += " \xC2\xB7 workflow <code>" + escape_html(workflow) + "</code>";
    }
    html += "</div></div><span class=\"chip phase-chip status-chip\">" + escape_html(status) +
            "</span></div>";
    std::string message = json_string(report, "message");
    if (!message.empty()) {
        html += "<p class=\"message\">" + escape_html(message) + "</p>";
    }
    int cached = run.count("cached");
    int failed = run.count("failed") + run.count("error");
    int skipped = run.count("skipped") + run.count("omitted");
    std::string steps = count_chip(run.executed_steps(), "run", "ran") +
                        count_chip(cached, "cached", "cached") +
                        count_chip(failed, "failed", failed > 0 ? "failed" : "") +
                        count_chip(skipped, "skipped", "skipped");
    long long saved = run.cache_saved_ms();
    html += "<div class=\"stats\">" +
            stat("Duration", escape_html(format_millis(run.duration_ms()))) +
            stat("Steps",
                 std::to_string(run.steps().size()) + "<div class=\"counts\">" + steps + "</div>") +
            stat("Time saved by cache", escape_html(saved > 0 ? format_millis(saved) : "none"),
                 saved > 0 ? "good" : "") +
            stat("Started", "<span class=\"stat-time\">" +
                                escape_html(format_time_field(report, "startedAt")) + "</span>") +
            "</div>";
    html += "<div class=\"summary-cols\"><div><h3>Parameters</h3>";
    const nlohmann::json& parameters = json_field(report, "parameters");
    if (parameters.is_object() && !parameters.empty()) {
        html += "<table class=\"kv\"><tbody>";
        for (auto it = parameters.begin(); it != parameters.end(); ++it) {
            html += "<tr><th scope=\"row\">" + escape_html(it.key()) +
                    "</th><td><code class=\"value\">" +
                    escape_html(it->is_string() ? it->get_ref<const std::string&>()
                                                : base::json_text(*it)) +
                    "</code></td></tr>";
        }
        html += "</tbody></table>";
    } else {
        html += "<p class=\"empty\">none</p>";
    }
    html += "</div><div><h3>Details</h3><dl class=\"facts\">";
    const nlohmann::json& pipeline = json_field(report, "pipeline");
    std::string file = json_string(pipeline, "file");
    if (!file.empty()) {
        html += "<dt>Pipeline file</dt><dd><code>" + escape_html(file) + "</code></dd>";
    }
    std::string experiment = json_string(report, "experiment");
    if (!experiment.empty()) {
        html += "<dt>Experiment</dt><dd>" + escape_html(experiment) + "</dd>";
    }
    std::string resumed_from = json_string(report, "resumedFrom");
    if (!resumed_from.empty()) {
        html += "<dt>Resumed from</dt><dd><code>" + escape_html(resumed_from) + "</code></dd>";
    }
    html += "<dt>Finished</dt><dd>" + escape_html(format_time_field(report, "finishedAt")) +
            "</dd><dt>kfrun</dt><dd>" + escape_html(json_string(report, "kfrunVersion", "?")) +
            "</dd>";
    if (json_field(report, "dryRun").is_boolean() && json_field(report, "dryRun").get<bool>()) {
        html += "<dt>Mode</dt><dd>dry run</dd>";
    }
    html += "</dl></div></div>";
    std::vector<std::string> warnings;
    for (const nlohmann::json& warning : json_array(report, "warnings")) {
        warnings.push_back(json_text(warning));
    }
    warnings.insert(warnings.end(), extra_warnings.begin(), extra_warnings.end());
    int step_warnings = 0;
    for (const StepInfo& step : run.steps()) {
        step_warnings += static_cast<int>(json_array(*step.json, "warnings").size());
    }
    if (!warnings.empty() || step_warnings > 0) {
        html += "<div class=\"warnings-box\"><h3>Warnings</h3><ul class=\"warnings\">";
        for (const std::string& warning : warnings) {
            html += "<li>" + escape_html(warning) + "</li>";
        }
        if (step_warnings > 0) {
            html += "<li>" + std::to_string(step_warnings) + " warning" +
                    (step_warnings == 1 ? "" : "s") + " on steps:";
            for (const StepInfo& step : run.steps()) {
                if (!json_array(*step.json, "warnings").empty()) {
                    html += " <a href=\"#" + step.anchor + "\">" + escape_html(step.label) + "</a>";
                }
            }
            html += "</li>";
        }
        html += "</ul></div>";
    }
    return html + "</section>";
}

std::string render_pipeline_outputs(const RunView& run, const RunFiles& files) {
    const nlohmann::json& outputs = json_field(run.report(), "outputs");
    const nlohmann::json& parameters = json_field(outputs, "parameters");
    const nlohmann::json& artifacts = json_array(outputs, "artifacts");
    bool has_parameters = parameters.is_object() && !parameters.empty();
    if (!has_parameters && artifacts.empty()) {
        return {};
    }
    std::string html = "<section id=\"pipeline-outputs\" class=\"card\"><h2>Pipeline outputs</h2>";
    if (has_parameters) {
        html += "<h3>Parameters</h3><table class=\"kv\"><tbody>";
        for (auto it = parameters.begin(); it != parameters.end(); ++it) {
            html +=
                "<tr><th scope=\"row\">" + escape_html(it.key()) +
                "</th><td><code class=\"value\">" +
                escape_html(truncate_text(
                    it->is_string() ? it->get_ref<const std::string&>() : json_text(*it), 4000)) +
                "</code></td></tr>";
        }
        html += "</tbody></table>";
    }
    if (!artifacts.empty()) {
        html +=
            "<h3>Artifacts</h3><table class=\"data artifacts\"><thead><tr><th>artifact</th>"
            "<th>type</th><th>size</th><th>file</th></tr></thead><tbody>";
        std::string viewers;
        for (const nlohmann::json& artifact : artifacts) {
            std::string link = "\xE2\x80\x93";
            bool directory = json_string(artifact, "kind") == "directory";
            if (const ExportedArtifact* exported =
                    files.exported_with_digest(json_string(artifact, "sha256"))) {
                link =
                    "<a class=\"artifact-link\" href=\"" +
                    escape_html(escape_url_path(exported->relative_path) + (directory ? "/" : "")) +
                    "\">" + (directory ? "folder" : "open") + "</a>";
            }
            std::string size = "\xE2\x80\x93";
            if (std::optional<double> bytes = json_number(artifact, "size")) {
                size = format_bytes(*bytes);
            }
            html += "<tr><td><div class=\"artifact-name\">" +
                    escape_html(json_string(artifact, "name")) + "</div></td><td><code>" +
                    escape_html(truncate_text(schema_title(artifact), 200)) +
                    "</code></td><td class=\"num nowrap\">" + escape_html(size) + "</td><td>" +
                    link + "</td></tr>";
            if (is_typed_artifact(artifact)) {
                viewers += render_typed_artifact(artifact, files);
            }
        }
        html += "</tbody></table>";
        if (!viewers.empty()) {
            html += "<div class=\"viewers\">" + viewers + "</div>";
        }
    }
    return html + "</section>";
}

std::string render_run_output(const RunView& run, const RunFiles& files) {
    std::string html = "<section id=\"run-output\" class=\"card\"><h2>Run output</h2>";
    html +=
        "<h3>Metrics</h3>" + render_metrics_table(run, json_array(run.report(), "metrics"), true);
    html += "<h3>Visualizations</h3>";
    bool any = false;
    for (const StepInfo& step : run.steps()) {
        const nlohmann::json& viewers = json_array(*step.json, "uiMetadata");
        std::vector<std::string> viewer_warnings;
        for (const nlohmann::json& warning : json_array(*step.json, "warnings")) {
            std::string text = json_text(warning);
            if (text.starts_with("mlpipeline-ui-metadata")) {
                viewer_warnings.push_back(text);
            }
        }
        std::vector<const nlohmann::json*> typed;
        for (const nlohmann::json& artifact :
             json_array(json_field(*step.json, "outputs"), "artifacts")) {
            if (is_typed_artifact(artifact)) {
                typed.push_back(&artifact);
            }
        }
        if (viewers.empty() && viewer_warnings.empty() && typed.empty()) {
            continue;
        }
        any = true;
        html += "<div class=\"viz-step\" id=\"viz-" + step.anchor +
                "\"><h4><span class=\"dot phase-" + std::string(phase_css(step.phase)) +
                "\"></span><a href=\"#" + step.anchor + "\">" + escape_html(step.label) +
                "</a></h4>";
        for (const std::string& warning : viewer_warnings) {
            html += render_notice("warn", warning);
        }
        html += "<div class=\"viewers\">";
        for (const nlohmann::json& viewer : viewers) {
            html += render_viewer(viewer, resolve_source(run, step, viewer, files));
        }
        for (const nlohmann::json* artifact : typed) {
            html += render_typed_artifact(*artifact, files);
        }
        html += "</div></div>";
    }
    if (!any) {
        html +=
            "<p class=\"empty\">No step wrote mlpipeline-ui-metadata or typed output "
            "artifacts.</p>";
    }
    return html + "</section>";
}

}  // namespace kfrun::report
