#pragma once
// Docker errors as base::Error values: where = "docker POST /containers/create: HTTP 404",
// message = Docker's {"message"} (or a transport problem: timeout, refused connection).
#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace kfrun::docker {

// "docker GET /containers/0123456789ab/json": the method and the path without the version
// prefix or the query; 64-hex ids are cut to 12 characters to keep messages readable.
std::string docker_call_name(std::string_view method, std::string_view path);

// Docker's {"message": "..."} from an error body; the trimmed body when it is not that JSON.
std::string docker_error_message(std::string_view body);

// An error for a call the daemon answered with an unexpected status.
base::Error make_docker_error(std::string_view call, unsigned status, std::string_view body);
// An error for a call that failed before or without a status (connect, timeout, broken stream).
base::Error make_transport_error(std::string_view call, std::string message);

// The HTTP status of an error made by make_docker_error (nullopt for other errors).
std::optional<unsigned> http_status(const base::Error& error);

}  // namespace kfrun::docker
