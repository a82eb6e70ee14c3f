#include "base/json_fields.hpp"

#include <cmath>
#include <limits>
#include <optional>

namespace kfrun::base::json_fields {

namespace {

constexpr double k_two_to_63 = 9223372036854775808.0;
constexpr double k_two_to_64 = 18446744073709551616.0;

std::optional<std::int64_t> whole_int(const nlohmann::json& value) {
    if (value.is_number_unsigned()) {
        auto number = value.get<std::uint64_t>();
        if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return std::nullopt;
        }
        return static_cast<std::int64_t>(number);
    }
    if (value.is_number_integer()) {
        return value.get<std::int64_t>();
    }
    if (value.is_number_float()) {
        double number = value.get<double>();
        if (std::trunc(number) == number && number >= -k_two_to_63 && number < k_two_to_63) {
            return static_cast<std::int64_t>(number);
        }
    }
    return std::nullopt;
}

std::optional<std::uint64_t> whole_uint(const nlohmann::json& value) {
    if (value.is_number_unsigned()) {
        return value.get<std::uint64_t>();
    }
    if (value.is_number_integer()) {
        auto number = value.get<std::int64_t>();
        return number < 0 ? std::nullopt : std::optional<std::uint64_t>(number);
    }
    if (value.is_number_float()) {
        double number = value.get<double>();
        if (std::trunc(number) == number && number >= 0 && number < k_two_to_64) {
            return static_cast<std::uint64_t>(number);
        }
    }
    return std::nullopt;
}

}  // namespace

const nlohmann::json& member(const nlohmann::json& object, std::string_view key) {
    static const nlohmann::json k_null;
    if (!object.is_object()) {
        return k_null;
    }
    const auto found = object.find(key);
    return found == object.end() ? k_null : *found;
}

const nlohmann::json& array_of(const nlohmann::json& object, std::string_view key) {
    static const nlohmann::json k_empty = nlohmann::json::array();
    const nlohmann::json& value = member(object, key);
    return value.is_array() ? value : k_empty;
}

const nlohmann::json& object_of(const nlohmann::json& object, std::string_view key) {
    static const nlohmann::json k_empty = nlohmann::json::object();
    const nlohmann::json& value = member(object, key);
    return value.is_object() ? value : k_empty;
}

std::string string_value(const nlohmann::json& value, std::string fallback) {
    return value.is_string() ? value.get<std::string>() : std::move(fallback);
}

std::string string_of(const nlohmann::json& object, std::string_view key, std::string fallback) {
    return string_value(member(object, key), std::move(fallback));
}

std::int64_t int_of(const nlohmann::json& object, std::string_view key, std::int64_t fallback) {
    return whole_int(member(object, key)).value_or(fallback);
}

std::uint64_t uint_of(const nlohmann::json& object, std::string_view key, std::uint64_t fallback) {
    return whole_uint(member(object, key)).value_or(fallback);
}

int small_int_of(const nlohmann::json& object, std::string_view key, int fallback) {
    auto number = whole_int(member(object, key));
    if (!number || *number < std::numeric_limits<int>::min() ||
        *number > std::numeric_limits<int>::max()) {
        return fallback;
    }
    return static_cast<int>(*number);
}

double number_of(const nlohmann::json& object, std::string_view key, double fallback) {
    const nlohmann::json& value = member(object, key);
    return value.is_number() ? value.get<double>() : fallback;
}

bool bool_of(const nlohmann::json& object, std::string_view key, bool fallback) {
    const nlohmann::json& value = member(object, key);
    return value.is_boolean() ? value.get<bool>() : fallback;
}

std::vector<std::string> strings_of(const nlohmann::json& object, std::string_view key) {
    std::vector<std::string> out;
    for (const nlohmann::json& item : array_of(object, key)) {
        if (item.is_string()) {
            out.push_back(item.get<std::string>());
        }
    }
    return out;
}

std::map<std::string, std::string> string_map_of(const nlohmann::json& object,
                                                 std::string_view key) {
    std::map<std::string, std::string> out;
    for (const auto& [name, item] : object_of(object, key).items()) {
        if (item.is_string()) {
            out.emplace(name, item.get<std::string>());
        }
    }
    return out;
}

}  // namespace kfrun::base::json_fields
