#include "report/metric_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace kfrun::report {

namespace {

// The exact decimal expansion of |value| to 60 places: enough to see whether a double lies
// exactly half-way between two values of `digits` decimals (a tie has a short expansion).
bool is_exact_tie(double magnitude, int digits) {
    char buffer[512];
    std::snprintf(buffer, sizeof buffer, "%.60f", magnitude);
    std::string text = buffer;
    std::size_t dot = text.find('.');
    if (dot == std::string::npos || dot + digits + 1 >= text.size()) {
        return false;
    }
    std::string rest = text.substr(dot + 1 + digits);
    return rest[0] == '5' && rest.find_first_not_of('0', 1) == std::string::npos;
}

}  // namespace

std::string format_fixed(double value, int digits) {
    if (std::isnan(value)) {
        return "NaN";
    }
    if (std::isinf(value)) {
        return value < 0 ? "-Infinity" : "Infinity";
    }
    double magnitude = std::fabs(value);
    char buffer[512];
    if (magnitude >= 1e21) {
        // toFixed falls back to ToString: the shortest round-trip form, in exponent notation.
        for (int precision = 1; precision <= 17; ++precision) {
            std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
            if (std::strtod(buffer, nullptr) == value) {
                break;
            }
        }
        std::string text = buffer;
        std::size_t e = text.find('e');
        if (e != std::string::npos) {
            // C prints e+21; JavaScript prints e+21 too, but without leading zeros in the exponent.
            std::string mantissa = text.substr(0, e);
            std::string exponent = text.substr(e + 1);
            char sign = exponent[0];
            std::string exponent_digits = exponent.substr(1);
            exponent_digits.erase(
                0, std::min(exponent_digits.find_first_not_of('0'), exponent_digits.size() - 1));
            text = mantissa + "e" + sign + exponent_digits;
        }
        return text;
    }
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, magnitude);
    std::string text = buffer;
    if (is_exact_tie(magnitude, digits)) {
        // printf rounds exact ties to even; toFixed picks the larger magnitude.
        double scale = std::pow(10.0, digits);
        double up = (std::floor(magnitude * scale) + 1) / scale;
        std::snprintf(buffer, sizeof buffer, "%.*f", digits, up);
        text = buffer;
    }
    // toFixed keeps the sign of any negative value except -0.
    if (value < 0) {
        text = "-" + text;
    }
    return text;
}

std::string format_metric(double value, std::string_view format) {
    if (format == "PERCENTAGE") {
        return format_fixed(value * 100, 3) + "%";
    }
    return format_fixed(value, 3);
}

}  // namespace kfrun::report
