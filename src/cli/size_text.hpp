#pragma once
// Sizes and ages as the cleaning commands (`kfrun cache prune`, `kfrun gc`) take and print them.
#include <cstdint>
#include <optional>
#include <string>

#include "base/time.hpp"

namespace kfrun::cli {

// "1.5 MiB"
std::string human_bytes(std::uint64_t bytes);
// "500M", "2G", "1.5GiB", "1000" (bytes).
std::optional<std::uint64_t> parse_size(const std::string& text);
// "30d", "12h", "90m", or ISO-8601 "P7D".
std::optional<base::Millis> parse_age(const std::string& text);

}  // namespace kfrun::cli
