#pragma once
// Metric conditions of a test file: "accuracy >= 0.9", "loss < 0.1", "best-accuracy == 1".
#include <string>

#include "base/result.hpp"
#include "harness/test_file.hpp"

namespace kfrun::harness {

// NAME OP NUMBER, OP one of >=, >, <=, <, ==, !=. The error says what is expected.
base::Result<MetricCheck> parse_metric_condition(const std::string& text);
bool metric_holds(const MetricCheck& check, double actual);

}  // namespace kfrun::harness
