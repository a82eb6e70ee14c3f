// DockerClient: the archive calls (HEAD, GET and PUT /containers/{id}/archive).
#include "docker/docker_client.hpp"
#include "docker/docker_error.hpp"
#include "docker/http_connection.hpp"

namespace kfrun::docker {
namespace {

using Clock = std::chrono::steady_clock;

DockerRequest archive_request(std::string_view method, std::string_view id, std::string_view path,
                              Millis timeout) {
    DockerRequest request(std::string(method), "/containers/" + encode_path(id) + "/archive",
                          timeout);
    request.query.add("path", path);
    return request;
}

}  // namespace

base::Result<std::optional<PathStat>> DockerClient::stat_path(std::string_view id,
                                                              std::string_view path) const {
    const auto request = archive_request("HEAD", id, path, m_config.quick_timeout);
    auto response = exchange(request);
    if (!response.ok()) {
        return response.error();
    }
    if (response->status == 404) {
        return std::optional<PathStat>{};
    }
    if (response->status != 200) {
        return make_docker_error(docker_call_name("HEAD", request.path), response->status,
                                 response->body);
    }
    auto stat = PathStat::from_header(response->header("X-Docker-Container-Path-Stat"));
    if (!stat) {
        return make_transport_error(
            docker_call_name("HEAD", request.path),
            "no readable X-Docker-Container-Path-Stat header for " + std::string(path));
    }
    return std::optional<PathStat>{std::move(*stat)};
}

base::Result<std::unique_ptr<ResponseStream>> DockerClient::get_archive(
    std::string_view id, std::string_view path) const {
    auto stream =
        open_stream(archive_request("GET", id, path, m_config.call_timeout), m_config.idle_timeout);
    if (!stream.ok() && http_status(stream.error()) == 404u) {
        return std::unique_ptr<ResponseStream>{};
    }
    return stream;
}

base::Result<void> DockerClient::put_archive(std::string_view id, std::string_view path,
                                             engine::ByteSource& tar) const {
    auto request = archive_request("PUT", id, path, m_config.call_timeout);
    request.query.add("noOverwriteDirNonDir", true);
    const std::string call = docker_call_name("PUT", request.path);
    auto owned = new_connection();
    HttpConnection& connection = *owned;
    if (const auto error = connection.connect(Clock::now() + m_config.quick_timeout)) {
        const std::string problem = connection.problem();
        return make_transport_error(call, "cannot connect to the Docker daemon at " +
                                              endpoint().url() + ": " + error.message() +
                                              (problem.empty() ? "" : " (" + problem + ")"));
    }
    http::request<http::empty_body> header{http::verb::put, target(request), 11};
    header.set(http::field::host, "docker");
    header.set(http::field::user_agent, "kfrun");
    header.set(http::field::connection, "close");
    header.set(http::field::content_type, "application/x-tar");
    base::Error source_error;
    const auto write_error =
        connection.write_chunked(header, tar, m_config.idle_timeout, source_error);
    if (write_error && !source_error.message.empty()) {
        return source_error;
    }
    // A daemon that refuses the upload (no such container or path) may answer and hang up
    // before the body is sent: its answer explains the failed write better than EPIPE does.
    const auto read_deadline =
        Clock::now() + (write_error ? m_config.quick_timeout : m_config.call_timeout);
    if (const auto error = connection.read_header(false, read_deadline)) {
        return make_transport_error(
            call, write_error ? "sending the archive failed: " + write_error.message()
                              : "reading the response failed: " + error.message());
    }
    std::string body;
    const auto deadline = Clock::now() + m_config.call_timeout;
    while (true) {
        const auto piece = connection.read_body(deadline);
        if (piece.error || piece.pending) {
            break;
        }
        if (piece.end || body.size() > std::size_t{1024} * 1024) {
            break;
        }
        body.append(piece.data);
    }
    const unsigned status = connection.header().result_int();
    if (status != 200) {
        return make_docker_error(call, status, body);
    }
    return {};
}

}  // namespace kfrun::docker
