#pragma once
// The keys of the step cache index (README.md, "The step cache index").
#include <string>
#include <string_view>

namespace kfrun::store::cache_keys {

inline constexpr std::string_view k_entry_prefix = "e/";
inline constexpr std::string_view k_step_prefix = "s/";

// e/<key>: the entry stored under a cache key.
inline std::string entry(std::string_view key) {
    return std::string(k_entry_prefix) + std::string(key);
}
// s/<step>: the key last stored for a step identity.
inline std::string step(std::string_view step) {
    return std::string(k_step_prefix) + std::string(step);
}

}  // namespace kfrun::store::cache_keys
