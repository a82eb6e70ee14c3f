#pragma once
// summary.md: GitHub-flavoured Markdown for CI step summaries ($GITHUB_STEP_SUMMARY): a status
// line, a table of steps (status emoji, step, duration, cached), the run's metrics and what
// the cache saved. Every text from the report is escaped for Markdown table cells.
#include <string>

#include <nlohmann/json.hpp>

namespace kfrun::report {

std::string render_summary(const nlohmann::json& report);

// ✅ Succeeded, ❌ Failed, 🛑 Error, ⏭️ Skipped/Omitted, ⏳ anything else.
const char* phase_emoji(std::string_view phase);

}  // namespace kfrun::report
