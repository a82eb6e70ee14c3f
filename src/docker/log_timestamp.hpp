#pragma once
// Timestamps of Docker log records (logs?timestamps=1 prefixes each frame's payload with one,
// as RFC 3339 with nine fraction digits, then a space) and the `since` parameter's spelling.
// Pure: no I/O, no time zone database.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kfrun::docker {

// Nanoseconds since the Unix epoch of "2026-11-25T12:57:46.047700316Z" (any number of fraction
// digits; "Z" or a "+hh:mm"/"-hh:mm" offset). nullopt when it is not such a timestamp.
std::optional<std::int64_t> parse_log_timestamp(std::string_view text);

// "1795611466.047749059": the Unix-seconds form logs?since= accepts (inclusive).
std::string format_since(std::int64_t unix_nanos);

}  // namespace kfrun::docker
