#pragma once
// report.html: one self-contained page (inline CSS, JS and SVG; nothing fetched) in the spirit
// of KFP's run details: summary, graph, timeline, run output (metrics and visualizations) and
// a section per step. A Content-Security-Policy allows only the page's own script (by hash),
// so nothing a step wrote can run script; web-app output runs in a sandboxed iframe.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/run_files.hpp"

namespace kfrun::report {

// Runs with more nodes than this get a list instead of a graph (dot takes too long).
inline constexpr std::size_t k_max_graph_elements = 1500;

struct HtmlOptions {
    std::vector<std::string> warnings;  // shown with the run's (e.g. artifacts not exported)
};

std::string render_html(const nlohmann::json& report, const RunFiles& files,
                        const HtmlOptions& options = {});

// The CSP's script-src value for the embedded script: 'sha256-<base64>'.
std::string script_hash_source();

}  // namespace kfrun::report
