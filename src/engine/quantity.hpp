#pragma once
// Kubernetes resource quantities ("512Mi", "1.5G", "500m") as Docker wants them.
#include <cstdint>
#include <optional>
#include <string>

namespace kfrun::engine {

// Bytes for a memory quantity.
std::optional<std::int64_t> parse_memory_quantity(const std::string& text);
// Docker NanoCpus for a CPU quantity ("500m" → 5e8, "2" → 2e9).
std::optional<std::int64_t> parse_cpu_quantity(const std::string& text);

}  // namespace kfrun::engine
