#pragma once
// One step of the run as a collapsible <details id="step-<index>"> section: phase, message,
// facts (template, image, exit code, timings, cache), inputs and outputs (parameters and
// artifacts, outputs linked to their copies next to the report), metrics, warnings, command
// and log (its end only, when large).
#include <string>

#include <nlohmann/json.hpp>

#include "report/run_files.hpp"
#include "report/run_view.hpp"

namespace kfrun::report {

// Logs larger than this show only their end, with a note and a link to the whole file.
inline constexpr std::size_t k_max_html_log_bytes = 256 * 1024;

std::string render_step_section(const RunView& run, const StepInfo& step, const RunFiles& files);

// A metrics table (name, value as KFP formats it, format); with a step column when the
// entries carry "step"/"nodeId" (the run's metrics list).
std::string render_metrics_table(const RunView& run, const nlohmann::json& metrics, bool with_step);

// "<a href=#step-N>label</a>" for a step, or the escaped text when there is none.
std::string step_link(const RunView& run, std::string_view step_id, std::string_view fallback);

}  // namespace kfrun::report
