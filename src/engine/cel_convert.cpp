#include "engine/cel_value.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "base/json_depth.hpp"
#include "base/visible_text.hpp"
#include "model/typed_value.hpp"

namespace kfrun::engine::cel {

namespace {

using V = Json::value_t;

constexpr double k_two_to_63 = 9223372036854775808.0;
constexpr double k_two_to_64 = 18446744073709551616.0;

std::string shown(const std::string& text) {
    std::string visible = base::visible_text(text.size() > 64 ? text.substr(0, 64) + "…" : text);
    return "\"" + visible + "\"";
}

base::Error conversion_error(std::string_view to, const Json& value) {
    std::string message = "type conversion error from '" + std::string(kind_name(value)) +
                          "' to '" + std::string(to) + "'";
    if (value.is_string()) {
        message += ": " + shown(value.get_ref<const std::string&>());
    }
    return eval_error(message);
}

// Go's strconv.ParseInt/ParseUint (base 10): an optional sign (ParseUint: none), digits only.
bool parse_integer(std::string_view text, bool allow_sign, bool& negative,
                   std::uint64_t& magnitude) {
    negative = false;
    if (allow_sign && !text.empty() && (text[0] == '+' || text[0] == '-')) {
        negative = text[0] == '-';
        text.remove_prefix(1);
    }
    if (text.empty() || text[0] < '0' || text[0] > '9') {
        return false;
    }
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), magnitude);
    return ec == std::errc() && end == text.data() + text.size();
}

// Go's strconv.ParseFloat for decimal text, "inf", "infinity" and "nan" (any case).
bool parse_double(std::string_view text, double& out) {
    bool negative = false;
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
        negative = text[0] == '-';
        text.remove_prefix(1);
    }
    if (text.empty() || text[0] == '+' || text[0] == '-' || text.find('(') != text.npos) {
        return false;
    }
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return false;
    }
    out = negative ? -out : out;
    return true;
}

Json all_numbers_double(Json value) {
    if (value.is_number()) {
        return value.get<double>();
    }
    if (value.is_array() || value.is_object()) {
        for (auto& element : value) {
            element = all_numbers_double(std::move(element));
        }
    }
    return value;
}

}  // namespace

base::Result<Json> convert(std::string_view to, const Json& value) {
    if (to == "int" || to == "uint") {
        bool is_int = to == "int";
        const char* overflow = is_int ? "integer overflow" : "unsigned integer overflow";
        if (value.is_number_float()) {
            double d = value.get<double>();
            bool out = std::isnan(d) || (is_int ? (d <= -k_two_to_63 || d >= k_two_to_63)
                                                : (d < 0 || d >= k_two_to_64));
            if (out) {
                return eval_error(overflow);
            }
            return is_int ? Json(static_cast<std::int64_t>(d))
                          : Json(static_cast<std::uint64_t>(d));
        }
        bool negative = false;
        std::uint64_t magnitude = 0;
        if (value.is_number_unsigned()) {
            magnitude = value.get<std::uint64_t>();
        } else if (value.is_number_integer()) {
            auto i = value.get<std::int64_t>();
            negative = i < 0;
            magnitude =
                negative ? 0 - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
        } else if (!value.is_string() || !parse_integer(value.get_ref<const std::string&>(), is_int,
                                                        negative, magnitude)) {
            return conversion_error(to, value);
        }
        constexpr std::uint64_t k_max = std::numeric_limits<std::int64_t>::max();
        if (!is_int) {
            if (negative) {
                return eval_error(overflow);
            }
            return Json(magnitude);
        }
        if (magnitude > k_max + (negative ? 1 : 0)) {
            return eval_error(overflow);
        }
        return Json(negative ? static_cast<std::int64_t>(0 - magnitude)
                             : static_cast<std::int64_t>(magnitude));
    }
    if (to == "double") {
        double d = 0;
        if (value.is_number()) {
            return Json(value.get<double>());
        }
        if (value.is_string() && parse_double(value.get_ref<const std::string&>(), d)) {
            return Json(d);
        }
        return conversion_error(to, value);
    }
    if (to == "string") {
        switch (value.type()) {
            case V::string:
                return value;
            case V::boolean:
                return Json(value.get<bool>() ? "true" : "false");
            case V::number_integer:
                return Json(std::to_string(value.get<std::int64_t>()));
            case V::number_unsigned:
                return Json(std::to_string(value.get<std::uint64_t>()));
            case V::number_float:
                return Json(model::format_go_float(value.get<double>()));
            default:
                return conversion_error(to, value);
        }
    }
    if (to == "bool" && value.is_boolean()) {
        return value;
    }
    if (to == "bool" && value.is_string()) {
        const auto& s = value.get_ref<const std::string&>();
        if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True") {
            return Json(true);
        }
        if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False") {
            return Json(false);
        }
    }
    return conversion_error(to, value);
}

base::Result<Json> size_of(const Json& value) {
    if (value.is_string()) {
        std::int64_t code_points = 0;
        for (char c : value.get_ref<const std::string&>()) {
            code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
        }
        return Json(code_points);
    }
    if (value.is_array() || value.is_object()) {
        return Json(static_cast<std::int64_t>(value.size()));
    }
    return no_overload("size", value);
}

base::Result<Json> parse_json(const Json& text, Budget& budget) {
    if (!text.is_string()) {
        return no_overload("parseJson", text);
    }
    const auto& s = text.get_ref<const std::string&>();
    KFRUN_TRY(budget.charge(s.size() + 1));
    if (!base::json_depth_within_limit(s)) {
        return eval_error("parseJson: " + base::json_depth_problem("the text"));
    }
    try {
        return all_numbers_double(Json::parse(s));
    } catch (const std::exception& e) {
        return eval_error(std::string("parseJson: failed to unmarshal JSON: ") + e.what());
    }
}

}  // namespace kfrun::engine::cel
