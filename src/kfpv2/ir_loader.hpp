#pragma once
// Loads a KFP v2 IR file (PipelineSpec, optionally with the kfp-kubernetes platform document)
// into the format-independent model, as the KFP backend's Argo compiler lays it out: DAG
// components become Dag templates, every container task its own Container template run with
// the launcher's rules (model::Launcher).
#include <filesystem>
#include <string>

#include "base/result.hpp"
#include "model/workflow.hpp"

namespace kfrun::kfpv2 {

// Errors are Input errors naming file:line:col and the YAML path.
base::Result<model::Workflow> load_ir_file(const std::filesystem::path& file);
// `name`: the file name used in messages.
base::Result<model::Workflow> load_ir_text(const std::string& text, const std::string& name);

}  // namespace kfrun::kfpv2
