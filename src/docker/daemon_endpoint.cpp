#include "docker/daemon_endpoint.hpp"

#include <algorithm>
#include <cctype>

#include "base/strings.hpp"

namespace kfrun::docker {
namespace {

constexpr std::size_t k_max_host_url = 1024;

base::Error bad_host(std::string_view value, std::string_view where, const std::string& why) {
    return base::make_error(
        base::ErrorKind::Input,
        std::string(where) + "=" + std::string(value.substr(0, 256)) + ": " + why,
        std::string(where));
}

bool plain_name(std::string_view text) {
    return !text.empty() && text.front() != '-' &&
           std::all_of(text.begin(), text.end(), [](unsigned char c) {
               return std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_' || c == ':' ||
                      c == '%';
           });
}

bool valid_port(std::string_view port) {
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); })) {
        return false;
    }
    const int number = std::stoi(std::string(port));
    return number >= 1 && number <= 65535;
}

// Splits "host:port", "[v6]:port", "host" (port empty) ; false on a malformed bracket.
bool split_host_port(std::string_view text, std::string& host, std::string& port) {
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) {
            return false;
        }
        host = std::string(text.substr(1, close - 1));
        const auto rest = text.substr(close + 1);
        if (!rest.empty() && rest.front() != ':') {
            return false;
        }
        port = rest.empty() ? std::string{} : std::string(rest.substr(1));
        return !host.empty();
    }
    const auto colon = text.rfind(':');
    if (colon != std::string_view::npos && text.find(':') != colon) {
        return false;  // an IPv6 address needs brackets: [::1]:2375
    }
    if (colon != std::string_view::npos) {
        host = std::string(text.substr(0, colon));
        port = std::string(text.substr(colon + 1));
    } else {
        host = std::string(text);
        port.clear();
    }
    return true;
}

}  // namespace

std::string DaemonEndpoint::url() const {
    const bool v6 = host.find(':') != std::string::npos;
    const std::string shown_host = v6 ? "[" + host + "]" : host;
    switch (kind) {
        case Kind::Unix:
            return "unix://" + path;
        case Kind::Tcp:
            return "tcp://" + shown_host + ":" + port;
        case Kind::Ssh:
            return "ssh://" + (user.empty() ? std::string{} : user + "@") + shown_host +
                   (port.empty() ? std::string{} : ":" + port);
    }
    return {};
}

base::Result<DaemonEndpoint> parse_daemon_host(std::string_view value, std::string_view where) {
    const std::string_view text = base::trim(value);
    DaemonEndpoint endpoint;
    if (text.size() > k_max_host_url) {
        return bad_host(text, where, "longer than 1024 characters");
    }
    if (text.empty()) {
        endpoint.path = std::string(k_default_docker_socket);
        return endpoint;
    }
    const auto scheme_end = text.find("://");
    const std::string_view scheme =
        scheme_end == std::string_view::npos ? std::string_view{} : text.substr(0, scheme_end);
    const std::string_view rest =
        scheme_end == std::string_view::npos ? text : text.substr(scheme_end + 3);
    if (scheme.empty() || scheme == "unix") {
        if (scheme.empty() && (text.empty() || text.front() != '/')) {
            return bad_host(text, where,
                            "not a Docker host (unix:///path, tcp://host:port or "
                            "ssh://user@host)");
        }
        endpoint.path = rest.empty() ? std::string(k_default_docker_socket) : std::string(rest);
        if (endpoint.path.front() != '/') {
            return bad_host(text, where, "the socket path must be absolute (unix:///path)");
        }
        return endpoint;
    }
    if (scheme == "tcp") {
        std::string_view authority = rest;
        if (const auto slash = authority.find('/'); slash != std::string_view::npos) {
            if (authority.substr(slash).find_first_not_of('/') != std::string_view::npos) {
                return bad_host(text, where, "a tcp:// host takes no path");
            }
            authority = authority.substr(0, slash);
        }
        if (!split_host_port(authority, endpoint.host, endpoint.port)) {
            return bad_host(text, where, "malformed host (tcp://host:port)");
        }
        if (endpoint.host.empty()) {
            endpoint.host = "127.0.0.1";  // tcp://:2375, as the CLI reads it
        }
        if (!plain_name(endpoint.host)) {
            return bad_host(text, where, "malformed host name");
        }
        if (!endpoint.port.empty() && !valid_port(endpoint.port)) {
            return bad_host(text, where, "the port must be a number from 1 to 65535");
        }
        endpoint.kind = DaemonEndpoint::Kind::Tcp;
        return endpoint;
    }
    if (scheme == "ssh") {
        std::string_view authority = rest;
        if (const auto slash = authority.find('/'); slash != std::string_view::npos) {
            if (slash + 1 != authority.size()) {
                return bad_host(text, where, "an ssh:// host takes no path");
            }
            authority = authority.substr(0, slash);
        }
        if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
            endpoint.user = std::string(authority.substr(0, at));
            authority = authority.substr(at + 1);
            if (endpoint.user.find(':') != std::string::npos) {
                return bad_host(text, where, "an ssh:// URL takes no password");
            }
            if (!plain_name(endpoint.user)) {
                return bad_host(text, where, "malformed user name");
            }
        }
        if (!split_host_port(authority, endpoint.host, endpoint.port) ||
            !plain_name(endpoint.host)) {
            return bad_host(text, where, "malformed host (ssh://[user@]host[:port])");
        }
        if (!endpoint.port.empty() && !valid_port(endpoint.port)) {
            return bad_host(text, where, "the port must be a number from 1 to 65535");
        }
        endpoint.kind = DaemonEndpoint::Kind::Ssh;
        return endpoint;
    }
    return bad_host(text, where,
                    "the " + std::string(scheme.substr(0, 32)) +
                        ":// scheme is not supported (unix://, tcp:// or ssh://)");
}

}  // namespace kfrun::docker
