#include "report/html_page.hpp"

#include "base/json_text.hpp"
#include "base/sha256.hpp"
#include "report/assets.hpp"
#include "report/dag_graph.hpp"
#include "report/dag_svg.hpp"
#include "report/escape.hpp"
#include "report/run_overview.hpp"
#include "report/step_section.hpp"
#include "report/timeline.hpp"
#include "report/viewers.hpp"

namespace kfrun::report {

namespace {

std::string base64_of_hex(std::string_view hex) {
    static constexpr char k_alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
    }
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        unsigned value = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) {
            value |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        }
        if (i + 2 < bytes.size()) {
            value |= static_cast<unsigned char>(bytes[i + 2]);
        }
        out += k_alphabet[(value >> 18) & 63];
        out += k_alphabet[(value >> 12) & 63];
        out += i + 1 < bytes.size() ? k_alphabet[(value >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? k_alphabet[value & 63] : '=';
    }
    return out;
}

std::string graph_section(const RunView& run) {
    std::string html = "<section id=\"graph\" class=\"card\"><h2>Graph</h2>";
    DagGraph graph = build_dag_graph(run);
    base::Result<std::string> svg =
        graph.elements.size() <= k_max_graph_elements
            ? layout_dag_svg(graph, run)
            : base::Result<std::string>(base::make_error(
                  base::ErrorKind::Internal, std::to_string(graph.elements.size()) +
                                                 " nodes are more than the graph shows (" +
                                                 std::to_string(k_max_graph_elements) + ")"));
    html +=
        "<ul class=\"legend\"><li><span class=\"swatch phase-succeeded\"></span>Succeeded</li>"
        "<li><span class=\"swatch phase-failed\"></span>Failed / Error</li>"
        "<li><span class=\"swatch phase-skipped\"></span>Skipped / Omitted</li>"
        "<li><span class=\"swatch phase-running\"></span>Pending / Running</li>"
        "<li><span class=\"swatch cached\"></span>cached</li>"
        "<li><span class=\"edge-key data\"></span>artifact</li>";
    if (!graph.has_dependencies) {
        html += "<li><span class=\"edge-key inferred\"></span>inferred from timing</li>";
    }
    html += "</ul>";
    if (svg) {
        html += "<div class=\"dag\">" + *svg + "</div>";
        html += "<p class=\"muted small\">Click a step to open its details.</p>";
    } else {
        html += render_notice("warn", "The graph could not be drawn: " + svg.error().to_string());
        html += "<ul class=\"dag-fallback\">";
        for (const StepInfo& step : run.steps()) {
            html += "<li class=\"phase-" + std::string(phase_css(step.phase)) + "\"><a href=\"#" +
                    step.anchor + "\">" + escape_html(step.label) + "</a> " +
                    escape_html(step.phase) + "</li>";
        }
        html += "</ul>";
    }
    return html + "</section>";
}

std::string page_data(const RunView& run) {
    nlohmann::json data;
    data["runId"] = json_string(run.report(), "runId");
    data["status"] = run.status();
    data["pipeline"] = run.pipeline_name();
    data["steps"] = nlohmann::json::array();
    for (const StepInfo& step : run.steps()) {
        data["steps"].push_back({{"anchor", step.anchor},
                                 {"id", step.id},
                                 {"label", step.label},
                                 {"phase", step.phase},
                                 {"cached", step.cached}});
    }
    return json_for_script(base::json_text(data));
}

}  // namespace

std::string script_hash_source() {
    return "'sha256-" + base64_of_hex(base::sha256_hex(report_js())) + "'";
}

std::string render_html(const nlohmann::json& report, const RunFiles& files,
                        const HtmlOptions& options) {
    RunView run(report);
    std::string status = run.status();
    std::string title =
        run.pipeline_name() + " \xE2\x80\x94 " + status + " \xE2\x80\x94 kfrun report";
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:; frame-src 'self'; base-uri 'none'; "
        "form-action 'none'; script-src " +
        script_hash_source() +
        "\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"generator\" "
        "content=\"kfrun " +
        escape_html(json_string(report, "kfrunVersion")) + "\">\n<title>" + escape_html(title) +
        "</title>\n<style>\n" + std::string(report_css()) + "</style>\n</head>\n";
    html += "<body class=\"status-" + std::string(phase_css(status)) + "\">\n";
    html +=
        "<header class=\"topbar\"><span class=\"brand\">kfrun</span><span class=\"crumbs\">"
        "Runs \xE2\x80\xBA <b>" +
        escape_html(run.pipeline_name()) +
        "</b></span><nav class=\"tabs\"><a href=\"#summary\">Summary</a><a href=\"#graph\">"
        "Graph</a><a href=\"#timeline\">Timeline</a><a href=\"#run-output\">Run output</a>"
        "<a href=\"#steps\">Steps</a></nav></header>\n<main>\n";
    html += render_run_summary(run, options.warnings) + "\n";
    html += render_pipeline_outputs(run, files);
    html += graph_section(run) + "\n";
    html += "<section id=\"timeline\" class=\"card\"><h2>Timeline</h2>" + render_timeline(run) +
            "</section>\n";
    html += render_run_output(run, files) + "\n";
    html +=
        "<section id=\"steps\" class=\"card\"><div class=\"section-head\"><h2>Steps</h2>"
        "<span class=\"tools\"><button type=\"button\" data-action=\"expand\">Expand all"
        "</button><button type=\"button\" data-action=\"collapse\">Collapse all</button>"
        "</span></div>";
    if (run.steps().empty()) {
        html += "<p class=\"empty\">No steps.</p>";
    }
    for (const StepInfo& step : run.steps()) {
        html += render_step_section(run, step, files) + "\n";
    }
    html += "</section>\n</main>\n<footer>Generated by kfrun " +
            escape_html(json_string(report, "kfrunVersion", "?")) +
            " \xC2\xB7 <a href=\"report.json\">report.json</a> \xC2\xB7 <a href=\"junit.xml\">"
            "junit.xml</a> \xC2\xB7 <a href=\"summary.md\">summary.md</a></footer>\n";
    html += "<script type=\"application/json\" id=\"kfrun-data\">" + page_data(run) +
            "</script>\n<script>" + std::string(report_js()) + "</script>\n</body>\n</html>\n";
    return html;
}

}  // namespace kfrun::report
