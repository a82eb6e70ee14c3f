#pragma once
// The run-level parts of report.html: the summary (status, pipeline, run id, duration,
// parameters, steps run vs cached and the time the cache saved, warnings) and the "Run output"
// section (the run's metrics table and every step's visualizations, as KFP's Run output tab:
// v1 mlpipeline-ui-metadata viewers and KFP v2 typed output artifacts), and the pipeline's own
// outputs (report.json `outputs`).
#include <string>
#include <vector>

#include "report/run_files.hpp"
#include "report/run_view.hpp"

namespace kfrun::report {

std::string render_run_summary(const RunView& run, const std::vector<std::string>& extra_warnings);
std::string render_run_output(const RunView& run, const RunFiles& files);
// The "Pipeline outputs" section: parameters and artifacts (typed ones drawn as in Run
// output); empty when the pipeline declares no outputs.
std::string render_pipeline_outputs(const RunView& run, const RunFiles& files);

}  // namespace kfrun::report
