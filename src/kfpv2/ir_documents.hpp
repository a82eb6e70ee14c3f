#pragma once
// IrDocuments: the documents of a KFP v2 IR file — the PipelineSpec (maybe wrapped in a
// PipelineJob's `pipelineSpec:`) and the optional kfp-kubernetes platform document — read
// strictly (every key checked against the protos) into JSON with lowerCamelCase keys, with
// every node's position recorded in the SourceMap.
#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "model/source_map.hpp"

namespace kfrun::kfpv2 {

struct IrDocuments {
    nlohmann::json spec;         // the PipelineSpec
    std::string spec_base;       // YAML path prefix of the spec: "" or "pipelineSpec"
    bool unwrapped_job = false;  // the file was a PipelineJob with `pipelineSpec:`
    nlohmann::json platform;     // platforms.kubernetes (SinglePlatformSpec), or null
    std::string platform_base;   // "platforms.kubernetes"
};

// Is this YAML document a KFP v2 IR pipeline (it has pipelineInfo, or is a PipelineJob with
// a pipelineSpec)?
bool is_ir_document(const YAML::Node& document);
// Is this text (the first YAML document) KFP v2 IR? False on any parse error.
bool is_ir_text(const std::string& text);

base::Result<IrDocuments> read_ir_documents(const std::string& text, model::SourceMap& sources);

}  // namespace kfrun::kfpv2
