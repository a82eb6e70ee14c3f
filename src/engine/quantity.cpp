#include "engine/quantity.hpp"

#include <cmath>
#include <cstdlib>

namespace kfrun::engine {

namespace {

std::optional<double> parse_number_and_suffix(const std::string& text, std::string& suffix) {
    const char* begin = text.c_str();
    char* end = nullptr;
    double value = std::strtod(begin, &end);
    if (end == begin || value < 0) {
        return std::nullopt;
    }
    suffix = std::string(end);
    return value;
}

}  // namespace

std::optional<std::int64_t> parse_memory_quantity(const std::string& text) {
    std::string suffix;
    auto value = parse_number_and_suffix(text, suffix);
    if (!value) {
        return std::nullopt;
    }
    struct Unit {
        const char* name;
        double factor;
    };
    static const Unit k_units[] = {
        {"", 1},          {"k", 1e3},       {"K", 1e3},        {"M", 1e6},
        {"G", 1e9},       {"T", 1e12},      {"P", 1e15},       {"E", 1e18},
        {"Ki", 1024.0},   {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0},
        {"Pi", 1125899906842624.0}, {"Ei", 1152921504606846976.0}, {"m", 1e-3}};
    for (const Unit& unit : k_units) {
        if (suffix == unit.name) {
            return static_cast<std::int64_t>(std::llround(*value * unit.factor));
        }
    }
    return std::nullopt;
}

std::optional<std::int64_t> parse_cpu_quantity(const std::string& text) {
    std::string suffix;
    auto value = parse_number_and_suffix(text, suffix);
    if (!value) {
        return std::nullopt;
    }
    if (suffix.empty()) {
        return static_cast<std::int64_t>(std::llround(*value * 1e9));
    }
    if (suffix == "m") {
        return static_cast<std::int64_t>(std::llround(*value * 1e6));
    }
    return std::nullopt;
}

}  // namespace kfrun::engine
