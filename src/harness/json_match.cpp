#include "harness/json_match.hpp"
#include "base/json_text.hpp"

#include <cctype>
#include <charconv>

namespace kfrun::harness {

bool json_equal(const nlohmann::json& expected, const nlohmann::json& actual) {
    if (expected.is_number() && actual.is_number()) {
        return expected.get<double>() == actual.get<double>();
    }
    if (expected.is_array() && actual.is_array()) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (std::size_t i = 0; i < expected.size(); ++i) {
            if (!json_equal(expected[i], actual[i])) {
                return false;
            }
        }
        return true;
    }
    if (expected.is_object() && actual.is_object()) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (const auto& [key, value] : expected.items()) {
            if (!actual.contains(key) || !json_equal(value, actual.at(key))) {
                return false;
            }
        }
        return true;
    }
    return expected == actual;
}

std::optional<std::string> json_subset_mismatch(const nlohmann::json& expected,
                                                const nlohmann::json& actual,
                                                const std::string& path) {
    if (expected.is_object()) {
        if (!actual.is_object()) {
            return "at " + path + ": expected an object, got " + base::json_text(actual);
        }
        for (const auto& [key, value] : expected.items()) {
            if (!actual.contains(key)) {
                return "at " + path + ": missing key \"" + key + "\"";
            }
            if (auto mismatch = json_subset_mismatch(value, actual.at(key), path + "." + key)) {
                return mismatch;
            }
        }
        return std::nullopt;
    }
    if (expected.is_array()) {
        if (!actual.is_array()) {
            return "at " + path + ": expected an array, got " + base::json_text(actual);
        }
        if (expected.size() != actual.size()) {
            return "at " + path + ": expected " + std::to_string(expected.size()) +
                   " elements, got " + std::to_string(actual.size());
        }
        for (std::size_t i = 0; i < expected.size(); ++i) {
            if (auto mismatch = json_subset_mismatch(expected[i], actual[i],
                                                     path + "[" + std::to_string(i) + "]")) {
                return mismatch;
            }
        }
        return std::nullopt;
    }
    if (!json_equal(expected, actual)) {
        return "at " + path + ": expected " + base::json_text(expected) + ", got " +
               base::json_text(actual);
    }
    return std::nullopt;
}

base::Result<std::optional<nlohmann::json>> json_query(const nlohmann::json& document,
                                                       const std::string& path) {
    auto malformed = [&path](const std::string& why) {
        return base::make_error(base::ErrorKind::Input,
                                "malformed JSON path \"" + path + "\": " + why);
    };
    const nlohmann::json* current = &document;
    std::size_t i = 0;
    if (i < path.size() && path[i] == '$') {
        ++i;
    }
    bool first = true;
    while (i < path.size()) {
        std::string key;
        std::optional<std::size_t> index;
        if (path[i] == '.' || (first && path[i] != '[')) {
            if (path[i] == '.') {
                ++i;
            }
            std::size_t start = i;
            while (i < path.size() && path[i] != '.' && path[i] != '[') {
                ++i;
            }
            key = path.substr(start, i - start);
            if (key.empty()) {
                return malformed("an empty key");
            }
        } else if (path[i] == '[') {
            std::size_t close = path.find(']', i);
            if (close == std::string::npos) {
                return malformed("a '[' without ']'");
            }
            std::string inside = path.substr(i + 1, close - i - 1);
            i = close + 1;
            if (inside.size() >= 2 && (inside.front() == '\'' || inside.front() == '"') &&
                inside.back() == inside.front()) {
                key = inside.substr(1, inside.size() - 2);
            } else if (!inside.empty() &&
                       inside.find_first_not_of("0123456789") == std::string::npos) {
                std::size_t number = 0;
                auto [end, error] =
                    std::from_chars(inside.data(), inside.data() + inside.size(), number);
                if (error != std::errc()) {
                    return malformed("[" + inside + "] is too large an index");
                }
                index = number;
            } else {
                return malformed("[" + inside + "] is neither an index nor a quoted key");
            }
        } else {
            return malformed("unexpected '" + std::string(1, path[i]) + "'");
        }
        first = false;
        if (index) {
            if (!current->is_array() || *index >= current->size()) {
                return std::optional<nlohmann::json>();
            }
            current = &(*current)[*index];
        } else {
            if (!current->is_object() || !current->contains(key)) {
                return std::optional<nlohmann::json>();
            }
            current = &current->at(key);
        }
    }
    return std::optional<nlohmann::json>(*current);
}

}  // namespace kfrun::harness
