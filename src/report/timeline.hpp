#pragma once
// The run timeline: one row per step on a shared time axis (an SVG Gantt chart). A step's bar
// is split into where its time went: image pull, container create, run, output collect, and
// the rest (clean-up and scheduling). Cached steps show what the cache saved; skipped and
// omitted steps are listed without a bar. Each row links to the step's section.
#include <string>

#include "report/run_view.hpp"

namespace kfrun::report {

std::string render_timeline(const RunView& run);

// Tick spacing for an axis over `total_ms`: 1, 2 or 5 × 10^k ms, at most ~8 ticks.
long long timeline_tick_ms(long long total_ms);

}  // namespace kfrun::report
