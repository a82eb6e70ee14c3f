#pragma once
// ApiVersion: the Docker Engine API version ("1.41") and kfrun's negotiation rule.
#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kfrun::docker {

struct ApiVersion {
    int major = 0;
    int minor = 0;

    static std::optional<ApiVersion> parse(std::string_view text);  // "1.41"
    std::string to_string() const;
    friend auto operator<=>(const ApiVersion&, const ApiVersion&) = default;
};

// The newest API kfrun speaks, and the oldest it accepts (the features it uses are 1.41's).
inline constexpr ApiVersion k_max_api_version{1, 41};
inline constexpr ApiVersion k_min_api_version{1, 41};

// min(k_max_api_version, daemon), refusing daemons older than k_min_api_version.
// `daemon_header` is /_ping's Api-Version header (empty when missing: Docker's clients assume
// 1.24 then). `daemon_name` names the daemon in messages ("unix:///var/run/docker.sock").
base::Result<ApiVersion> negotiate_api_version(std::string_view daemon_header,
                                               std::string_view daemon_name);

}  // namespace kfrun::docker
