#include "docker/log_timestamp.hpp"

#include <cstdio>

namespace kfrun::docker {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);
    const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

// Reads exactly `count` digits at `at`.
std::optional<int> digits(std::string_view text, std::size_t at, std::size_t count) {
    if (at + count > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

}  // namespace

std::optional<std::int64_t> parse_log_timestamp(std::string_view text) {
    // 0123456789012345678
    // YYYY-MM-DDTHH:MM:SS
    const auto year = digits(text, 0, 4);
    const auto month = digits(text, 5, 2);
    const auto day = digits(text, 8, 2);
    const auto hour = digits(text, 11, 2);
    const auto minute = digits(text, 14, 2);
    const auto second = digits(text, 17, 2);
    if (!year || !month || !day || !hour || !minute || !second || text[4] != '-' ||
        text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || *month < 1 ||
        *month > 12 || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) {
        return std::nullopt;
    }
    std::size_t at = 19;
    std::int64_t nanos = 0;
    if (at < text.size() && text[at] == '.') {
        ++at;
        int scale = 100'000'000;
        const std::size_t first = at;
        for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
            nanos += (text[at] - '0') * static_cast<std::int64_t>(scale);
            scale /= 10;
        }
        if (at == first) {
            return std::nullopt;
        }
    }
    std::int64_t offset_seconds = 0;
    if (at < text.size() && text[at] == 'Z') {
        ++at;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
        const auto offset_hours = digits(text, at + 1, 2);
        const auto offset_minutes = digits(text, at + 4, 2);
        if (!offset_hours || !offset_minutes || text[at + 3] != ':') {
            return std::nullopt;
        }
        offset_seconds = (std::int64_t{*offset_hours} * 3600 + std::int64_t{*offset_minutes} * 60) *
                         (text[at] == '+' ? 1 : -1);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != text.size()) {
        return std::nullopt;
    }
    const std::int64_t seconds =
        days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)) * 86400 +
        std::int64_t{*hour} * 3600 + std::int64_t{*minute} * 60 + *second - offset_seconds;
    return seconds * 1'000'000'000 + nanos;
}

std::string format_since(std::int64_t unix_nanos) {
    if (unix_nanos < 0) {
        unix_nanos = 0;
    }
    char text[40];
    std::snprintf(text, sizeof text, "%lld.%09lld",
                  static_cast<long long>(unix_nanos / 1'000'000'000),
                  static_cast<long long>(unix_nanos % 1'000'000'000));
    return text;
}

}  // namespace kfrun::docker
