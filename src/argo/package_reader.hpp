#pragma once
// PackageReader: the pipeline YAML inside a compiled KFP package (.tar.gz, .tgz, .zip).
#include <filesystem>
#include <string>

#include "base/result.hpp"

namespace kfrun::argo {

struct PipelineText {
    std::string text;
    std::string display_name;  // "file.yaml", or "pkg.tar.gz!pipeline.yaml"
};

// A plain YAML file is returned as it is; an archive's first *.yaml / *.yml / *.json member.
base::Result<PipelineText> read_pipeline_text(const std::filesystem::path& file);

}  // namespace kfrun::argo
