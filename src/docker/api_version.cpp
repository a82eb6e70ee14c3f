#include "docker/api_version.hpp"

#include <charconv>

#include "base/strings.hpp"

namespace kfrun::docker {
namespace {

std::optional<int> parse_number(std::string_view text) {
    int value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end || value < 0) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::optional<ApiVersion> ApiVersion::parse(std::string_view text) {
    text = base::trim(text);
    const auto dot = text.find('.');
    if (dot == std::string_view::npos) {
        return std::nullopt;
    }
    const auto major = parse_number(text.substr(0, dot));
    const auto minor = parse_number(text.substr(dot + 1));
    if (!major || !minor) {
        return std::nullopt;
    }
    return ApiVersion{*major, *minor};
}

std::string ApiVersion::to_string() const {
    return std::to_string(major) + "." + std::to_string(minor);
}

base::Result<ApiVersion> negotiate_api_version(std::string_view daemon_header,
                                               std::string_view daemon_name) {
    const std::string_view header = base::trim(daemon_header);
    const std::string spoken = header.empty() ? "1.24" : std::string(header);
    const auto daemon = ApiVersion::parse(spoken);
    if (!daemon) {
        return base::make_error(base::ErrorKind::Docker,
                                "the daemon at " + std::string(daemon_name) +
                                    " reports an unreadable API version \"" + spoken + "\"",
                                "docker GET /_ping");
    }
    if (*daemon < k_min_api_version) {
        return base::make_error(base::ErrorKind::Docker,
                                "Docker API " + k_min_api_version.to_string() +
                                    " or newer required; the daemon at " +
                                    std::string(daemon_name) + " speaks " + daemon->to_string(),
                                "docker GET /_ping");
    }
    return *daemon < k_max_api_version ? *daemon : k_max_api_version;
}

}  // namespace kfrun::docker
