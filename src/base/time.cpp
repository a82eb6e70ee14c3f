#include "base/time.hpp"

#include <charconv>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace kfrun::base {

std::string format_rfc3339(SystemTime time, bool with_millis) {
    auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(time);
    std::time_t t = std::chrono::system_clock::to_time_t(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[40];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string out = buffer;
    if (with_millis) {
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time - seconds).count();
        char frac[8];
        std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(ms));
        out += frac;
    }
    out += 'Z';
    return out;
}

std::optional<SystemTime> parse_rfc3339(std::string_view text) {
    std::tm tm{};
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    std::string s(text);
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour, &minute,
                    &second) != 6) {
        return std::nullopt;
    }
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    std::time_t t = timegm(&tm);
    SystemTime result = std::chrono::system_clock::from_time_t(t);
    std::size_t dot = s.find('.', 19);
    if (dot == 19) {
        std::size_t end = dot + 1;
        std::string digits;
        while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end])) != 0) {
            digits += s[end++];
        }
        digits.resize(9, '0');
        result += std::chrono::duration_cast<SystemTime::duration>(
            std::chrono::nanoseconds(std::stoll(digits)));
    }
    return result;
}

std::optional<Millis> parse_go_duration(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    bool all_digits = true;
    for (char c : text) {
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
            all_digits = false;
        }
    }
    // Go's limit: a time.Duration is int64 nanoseconds.
    constexpr double k_max_ms = 9223372036854.0;
    if (all_digits) {
        auto seconds = parse_k8s_int64(text);
        if (!seconds || static_cast<double>(*seconds) * 1000 > k_max_ms) {
            return std::nullopt;
        }
        return Millis(*seconds * 1000);
    }
    double total_ms = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t start = i;
        while (i < text.size() &&
               (std::isdigit(static_cast<unsigned char>(text[i])) != 0 || text[i] == '.')) {
            ++i;
        }
        if (start == i) {
            return std::nullopt;
        }
        std::string digits(text.substr(start, i - start));
        char* end = nullptr;
        double number = std::strtod(digits.c_str(), &end);
        if (end != digits.c_str() + digits.size()) {
            return std::nullopt;  // "1.2.3", "."
        }
        std::size_t unit_start = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])) != 0) {
            ++i;
        }
        std::string_view unit = text.substr(unit_start, i - unit_start);
        double factor = 0;
        if (unit == "ns") {
            factor = 1e-6;
        } else if (unit == "us" || unit == "µs") {
            factor = 1e-3;
        } else if (unit == "ms") {
            factor = 1;
        } else if (unit == "s") {
            factor = 1000;
        } else if (unit == "m") {
            factor = 60000;
        } else if (unit == "h") {
            factor = 3600000;
        } else {
            return std::nullopt;
        }
        total_ms += number * factor;
        if (!(total_ms <= k_max_ms)) {
            return std::nullopt;
        }
    }
    return Millis(static_cast<long long>(total_ms));
}

std::optional<long long> parse_k8s_int64(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    long long value = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (*begin == '+') {
        ++begin;
    }
    auto [stop, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || stop != end || begin == end) {
        return std::nullopt;
    }
    return value;
}

std::chrono::steady_clock::time_point deadline_after(std::chrono::steady_clock::time_point now,
                                                     Millis after) {
    using Clock = std::chrono::steady_clock;
    if (after <= Millis::zero()) {
        return now;
    }
    // Leave room so that later arithmetic on the result cannot overflow either.
    const auto room = (Clock::time_point::max() - now) / 2;
    if (after >= std::chrono::duration_cast<Millis>(room)) {
        return now + room;
    }
    return now + std::chrono::duration_cast<Clock::duration>(after);
}

std::optional<Millis> parse_iso8601_duration(std::string_view text) {
    if (text.size() < 2 || (text[0] != 'P' && text[0] != 'p')) {
        return std::nullopt;
    }
    double total_s = 0;
    bool in_time = false;
    bool any = false;
    std::size_t i = 1;
    while (i < text.size()) {
        char c = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
        if (c == 'T') {
            in_time = true;
            ++i;
            continue;
        }
        std::size_t start = i;
        while (i < text.size() &&
               (std::isdigit(static_cast<unsigned char>(text[i])) != 0 || text[i] == '.')) {
            ++i;
        }
        if (start == i || i >= text.size()) {
            return std::nullopt;
        }
        std::string digits(text.substr(start, i - start));
        char* end = nullptr;
        double number = std::strtod(digits.c_str(), &end);
        if (end != digits.c_str() + digits.size()) {
            return std::nullopt;  // "1.2.3", "."
        }
        char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i++])));
        double factor = 0;
        if (!in_time && unit == 'Y') {
            factor = 365 * 86400.0;
        } else if (!in_time && unit == 'M') {
            factor = 30 * 86400.0;
        } else if (!in_time && unit == 'W') {
            factor = 7 * 86400.0;
        } else if (!in_time && unit == 'D') {
            factor = 86400.0;
        } else if (in_time && unit == 'H') {
            factor = 3600.0;
        } else if (in_time && unit == 'M') {
            factor = 60.0;
        } else if (in_time && unit == 'S') {
            factor = 1.0;
        } else {
            return std::nullopt;
        }
        total_s += number * factor;
        any = true;
    }
    if (!any) {
        return std::nullopt;
    }
    // At most as long as a Go duration (292 years; longer is as good as for ever here):
    // P99999999999999999999Y made the cast undefined, and P1000Y overflowed where the age is
    // compared in nanoseconds.
    return Millis(static_cast<long long>(std::min(total_s * 1000, 9223372036854.0)));
}

std::string format_duration(Millis duration) {
    long long ms = duration.count();
    char buffer[32];
    if (ms < 1000) {
        std::snprintf(buffer, sizeof buffer, "%lldms", ms);
    } else if (ms < 60000) {
        std::snprintf(buffer, sizeof buffer, "%.1fs", static_cast<double>(ms) / 1000.0);
    } else {
        std::snprintf(buffer, sizeof buffer, "%lldm%02llds", ms / 60000, (ms / 1000) % 60);
    }
    return buffer;
}

}  // namespace kfrun::base
