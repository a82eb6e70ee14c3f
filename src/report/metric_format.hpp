#pragma once
// Metric values as the KFP UI prints them (MetricUtils.getMetricDisplayString):
// PERCENTAGE → value × 100 with 3 decimals and '%', RAW / UNSPECIFIED / absent → 3 decimals.
#include <string>
#include <string_view>

namespace kfrun::report {

// JavaScript's Number.prototype.toFixed(digits) for 0 <= digits <= 20: ties round away from
// zero, "-0.000" for small negative values but "0.000" for -0, "NaN", "Infinity", and plain
// String(value) from 1e21 on.
std::string format_fixed(double value, int digits);

std::string format_metric(double value, std::string_view format);

}  // namespace kfrun::report
