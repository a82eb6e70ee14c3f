#include "base/json_text.hpp"

#include "base/utf8.hpp"

namespace kfrun::base {

bool has_invalid_utf8(const nlohmann::json& value) {
    if (value.is_string()) {
        return !is_valid_utf8(value.get_ref<const std::string&>());
    }
    if (value.is_object()) {
        for (const auto& [key, child] : value.items()) {
            if (!is_valid_utf8(key) || has_invalid_utf8(child)) {
                return true;
            }
        }
    } else if (value.is_array()) {
        for (const auto& child : value) {
            if (has_invalid_utf8(child)) {
                return true;
            }
        }
    }
    return false;
}

nlohmann::json with_valid_utf8(const nlohmann::json& value) {
    if (value.is_string()) {
        return valid_utf8(value.get_ref<const std::string&>());
    }
    if (value.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [key, child] : value.items()) {
            out[valid_utf8(key)] = with_valid_utf8(child);
        }
        return out;
    }
    if (value.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& child : value) {
            out.push_back(with_valid_utf8(child));
        }
        return out;
    }
    return value;
}

std::string json_text(const nlohmann::json& value, int indent) {
    // `replace` is the last resort only: it never throws, but it writes one U+FFFD for a whole
    // broken sequence where Go writes one per byte; with_valid_utf8 gives Go's form first.
    constexpr auto k_never_throw = nlohmann::json::error_handler_t::replace;
    if (has_invalid_utf8(value)) {
        return with_valid_utf8(value).dump(indent, ' ', false, k_never_throw);
    }
    return value.dump(indent, ' ', false, k_never_throw);
}

}  // namespace kfrun::base
