#include "report/summary_markdown.hpp"

#include "report/escape.hpp"
#include "report/metric_format.hpp"
#include "report/run_view.hpp"
#include "report/typed_artifacts.hpp"

namespace kfrun::report {

const char* phase_emoji(std::string_view phase) {
    if (phase == "Succeeded") {
        return "\xE2\x9C\x85";
    }
    if (phase == "Failed") {
        return "\xE2\x9D\x8C";
    }
    if (phase == "Error") {
        return "\xF0\x9F\x9B\x91";
    }
    if (phase == "Skipped" || phase == "Omitted") {
        return "\xE2\x8F\xAD\xEF\xB8\x8F";
    }
    return "\xE2\x8F\xB3";
}

namespace {
// Metric rows in summary.md (GitHub caps a step summary at 1 MiB).
constexpr std::size_t k_max_summary_metrics = 200;
}  // namespace

std::string render_summary(const nlohmann::json& report) {
    RunView run(report);
    std::string status = run.status();
    std::string md = "### " + std::string(phase_emoji(status)) + " " +
                     escape_markdown_inline(run.pipeline_name()) + ": " +
                     escape_markdown_inline(status) + "\n\n";
    std::string run_id = json_string(report, "runId");
    int cached = run.count("cached");
    int failed = run.count("failed") + run.count("error");
    int skipped = run.count("skipped") + run.count("omitted");
    md += "Run " + escape_markdown_inline(run_id) + " \xC2\xB7 " +
          escape_markdown_inline(format_millis(run.duration_ms())) + " \xC2\xB7 " +
          std::to_string(run.steps().size()) + " steps: " + std::to_string(run.executed_steps()) +
          " run, " + std::to_string(cached) + " cached, " + std::to_string(failed) + " failed, " +
          std::to_string(skipped) + " skipped\n\n";
    std::string message = json_string(report, "message");
    if (!message.empty()) {
        md += "> " + escape_markdown_inline(message) + "\n\n";
    }
    if (cached > 0) {
        md += "Cache: " + std::to_string(cached) + " hit" + (cached == 1 ? "" : "s") + ", saved " +
              escape_markdown_inline(format_millis(run.cache_saved_ms())) + "\n\n";
    }
    if (!run.steps().empty()) {
        md += "| | Step | Duration | Cached |\n|:-:|---|--:|:-:|\n";
        for (const StepInfo& step : run.steps()) {
            std::string label = escape_markdown_inline(step.label);
            if (phase_class(step.phase) != PhaseClass::Succeeded) {
                label += " (" + escape_markdown_inline(step.phase) + ")";
            }
            std::string cache = "";
            if (step.cached) {
                cache = "\xE2\x99\xBB\xEF\xB8\x8F";  // ♻️
                if (std::optional<double> saved = json_number(*step.json, "cacheSavedMs")) {
                    cache += " saved " +
                             escape_markdown_inline(format_millis(static_cast<long long>(*saved)));
                }
            }
            md += "| " + std::string(phase_emoji(step.phase)) + " | " + label + " | " +
                  escape_markdown_inline(format_millis(step.duration_ms)) + " | " + cache + " |\n";
        }
        md += "\n";
    }
    const nlohmann::json& metrics = json_array(report, "metrics");
    std::vector<std::string> rows;
    for (const nlohmann::json& metric : metrics) {
        std::optional<double> value = json_number(metric, "numberValue");
        std::string step = json_string(metric, "step");
        if (const StepInfo* info = run.step_by_id(json_string(metric, "nodeId"))) {
            step = info->label;
        }
        rows.push_back(
            "| " + escape_markdown_inline(step) + " | " +
            escape_markdown_inline(json_string(metric, "name")) + " | " +
            escape_markdown_inline(value ? format_metric(*value, json_string(metric, "format"))
                                         : "\xE2\x80\x93") +
            " |\n");
    }
    // KFP v2: the scalar metadata of each step's system.Metrics outputs.
    std::size_t more = 0;
    for (const StepInfo& step : run.steps()) {
        for (const nlohmann::json& artifact :
             json_array(json_field(*step.json, "outputs"), "artifacts")) {
            if (schema_title(artifact) != "system.Metrics") {
                continue;
            }
            std::size_t total = 0;
            std::size_t room =
                rows.size() < k_max_summary_metrics ? k_max_summary_metrics - rows.size() : 0;
            auto scalars = scalar_metrics(json_field(artifact, "metadata"), room, &total);
            more += total - scalars.size();
            for (const auto& [name, value] : scalars) {
                rows.push_back("| " + escape_markdown_inline(step.label) + " | " +
                               escape_markdown_inline(name) + " | " +
                               escape_markdown_inline(truncate_text(value, 200)) + " |\n");
            }
        }
    }
    if (!rows.empty()) {
        md += "#### Metrics\n\n| Step | Metric | Value |\n|---|---|--:|\n";
        for (const std::string& row : rows) {
            md += row;
        }
        md += "\n";
        if (more > 0) {
            md += std::to_string(more) + " more metrics: see report.html\n\n";
        }
    }
    const nlohmann::json& outputs = json_field(json_field(report, "outputs"), "parameters");
    if (outputs.is_object() && !outputs.empty()) {
        md += "#### Pipeline outputs\n\n| Output | Value |\n|---|---|\n";
        std::size_t shown = 0;
        for (auto it = outputs.begin(); it != outputs.end() && shown < k_max_summary_metrics;
             ++it, ++shown) {
            md += "| " + escape_markdown_inline(it.key()) + " | " +
                  escape_markdown_inline(truncate_text(
                      it->is_string() ? it->get_ref<const std::string&>() : json_text(*it), 200)) +
                  " |\n";
        }
        md += "\n";
    }
    std::size_t warnings = json_array(report, "warnings").size();
    for (const StepInfo& step : run.steps()) {
        warnings += json_array(*step.json, "warnings").size();
    }
    if (warnings > 0) {
        md += "\xE2\x9A\xA0\xEF\xB8\x8F " + std::to_string(warnings) + " warning" +
              (warnings == 1 ? "" : "s") + ": see report.html\n\n";
    }
    return md;
}

}  // namespace kfrun::report
