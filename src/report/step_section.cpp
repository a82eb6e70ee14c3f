#include "report/step_section.hpp"

#include <algorithm>

#include "base/json_text.hpp"
#include "base/strings.hpp"
#include "report/escape.hpp"
#include "report/metric_format.hpp"
#include "report/typed_artifacts.hpp"

namespace kfrun::report {

namespace {

std::string fact(std::string_view term, const std::string& html_value) {
    return "<dt>" + std::string(term) + "</dt><dd>" + html_value + "</dd>";
}

std::string code(std::string_view text) {
    return "<code>" + escape_html(text) + "</code>";
}

std::string short_digest(const std::string& digest) {
    if (digest.empty()) {
        return "\xE2\x80\x93";
    }
    return "<code class=\"digest\" title=\"sha256:" + escape_html(digest) + "\">" +
           escape_html(digest.substr(0, 12)) + "</code>";
}

std::string parameters_table(const nlohmann::json& parameters) {
    if (!parameters.is_object() || parameters.empty()) {
        return "<p class=\"empty\">none</p>";
    }
    std::string html = "<table class=\"kv\"><tbody>";
    for (auto it = parameters.begin(); it != parameters.end(); ++it) {
        html += "<tr><th scope=\"row\">" + escape_html(it.key()) +
                "</th><td><code class=\"value\">" +
                escape_html(it->is_string() ? it->get_ref<const std::string&>()
                                            : base::json_text(*it)) +
                "</code></td></tr>";
    }
    return html + "</tbody></table>";
}

std::string artifacts_table(const RunView& run, const StepInfo& step,
                            const nlohmann::json& artifacts, const RunFiles& files, bool outputs) {
    if (!artifacts.is_array() || artifacts.empty()) {
        return "<p class=\"empty\">none</p>";
    }
    std::string html =
        "<table class=\"data artifacts\"><thead><tr><th>artifact</th><th>size</th>"
        "<th>sha256</th><th>file</th></tr></thead><tbody>";
    for (const nlohmann::json& artifact : artifacts) {
        std::string name = json_string(artifact, "name");
        std::string digest = json_string(artifact, "sha256");
        bool directory = json_string(artifact, "kind") == "directory";
        std::string size = "\xE2\x80\x93";
        if (std::optional<double> bytes = json_number(artifact, "size")) {
            size = format_bytes(*bytes);
            if (directory) {
                size += ", " + json_string(artifact, "files", "?") + " files";
            }
        }
        const ExportedArtifact* exported =
            outputs ? files.exported(step.id, name) : files.exported_with_digest(digest);
        std::string link = "\xE2\x80\x93";
        if (exported != nullptr) {
            std::string href = escape_url_path(exported->relative_path) + (directory ? "/" : "");
            link = "<a class=\"artifact-link\" href=\"" + escape_html(href) + "\">" +
                   (directory ? "folder" : "open") + "</a>";
            if (!outputs && exported->step_id != step.id) {
                link += " <span class=\"muted\">from " +
                        step_link(run, exported->step_id, exported->step_id) + "</span>";
            }
        }
        std::string path = json_string(artifact, "path");
        std::string type = schema_title(artifact);
        std::string name_html;
        if (!type.empty()) {
            name_html += "<span class=\"chip artifact-type\" title=\"" +
                         escape_html(truncate_text(json_string(artifact, "uri"), 1000)) + "\">" +
                         escape_html(truncate_text(type, 200)) + "</span>";
            name_html += "<details class=\"artifact-meta\"><summary>type, URI, metadata</summary>" +
                         render_artifact_facts(artifact) + "</details>";
        }
        html +=
            "<tr><td><div class=\"artifact-name\">" + escape_html(name) + "</div>" + name_html +
            (path.empty() ? "" : "<code class=\"artifact-path\">" + escape_html(path) + "</code>") +
            "</td><td class=\"num nowrap\">" + escape_html(size) + "</td><td>" +
            short_digest(digest) + "</td><td class=\"nowrap\">" + link + "</td></tr>";
    }
    return html + "</tbody></table>";
}

std::string timings_text(const nlohmann::json& timings) {
    std::string text;
    for (const char* key : {"pullMs", "createMs", "runMs", "collectMs", "cleanupMs"}) {
        std::optional<double> ms = json_number(timings, key);
        if (!ms) {
            continue;
        }
        std::string name(key);
        name.resize(name.size() - 2);
        text += (text.empty() ? "" : " \xC2\xB7 ") + name + " " +
                format_millis(static_cast<long long>(*ms));
    }
    return text;
}

std::string cache_facts(const nlohmann::json& step) {
    std::string cache = json_string(step, "cache");
    if (cache.empty()) {
        return {};
    }
    std::string value;
    if (cache == "hit") {
        value = "<span class=\"chip cached\">cache hit</span>";
        if (std::optional<double> saved = json_number(step, "cacheSavedMs")) {
            value += " saved " + escape_html(format_millis(static_cast<long long>(*saved)));
        }
        std::string from = json_string(step, "cachedFromRun");
        if (!from.empty()) {
            value += " \xC2\xB7 from run " + code(from);
        }
    } else {
        value = escape_html(cache == "miss" ? "miss: ran and stored" : cache);
    }
    std::string html = fact("Cache", value);
    std::string key = json_string(step, "cacheKey");
    if (!key.empty()) {
        html += fact("Cache key", short_digest(key));
    }
    const nlohmann::json& reasons = json_array(step, "cacheMissReasons");
    if (!reasons.empty()) {
        std::string list = "<ul class=\"plain\">";
        for (const nlohmann::json& reason : reasons) {
            list += "<li>" + escape_html(json_text(reason)) + "</li>";
        }
        html += fact("Why it missed", list + "</ul>");
    }
    return html;
}

std::string command_block(const nlohmann::json& step) {
    std::vector<std::string> words;
    for (const char* key : {"command", "args"}) {
        for (const nlohmann::json& word : json_array(step, key)) {
            words.push_back(base::shell_quote(json_text(word)));
        }
    }
    if (words.empty()) {
        return {};
    }
    return "<details class=\"sub\"><summary>Command</summary><pre class=\"command\">" +
           escape_html(base::join(words, " ")) + "</pre></details>";
}

std::string log_block(const nlohmann::json& step, const RunFiles& files, bool open) {
    LogExcerpt log = files.read_log(step, k_max_html_log_bytes);
    if (!log.found) {
        return "<p class=\"empty\">No log.</p>";
    }
    std::size_t lines =
        static_cast<std::size_t>(std::count(log.text.begin(), log.text.end(), '\n'));
    if (!log.text.empty() && log.text.back() != '\n') {
        ++lines;
    }
    std::string title = "Log \xC2\xB7 " + format_bytes(static_cast<double>(log.total_bytes));
    std::string html = std::string("<details class=\"sub log\"") + (open ? " open" : "") +
                       "><summary>" + escape_html(title) + "</summary>";
    if (log.truncated) {
        std::string note = log.relative_path.empty()
                               ? "the last lines the engine kept"
                               : "the last " + std::to_string(lines) + " lines of " +
                                     format_bytes(static_cast<double>(log.total_bytes));
        html += "<p class=\"notice notice-info\">Showing " + escape_html(note);
        if (!log.relative_path.empty()) {
            html += "; the whole log: <a href=\"" +
                    escape_html(escape_url_path(log.relative_path)) + "\">" +
                    escape_html(log.relative_path) + "</a>";
        }
        html += "</p>";
    } else if (!log.relative_path.empty()) {
        html += "<p class=\"muted small\"><a href=\"" +
                escape_html(escape_url_path(log.relative_path)) + "\">" +
                escape_html(log.relative_path) + "</a></p>";
    }
    if (log.text.empty()) {
        return html + "<p class=\"empty\">The log is empty.</p></details>";
    }
    return html + "<pre class=\"log\">" + escape_html(log.text) + "</pre></details>";
}

}  // namespace

std::string step_link(const RunView& run, std::string_view step_id, std::string_view fallback) {
    const StepInfo* step = run.step_by_id(step_id);
    if (step == nullptr) {
        return escape_html(fallback);
    }
    return "<a href=\"#" + step->anchor + "\">" + escape_html(step->label) + "</a>";
}

std::string render_metrics_table(const RunView& run, const nlohmann::json& metrics,
                                 bool with_step) {
    if (!metrics.is_array() || metrics.empty()) {
        return "<p class=\"empty\">No metrics.</p>";
    }
    std::string html = "<table class=\"data metrics sortable\"><thead><tr>";
    if (with_step) {
        html += "<th scope=\"col\">step</th>";
    }
    html +=
        "<th scope=\"col\">metric</th><th scope=\"col\">value</th><th scope=\"col\">format</th>"
        "</tr></thead><tbody>";
    for (const nlohmann::json& metric : metrics) {
        std::string format = json_string(metric, "format");
        std::optional<double> value = json_number(metric, "numberValue");
        if (!value) {
            value = json_number(metric, "number_value");
        }
        html += "<tr>";
        if (with_step) {
            html += "<td>" +
                    step_link(run, json_string(metric, "nodeId"), json_string(metric, "step")) +
                    "</td>";
        }
        html += "<td>" + code(json_string(metric, "name")) +
                "</td><td class=\"num metric-value\">" +
                escape_html(value ? format_metric(*value, format) : "\xE2\x80\x93") +
                "</td><td class=\"muted\">" + escape_html(format.empty() ? "RAW" : format) +
                "</td></tr>";
    }
    return html + "</tbody></table>";
}

std::string render_step_section(const RunView& run, const StepInfo& step, const RunFiles& files) {
    const nlohmann::json& json = *step.json;
    std::string phase = phase_css(step.phase);
    bool open = phase_class(step.phase) == PhaseClass::Failed;
    std::string html = "<details class=\"step phase-" + phase + (step.cached ? " cached" : "") +
                       "\" id=\"" + step.anchor + "\" data-step-id=\"" + escape_html(step.id) +
                       "\"" + (open ? " open" : "") +
                       "><summary><span class=\"status-icon\"></span>"
                       "<span class=\"step-name\">" +
                       escape_html(step.label) +
                       "</span>"
                       "<span class=\"chip phase-chip\">" +
                       escape_html(step.phase) + "</span>";
    if (step.cached) {
        html += "<span class=\"chip cached\">cached</span>";
    }
    const nlohmann::json& warnings = json_array(json, "warnings");
    if (!warnings.empty()) {
        html += "<span class=\"chip warn\">" + std::to_string(warnings.size()) + " warning" +
                (warnings.size() == 1 ? "" : "s") + "</span>";
    }
    html += "<span class=\"step-duration\">" + escape_html(format_millis(step.duration_ms)) +
            "</span></summary><div class=\"step-body\">";
    std::string message = json_string(json, "message");
    if (!message.empty()) {
        html += "<p class=\"message\">" + escape_html(message) + "</p>";
    }
    html += "<dl class=\"facts\">";
    html += fact("Phase", "<span class=\"chip phase-chip\">" + escape_html(step.phase) + "</span>");
    html += fact("Node", code(step.id));
    std::string tmpl = json_string(json, "template");
    if (!tmpl.empty()) {
        html += fact("Template", code(tmpl));
    }
    std::string image = json_string(json, "image");
    if (!image.empty()) {
        std::string original = json_string(json, "originalImage");
        std::string value = code(image);
        if (!original.empty() && original != image) {
            value += " <span class=\"muted\">(pipeline: " + code(original) + ")</span>";
        }
        html += fact("Image", value);
    }
    if (std::optional<double> exit_code = json_number(json, "exitCode")) {
        html += fact("Exit code", code(json_string(json, "exitCode")) +
                                      (json_field(json, "oomKilled").is_boolean() &&
                                               json_field(json, "oomKilled").get<bool>()
                                           ? " <span class=\"chip warn\">OOM killed</span>"
                                           : ""));
    }
    if (std::optional<double> attempt = json_number(json, "retryAttempt")) {
        html += fact("Retry attempt", code(json_string(json, "retryAttempt")));
    }
    html += fact("Started", escape_html(format_time_field(json, "startedAt")));
    html += fact("Duration", escape_html(format_millis(step.duration_ms)));
    std::string timings = timings_text(json_field(json, "timings"));
    if (!timings.empty()) {
        html += fact("Time split", escape_html(timings));
    }
    html += cache_facts(json);
    html += "</dl>";
    if (!warnings.empty()) {
        html += "<h4>Warnings</h4><ul class=\"warnings\">";
        for (const nlohmann::json& warning : warnings) {
            html += "<li>" + escape_html(json_text(warning)) + "</li>";
        }
        html += "</ul>";
    }
    const nlohmann::json& inputs = json_field(json, "inputs");
    const nlohmann::json& outputs = json_field(json, "outputs");
    html += "<div class=\"io\"><div><h4>Inputs</h4><h5>Parameters</h5>" +
            parameters_table(json_field(inputs, "parameters")) + "<h5>Artifacts</h5>" +
            artifacts_table(run, step, json_field(inputs, "artifacts"), files, false) + "</div>";
    html += "<div><h4>Outputs</h4><h5>Parameters</h5>" +
            parameters_table(json_field(outputs, "parameters")) + "<h5>Artifacts</h5>" +
            artifacts_table(run, step, json_field(outputs, "artifacts"), files, true);
    const nlohmann::json& result = json_field(outputs, "result");
    if (result.is_string()) {
        html += "<h5>Result (stdout)</h5><pre class=\"value\">" +
                escape_html(truncate_text(result.get_ref<const std::string&>(), 4000)) + "</pre>";
    }
    html += "</div></div>";
    const nlohmann::json& metrics = json_array(json, "metrics");
    if (!metrics.empty()) {
        html += "<h4>Metrics</h4>" + render_metrics_table(run, metrics, false);
    }
    std::size_t visualizations = json_array(json, "uiMetadata").size();
    for (const nlohmann::json& artifact : json_array(outputs, "artifacts")) {
        visualizations += is_typed_artifact(artifact) ? 1 : 0;
    }
    if (visualizations > 0) {
        html += "<p class=\"viz-link\"><a href=\"#viz-" + step.anchor + "\">" +
                std::to_string(visualizations) + " visualization" +
                (visualizations == 1 ? "" : "s") + " in Run output \xE2\x86\x92</a></p>";
    }
    html += command_block(json);
    html += log_block(json, files, open);
    html += "</div></details>";
    return html;
}

}  // namespace kfrun::report
