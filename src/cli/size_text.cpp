#include "cli/size_text.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "base/strings.hpp"

namespace kfrun::cli {

std::string human_bytes(std::uint64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    return buffer;
}

std::optional<std::uint64_t> parse_size(const std::string& text) {
    char* end = nullptr;
    double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || !(value >= 0)) {  // NaN too
        return std::nullopt;
    }
    std::string unit = base::to_lower(base::trim(end));
    double factor = 1;
    if (unit.empty() || unit == "b") {
        factor = 1;
    } else if (unit == "k" || unit == "kb" || unit == "kib") {
        factor = 1024.0;
    } else if (unit == "m" || unit == "mb" || unit == "mib") {
        factor = 1024.0 * 1024;
    } else if (unit == "g" || unit == "gb" || unit == "gib") {
        factor = 1024.0 * 1024 * 1024;
    } else if (unit == "t" || unit == "tb" || unit == "tib") {
        factor = 1024.0 * 1024 * 1024 * 1024;
    } else {
        return std::nullopt;
    }
    if (!(value * factor < 18446744073709549568.0)) {  // past uint64 (1e30t, inf)
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(value * factor);
}

std::optional<base::Millis> parse_age(const std::string& text) {
    if (!text.empty() && (text[0] == 'P' || text[0] == 'p')) {
        return base::parse_iso8601_duration(text);
    }
    if (!text.empty() && text.back() == 'd') {
        char* end = nullptr;
        double days = std::strtod(text.c_str(), &end);
        // Not negative, not NaN; at most as long as a Go duration (292 years).
        if (end != text.c_str() && *end == 'd' && days >= 0) {
            return base::Millis(
                static_cast<long long>(std::min(days * 86400000.0, 9223372036854.0)));
        }
        return std::nullopt;
    }
    return base::parse_go_duration(text);
}

}  // namespace kfrun::cli
