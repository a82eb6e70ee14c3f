#include "docker/docker_host.hpp"

#include <cstdlib>

#include "base/strings.hpp"

namespace kfrun::docker {

base::Result<std::string> parse_docker_host(std::string_view value) {
    const std::string_view host = base::trim(value);
    if (host.empty()) {
        return std::string(k_default_docker_socket);
    }
    std::string_view path = host;
    constexpr std::string_view k_unix = "unix://";
    if (host.substr(0, k_unix.size()) == k_unix) {
        path = host.substr(k_unix.size());
    } else if (host.find("://") != std::string_view::npos) {
        const std::string scheme(host.substr(0, host.find("://")));
        return base::make_error(
            base::ErrorKind::Input,
            "DOCKER_HOST=" + std::string(host) + " uses the " + scheme +
                ":// scheme; kfrun talks to Docker over a local unix socket only "
                "(use unix:///path/to/docker.sock)",
            "DOCKER_HOST");
    }
    if (path.empty()) {
        return std::string(k_default_docker_socket);
    }
    if (path.front() != '/') {
        return base::make_error(base::ErrorKind::Input,
                                "DOCKER_HOST=" + std::string(host) +
                                    ": the socket path must be absolute (unix:///path)",
                                "DOCKER_HOST");
    }
    return std::string(path);
}

base::Result<std::string> resolve_docker_socket(std::string_view explicit_host) {
    if (!explicit_host.empty()) {
        return parse_docker_host(explicit_host);
    }
    const char* env = std::getenv("DOCKER_HOST");
    return parse_docker_host(env == nullptr ? std::string_view{} : std::string_view{env});
}

}  // namespace kfrun::docker
