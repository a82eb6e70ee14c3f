#pragma once
// Defensive readers for the daemon's JSON: a missing or mistyped field gives the default, never
// an exception (a surprising response is not a bug in kfrun). Internal to src/docker.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kfrun::docker::json_fields {

inline const nlohmann::json& member(const nlohmann::json& object, std::string_view key) {
    static const nlohmann::json k_null;
    if (!object.is_object()) {
        return k_null;
    }
    const auto found = object.find(key);
    return found == object.end() ? k_null : *found;
}

inline std::string string_of(const nlohmann::json& object, std::string_view key) {
    const auto& value = member(object, key);
    return value.is_string() ? value.get<std::string>() : std::string{};
}

inline std::int64_t int_of(const nlohmann::json& object, std::string_view key) {
    const auto& value = member(object, key);
    return value.is_number() ? value.get<std::int64_t>() : 0;
}

inline bool bool_of(const nlohmann::json& object, std::string_view key) {
    const auto& value = member(object, key);
    return value.is_boolean() && value.get<bool>();
}

inline std::vector<std::string> strings_of(const nlohmann::json& object, std::string_view key) {
    std::vector<std::string> out;
    const auto& value = member(object, key);
    if (value.is_array()) {
        for (const auto& item : value) {
            if (item.is_string()) {
                out.push_back(item.get<std::string>());
            }
        }
    }
    return out;
}

inline std::map<std::string, std::string> string_map_of(const nlohmann::json& object,
                                                        std::string_view key) {
    std::map<std::string, std::string> out;
    const auto& value = member(object, key);
    if (value.is_object()) {
        for (const auto& [name, item] : value.items()) {
            if (item.is_string()) {
                out.emplace(name, item.get<std::string>());
            }
        }
    }
    return out;
}

}  // namespace kfrun::docker::json_fields
