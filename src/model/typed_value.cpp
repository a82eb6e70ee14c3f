#include "model/typed_value.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <set>

#include "base/integers.hpp"
#include "base/json_depth.hpp"
#include "base/json_text.hpp"

namespace kfrun::model {

bool is_known_parameter_type(const std::string& type) {
    static const std::set<std::string> k_types = {
        k_type_string, k_type_integer, k_type_double,           k_type_boolean,
        k_type_list,   k_type_struct,  k_type_task_final_status, k_type_task_config};
    return k_types.count(type) != 0;
}

std::string format_go_float(double value) {
    if (std::isnan(value)) {
        return "NaN";
    }
    if (std::isinf(value)) {
        return value > 0 ? "+Inf" : "-Inf";
    }
    // The shortest round-trip digits, in scientific form: [-]d[.ddd]e[+-]x.
    char buffer[64];
    auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value,
                                      std::chars_format::scientific);
    if (error != std::errc()) {
        return "0";
    }
    std::string text(buffer, end);
    bool negative = !text.empty() && text[0] == '-';
    if (negative) {
        text.erase(0, 1);
    }
    std::size_t e = text.find('e');
    std::string mantissa = text.substr(0, e);
    int exponent = base::saturating_atoi(std::string_view(text).substr(e + 1));
    std::string digits;
    for (char c : mantissa) {
        if (c != '.') {
            digits += c;
        }
    }
    // Go: %e when the exponent is < -4 or >= 6 (the shortest form decides with precision 6).
    std::string out;
    if (exponent < -4 || exponent >= 6) {
        out = digits.substr(0, 1);
        if (digits.size() > 1) {
            out += "." + digits.substr(1);
        }
        out += exponent < 0 ? "e-" : "e+";
        int magnitude = exponent < 0 ? -exponent : exponent;
        if (magnitude < 10) {
            out += "0";
        }
        out += std::to_string(magnitude);
    } else if (exponent < 0) {
        out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    } else {
        auto point = static_cast<std::size_t>(exponent) + 1;
        if (digits.size() <= point) {
            out = digits + std::string(point - digits.size(), '0');
        } else {
            out = digits.substr(0, point) + "." + digits.substr(point);
        }
    }
    return negative ? "-" + out : out;
}

std::string canonical_text(const nlohmann::json& value) {
    switch (value.type()) {
    case nlohmann::json::value_t::null:
        return "";
    case nlohmann::json::value_t::string:
        return value.get<std::string>();
    case nlohmann::json::value_t::boolean:
        return value.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
        return format_go_float(value.get<double>());
    default:
        // nlohmann's objects are std::maps: keys come out sorted. Numbers inside keep their
        // JSON spelling.
        return base::json_text(value);
    }
}

namespace {

base::Error type_error(const std::string& text, const std::string& type, const char* what) {
    std::string shown = text.size() > 80 ? text.substr(0, 80) + "…" : text;
    return base::make_error(base::ErrorKind::Input,
                            "`" + shown + "` is not a " + type + " value (" + what + ")");
}

}  // namespace

base::Result<nlohmann::json> typed_value(const std::string& text, const std::string& type) {
    if (type.empty() || type == k_type_string) {
        return nlohmann::json(text);
    }
    if (type == k_type_integer || type == k_type_double) {
        double number = 0;
        const char* first = text.data();
        const char* last = text.data() + text.size();
        if (first != last && *first == '+') {
            return type_error(text, type, "expected a number");
        }
        auto [end, error] = std::from_chars(first, last, number);
        if (error != std::errc() || end != last) {
            if (text == "+Inf" || text == "-Inf" || text == "NaN") {
                return type_error(text, type, "not a finite number");
            }
            return type_error(text, type, "expected a number");
        }
        return nlohmann::json(number);
    }
    if (type == k_type_boolean) {
        if (text == "true") {
            return nlohmann::json(true);
        }
        if (text == "false") {
            return nlohmann::json(false);
        }
        return type_error(text, type, "expected true or false");
    }
    if (!base::json_depth_within_limit(text)) {
        return type_error(text, type, "it nests deeper than the json-depth limit");
    }
    nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
        return type_error(text, type, "not valid JSON");
    }
    if (type == k_type_list) {
        if (!parsed.is_array()) {
            return type_error(text, type, "expected a JSON list");
        }
        return parsed;
    }
    if (type == k_type_struct || type == k_type_task_final_status || type == k_type_task_config) {
        if (!parsed.is_object()) {
            return type_error(text, type, "expected a JSON object");
        }
        return parsed;
    }
    return base::make_error(base::ErrorKind::Input, "unknown parameter type `" + type + "`");
}

}  // namespace kfrun::model
