#pragma once
// A metric as KFP's UI shows it: PERCENTAGE as value × 100 with "%", RAW as is, 3 decimals.
#include <string>

namespace kfrun::cli {

std::string format_metric(double value, const std::string& format);

}  // namespace kfrun::cli
