#pragma once
// DockerHost: where the daemon listens, from DOCKER_HOST (only unix:// is supported).
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kfrun::docker {

inline constexpr std::string_view k_default_docker_socket = "/var/run/docker.sock";

// The socket path of a DOCKER_HOST value: "unix:///path" or an absolute "/path".
// Empty means the default socket. tcp://, ssh://, npipe:// and the rest are a clear error.
base::Result<std::string> parse_docker_host(std::string_view value);

// parse_docker_host over `explicit_host` when non-empty, else over $DOCKER_HOST.
base::Result<std::string> resolve_docker_socket(std::string_view explicit_host);

}  // namespace kfrun::docker
