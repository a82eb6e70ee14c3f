#include "cli/metric_text.hpp"

#include <cstdio>

namespace kfrun::cli {

std::string format_metric(double value, const std::string& format) {
    char buffer[64];
    if (format == "PERCENTAGE") {
        std::snprintf(buffer, sizeof buffer, "%.3f%%", value * 100.0);
    } else {
        std::snprintf(buffer, sizeof buffer, "%.3f", value);
    }
    return buffer;
}

}  // namespace kfrun::cli
