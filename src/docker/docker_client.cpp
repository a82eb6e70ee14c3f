#include "docker/docker_client.hpp"

#include <strings.h>

#include <algorithm>
#include <mutex>

#include <nlohmann/json.hpp>

#include "base/strings.hpp"
#include "base/time.hpp"
#include "docker/docker_error.hpp"
#include "docker/context_store.hpp"
#include "docker/http_connection.hpp"
#include "docker/json_fields.hpp"

namespace kfrun::docker {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t k_max_small_body = std::size_t{16} * 1024 * 1024;
constexpr std::size_t k_max_error_body = std::size_t{1024} * 1024;

bool is_success(unsigned status) {
    return status >= 200 && status < 300;
}

http::request<http::string_body> make_http_request(const DockerRequest& request,
                                                   const std::string& target) {
    http::request<http::string_body> out{http::string_to_verb(request.method), target, 11};
    out.set(http::field::host, "docker");
    out.set(http::field::user_agent, "kfrun");
    out.set(http::field::connection, "close");
    if (!request.content_type.empty()) {
        out.set(http::field::content_type, request.content_type);
    }
    if (!request.registry_auth.empty()) {
        out.set("X-Registry-Auth", request.registry_auth);
    }
    out.body() = request.body;
    if (!request.body.empty() || (request.method != "GET" && request.method != "HEAD")) {
        out.content_length(request.body.size());  // POST with no body: Content-Length: 0
    }
    return out;
}

std::string describe(const ErrorCode& error, Millis timeout) {
    if (error == boost::asio::error::timed_out) {
        return "timed out after " + base::format_duration(timeout);
    }
    return error.message();
}

}  // namespace

std::string DockerResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (key.size() == name.size() && strncasecmp(key.data(), name.data(), key.size()) == 0) {
            return value;
        }
    }
    return {};
}

std::string DockerClient::target(const DockerRequest& request) const {
    std::string out;
    if (request.versioned) {
        out = "/v" + m_version.to_string();
    }
    return out + request.path + request.query.str();
}

const DaemonEndpoint& DockerClient::endpoint() const {
    return m_transport->endpoint();
}

// "what failed: why (what the transport adds)", for a failed step of an exchange.
static std::string transport_failure(HttpConnection& connection, const std::string& what,
                              const ErrorCode& error, Millis timeout) {
    std::string text = what + ": " + describe(error, timeout);
    if (const std::string problem = connection.problem(); !problem.empty()) {
        text += " (" + problem + ")";
    }
    return text;
}

// Connects, sends and reads the response headers, all by `deadline`.
static base::Result<std::unique_ptr<HttpConnection>> send_request(
    const std::shared_ptr<const Transport>& transport, const DockerRequest& request,
    const std::string& target, const std::string& call, Clock::time_point deadline) {
    auto connection = std::make_unique<HttpConnection>(transport);
    const std::string url = transport->endpoint().url();
    if (const auto error = connection->connect(deadline)) {
        const bool local = !transport->endpoint().remote();
        return make_transport_error(
            call, transport_failure(*connection, "cannot connect to the Docker daemon at " + url,
                                    error, request.timeout) +
                      (local ? " (is dockerd running?)" : ""));
    }
    if (const auto error = connection->write(make_http_request(request, target), deadline)) {
        return make_transport_error(
            call, transport_failure(*connection, "sending the request to " + url + " failed",
                                    error, request.timeout));
    }
    if (const auto error = connection->read_header(request.method == "HEAD", deadline)) {
        return make_transport_error(
            call, transport_failure(*connection, "reading the response from " + url + " failed",
                                    error, request.timeout));
    }
    return connection;
}

// Idle kept-alive connections of one client (and its copies), for ssh:// only. Bounded; a
// connection idle for long is closed rather than reused (its ssh session may be gone).
class ConnectionPool {
  public:
    std::unique_ptr<HttpConnection> take() {
        std::lock_guard<std::mutex> lock(m_mutex);
        while (!m_idle.empty()) {
            auto [since, connection] = std::move(m_idle.back());
            m_idle.pop_back();
            if (Clock::now() - since < k_max_idle) {
                return std::move(connection);
            }
        }
        return nullptr;
    }
    void give(std::unique_ptr<HttpConnection> connection) {
        connection->reset();
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_idle.size() < k_max_connections) {
            m_idle.emplace_back(Clock::now(), std::move(connection));
        }
    }

  private:
    static constexpr std::size_t k_max_connections = 8;
    static constexpr std::chrono::seconds k_max_idle{30};
    std::mutex m_mutex;
    std::vector<std::pair<Clock::time_point, std::unique_ptr<HttpConnection>>> m_idle;
};

DockerClient::DockerClient(DockerConfig config, std::shared_ptr<const Transport> transport,
                           ApiVersion version)
    : m_config(std::move(config)), m_transport(std::move(transport)), m_version(version) {
    if (m_transport->endpoint().kind == DaemonEndpoint::Kind::Ssh) {
        m_pool = std::make_shared<ConnectionPool>();
    }
}

base::Result<DockerResponse> DockerClient::pooled_exchange(const DockerRequest& request) const {
    const std::string call = docker_call_name(request.method, request.path);
    const auto deadline = Clock::now() + request.timeout;
    const std::string url = m_transport->endpoint().url();
    for (int attempt = 0;; ++attempt) {
        std::unique_ptr<HttpConnection> connection = m_pool->take();
        const bool reused = connection != nullptr;
        if (!reused) {
            connection = new_connection();
            if (const auto error = connection->connect(deadline)) {
                return make_transport_error(
                    call, transport_failure(*connection, "cannot connect to the Docker daemon at " +
                                                             url,
                                            error, request.timeout));
            }
        }
        auto http_request = make_http_request(request, target(request));
        http_request.keep_alive(true);
        ErrorCode error = connection->write(http_request, deadline);
        if (!error) {
            error = connection->read_header(request.method == "HEAD", deadline);
        }
        if (error) {
            // A kept connection that died while idle: the request never reached the daemon
            // (nothing came back), so it goes once more on a fresh connection.
            if (reused && attempt == 0 && error != boost::asio::error::timed_out) {
                continue;
            }
            return make_transport_error(
                call, transport_failure(*connection, "exchanging with " + url + " failed", error,
                                        request.timeout));
        }
        DockerResponse response;
        response.status = connection->header().result_int();
        for (const auto& field : connection->header()) {
            response.headers.emplace_back(std::string(field.name_string()),
                                          std::string(field.value()));
        }
        while (true) {
            const auto piece = connection->read_body(deadline);
            if (piece.error || piece.pending) {
                return make_transport_error(
                    call, "reading the response from " + url + " failed: " +
                              (piece.pending ? "timed out after " +
                                                   base::format_duration(request.timeout)
                                             : piece.error.message()));
            }
            if (piece.end) {
                break;
            }
            if (response.body.size() + piece.data.size() > k_max_small_body) {
                return make_transport_error(call, "the response is larger than 16 MiB");
            }
            response.body.append(piece.data);
        }
        if (connection->reusable()) {
            m_pool->give(std::move(connection));
        }
        return response;
    }
}

std::unique_ptr<HttpConnection> DockerClient::new_connection() const {
    return std::make_unique<HttpConnection>(m_transport);
}

base::Result<DockerResponse> DockerClient::exchange(const DockerRequest& request) const {
    if (m_pool) {
        return pooled_exchange(request);
    }
    const std::string call = docker_call_name(request.method, request.path);
    const auto deadline = Clock::now() + request.timeout;
    auto connection = send_request(m_transport, request, target(request), call, deadline);
    if (!connection.ok()) {
        return connection.error();
    }
    DockerResponse response;
    response.status = (*connection)->header().result_int();
    for (const auto& field : (*connection)->header()) {
        response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    ResponseStream stream(std::move(*connection), call, request.timeout);
    auto body = stream.read_all(k_max_small_body, deadline);
    if (!body.ok()) {
        return body.error();
    }
    response.body = std::move(*body);
    return response;
}

base::Result<DockerResponse> DockerClient::call(const DockerRequest& request) const {
    auto response = exchange(request);
    if (response.ok() && !is_success(response->status)) {
        return make_docker_error(docker_call_name(request.method, request.path), response->status,
                                 response->body);
    }
    return response;
}

base::Result<std::unique_ptr<ResponseStream>> DockerClient::open_stream(
    const DockerRequest& request, Millis idle_timeout) const {
    const std::string call = docker_call_name(request.method, request.path);
    const auto deadline = Clock::now() + request.timeout;
    auto connection = send_request(m_transport, request, target(request), call, deadline);
    if (!connection.ok()) {
        return connection.error();
    }
    auto stream = std::make_unique<ResponseStream>(std::move(*connection), call, idle_timeout);
    if (!is_success(stream->status())) {
        auto body = stream->read_all(k_max_error_body, deadline);
        return make_docker_error(call, stream->status(), body.ok() ? *body : std::string{});
    }
    return stream;
}

base::Result<DockerClient> DockerClient::connect(const DockerConfig& config) {
    auto daemon = resolve_daemon(docker_environment(config.host, config.host_source));
    if (!daemon.ok()) {
        return daemon.error();
    }
    auto transport = Transport::make(daemon->endpoint);
    if (!transport.ok()) {
        return transport.error();
    }
    const DockerClient probe(config, *transport, k_max_api_version);
    DockerRequest ping_request("GET", "/_ping", config.quick_timeout);
    ping_request.versioned = false;
    auto ping = probe.call(ping_request);
    if (!ping.ok()) {
        return ping.error();
    }
    auto version = negotiate_api_version(ping->header("Api-Version"), daemon->endpoint.url());
    if (!version.ok()) {
        return version.error();
    }
    return DockerClient(config, std::move(*transport), *version);
}

base::Result<DaemonVersion> DockerClient::version() const {
    auto response = call(DockerRequest("GET", "/version", m_config.quick_timeout));
    if (!response.ok()) {
        return response.error();
    }
    const auto json = nlohmann::json::parse(response->body, nullptr, false);
    using namespace json_fields;
    return DaemonVersion{string_of(json, "Version"),
                         string_of(json, "ApiVersion"),
                         string_of(json, "MinAPIVersion"),
                         string_of(json, "GitCommit"),
                         string_of(json, "Os"),
                         string_of(json, "Arch")};
}

base::Result<void> DockerClient::follow_progress(
    ResponseStream& stream, const std::function<void(std::string_view)>& progress,
    Clock::time_point deadline) const {
    std::string pending;
    const auto handle_line = [&](std::string_view line) -> base::Result<void> {
        const auto json = nlohmann::json::parse(line, nullptr, false);
        if (json.is_discarded()) {
            return {};  // not a progress object; ignore
        }
        std::string error = json_fields::string_of(json, "error");
        if (error.empty()) {
            error = json_fields::string_of(json_fields::member(json, "errorDetail"), "message");
        }
        if (!error.empty() || json_fields::member(json, "errorDetail").is_object()) {
            return make_transport_error(stream.call(),
                                        error.empty() ? std::string(line) : std::move(error));
        }
        if (progress) {
            progress(line);
        }
        return {};
    };
    while (true) {
        const auto until = std::min(deadline, Clock::now() + m_config.idle_timeout);
        auto piece = stream.read_some(until);
        if (!piece.ok()) {
            return piece.error();
        }
        if (piece->pending) {
            stream.close();
            return make_transport_error(
                stream.call(), Clock::now() >= deadline ? "timed out" : "stalled: no progress");
        }
        if (piece->end) {
            break;
        }
        pending.append(piece->data);
        std::size_t newline = 0;
        while ((newline = pending.find('\n')) != std::string::npos) {
            KFRUN_TRY(handle_line(std::string_view(pending).substr(0, newline)));
            pending.erase(0, newline + 1);
        }
    }
    if (!base::trim(pending).empty()) {
        KFRUN_TRY(handle_line(pending));
    }
    return {};
}

}  // namespace kfrun::docker
