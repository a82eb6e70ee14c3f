#pragma once
// KFP's two special outputs: `mlpipeline-metrics` (run metrics) and `mlpipeline-ui-metadata`
// (viewer descriptions), checked as the KFP backend and UI check them.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/node.hpp"

namespace kfrun::engine {

struct ParsedMetrics {
    std::vector<Metric> metrics;        // the valid ones
    std::vector<std::string> warnings;  // why a file or a metric was dropped
};

struct ParsedUiMetadata {
    nlohmann::json viewers = nlohmann::json::array();  // the valid `outputs[]` entries, as written
    std::vector<std::string> warnings;
};

ParsedMetrics parse_metrics(const std::string& text);
ParsedUiMetadata parse_ui_metadata(const std::string& text);

}  // namespace kfrun::engine
