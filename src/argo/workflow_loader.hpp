#pragma once
// Loads an Argo Workflow (what the KFP v1 compiler writes) into the format-independent model.
#include <filesystem>
#include <string>

#include "base/result.hpp"
#include "model/workflow.hpp"

namespace kfrun::argo {

// Reads a `.yaml`, or the `.tar.gz`/`.tgz`/`.zip` package the KFP v1 compiler writes.
base::Result<model::Workflow> load_workflow_file(const std::filesystem::path& file);
// Parses YAML text; `file_name` is used in messages.
base::Result<model::Workflow> load_workflow_text(const std::string& text,
                                                 const std::string& file_name);

}  // namespace kfrun::argo
