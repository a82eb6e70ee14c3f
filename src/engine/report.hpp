#pragma once
// Report: the machine-readable record of a run (report.json), built from its RunState.
// Versioned; fields are only ever added. Described in README.md ("What a run leaves").
#include <string>

#include <nlohmann/json.hpp>

#include "engine/run_state.hpp"

namespace kfrun::engine {

inline constexpr int k_report_schema_version = 1;
// KFP keeps at most this many metrics per run.
inline constexpr std::size_t k_max_run_metrics = 50;

struct ReportContext {
    std::string pipeline_file;
    std::string pipeline_name;
    std::string kfrun_version;
    bool dry_run = false;
};

nlohmann::json build_report(const RunState& state, const ReportContext& context);

// True for the nodes a report lists as steps: pods, and tasks that were skipped, omitted or
// failed before a container was made.
bool is_report_step(const Node& node);

}  // namespace kfrun::engine
