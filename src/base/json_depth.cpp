#include "base/json_depth.hpp"

#include "base/limits.hpp"

namespace kfrun::base {

std::size_t json_nesting_depth(std::string_view text, std::size_t stop_after) {
    std::size_t depth = 0;
    std::size_t deepest = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest) {
                deepest = depth;
                if (deepest > stop_after) {
                    return deepest;
                }
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

bool json_depth_within_limit(std::string_view text) {
    const std::size_t max_depth = static_cast<std::size_t>(limits().json_depth);
    return json_nesting_depth(text, max_depth) <= max_depth;
}

std::string json_depth_problem(std::string_view what) {
    return std::string(what) + " nests deeper than " + std::to_string(limits().json_depth) +
           " levels " + limit_hint("json-depth");
}

}  // namespace kfrun::base
