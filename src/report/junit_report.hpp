#pragma once
// junit.xml for CI test reporters: one <testsuite> per run (properties: run id, workflow,
// status, parameters), one <testcase> per step (classname = pipeline name, name = the step's
// label, time = its duration in seconds). Failed steps carry <failure>, Error steps <error>
// (message attribute + message and log tail in CDATA), Skipped/Omitted steps <skipped/>. A run
// that failed without a failing step (a deadline, say) gets a "(run)" test case with <error>.
#include <string>

#include <nlohmann/json.hpp>

#include "report/run_files.hpp"

namespace kfrun::report {

// Log lines a failing test case shows.
inline constexpr std::size_t k_junit_log_lines = 80;

std::string render_junit(const nlohmann::json& report, const RunFiles& files);

}  // namespace kfrun::report
