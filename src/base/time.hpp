#pragma once
// Time helpers: RFC 3339 timestamps and the duration spellings that pipelines use.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kfrun::base {

using SystemTime = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

// "2026-11-25T12:26:36Z" (seconds) or with milliseconds "2026-11-25T12:26:36.123Z".
std::string format_rfc3339(SystemTime time, bool with_millis = false);
std::optional<SystemTime> parse_rfc3339(std::string_view text);
// Go-style durations as Argo writes them: "30", "30s", "1m30s", "2h", "500ms". A bare number is
// seconds. Anything Go's time.ParseDuration would refuse as out of range (> 2^63-1 ns, ~292 years)
// or a malformed number gives nullopt, never an exception or an overflow.
std::optional<Millis> parse_go_duration(std::string_view text);
// A Kubernetes int64 (activeDeadlineSeconds): decimal digits with an optional sign, in range.
// "1h", "1.5", "" and "99999999999999999999" give nullopt.
std::optional<long long> parse_k8s_int64(std::string_view text);
// `now + after`, saturating instead of overflowing (a deadline years away is "never" anyway).
std::chrono::steady_clock::time_point deadline_after(std::chrono::steady_clock::time_point now,
                                                     Millis after);
// ISO-8601 durations as KFP writes them: "P30D", "PT1H", "P1DT2H3M4S", "P0D".
std::optional<Millis> parse_iso8601_duration(std::string_view text);
// Human duration for progress lines: "95ms", "1.2s", "3m04s".
std::string format_duration(Millis duration);

}  // namespace kfrun::base
