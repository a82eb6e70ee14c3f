#include "docker/docker_error.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "base/strings.hpp"

namespace kfrun::docker {
namespace {

constexpr std::string_view k_status_marker = ": HTTP ";

bool is_hex_id(std::string_view segment) {
    if (segment.size() != 64) {
        return false;
    }
    for (const char c : segment) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

// Drops a leading "/v1.41" from a request path.
std::string_view strip_version_prefix(std::string_view path) {
    if (path.size() > 2 && path[0] == '/' && path[1] == 'v' && path[2] >= '0' && path[2] <= '9') {
        const auto next = path.find('/', 1);
        return next == std::string_view::npos ? std::string_view{"/"} : path.substr(next);
    }
    return path;
}

}  // namespace

std::string docker_call_name(std::string_view method, std::string_view path) {
    path = path.substr(0, path.find('?'));
    path = strip_version_prefix(path);
    std::string out = "docker ";
    out += method;
    out += ' ';
    for (const auto& segment : base::split(path, '/')) {
        if (segment.empty()) {
            continue;
        }
        out += '/';
        out += is_hex_id(segment) ? segment.substr(0, 12) : segment;
    }
    if (path.empty() || path == "/") {
        out += '/';
    }
    return out;
}

std::string docker_error_message(std::string_view body) {
    const auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object()) {
        const auto message = parsed.find("message");
        if (message != parsed.end() && message->is_string()) {
            return message->get<std::string>();
        }
    }
    return std::string(base::trim(body));
}

base::Error make_docker_error(std::string_view call, unsigned status, std::string_view body) {
    std::string message = docker_error_message(body);
    if (message.empty()) {
        message = "the daemon answered HTTP " + std::to_string(status) + " with no message";
    }
    return base::make_error(
        base::ErrorKind::Docker, std::move(message),
        std::string(call) + std::string(k_status_marker) + std::to_string(status));
}

base::Error make_transport_error(std::string_view call, std::string message) {
    return base::make_error(base::ErrorKind::Docker, std::move(message), std::string(call));
}

std::optional<unsigned> http_status(const base::Error& error) {
    if (error.kind != base::ErrorKind::Docker) {
        return std::nullopt;
    }
    const auto marker = error.where.rfind(k_status_marker);
    if (marker == std::string::npos) {
        return std::nullopt;
    }
    const std::string_view digits =
        std::string_view(error.where).substr(marker + k_status_marker.size());
    unsigned status = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), status);
    if (ec != std::errc{} || ptr != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return status;
}

}  // namespace kfrun::docker
