// Fuzz target: KFP's special outputs as a step writes them: `mlpipeline-metrics`
// (src/engine/kfp_outputs parse_metrics, then the report's metric formatting) and
// `mlpipeline-ui-metadata` (parse_ui_metadata).
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/kfp_outputs.hpp"
#include "report/metric_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    kfrun::engine::ParsedMetrics metrics = kfrun::engine::parse_metrics(text);
    for (const kfrun::engine::Metric& metric : metrics.metrics) {
        (void)kfrun::report::format_metric(metric.value, metric.format);
    }
    kfrun::engine::ParsedUiMetadata ui = kfrun::engine::parse_ui_metadata(text);
    (void)ui.viewers.dump();
    return 0;
}
