#pragma once
// DockerClient: a small Docker Engine API client over the local unix socket (Boost.Beast).
//
// One connection per exchange (ssh://: small exchanges reuse kept-alive connections), a
// deadline on every call, the API version negotiated once from
// /_ping and put in front of every path. Every failure is a base::Error of kind Docker naming
// the call, the HTTP status and Docker's message (see docker_error.hpp). Stateless after
// connect(): all methods are const and safe to call from many threads at once.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "docker/api_version.hpp"
#include "docker/daemon_endpoint.hpp"
#include "docker/docker_types.hpp"
#include "docker/path_stat.hpp"
#include "docker/query.hpp"
#include "docker/response_stream.hpp"
#include "engine/byte_source.hpp"

namespace kfrun::docker {

using Millis = std::chrono::milliseconds;

struct DockerConfig {
    // unix:///path, tcp://host:port or ssh://user@host (--docker-host, the docker-host project
    // setting). Empty: found as the docker CLI finds it (resolve_daemon in context_store.hpp:
    // $DOCKER_HOST, $DOCKER_CONTEXT, currentContext, else /var/run/docker.sock).
    std::string host;
    std::string host_source = "--docker-host";  // names `host` in errors
    Millis quick_timeout{5'000};       // ping, inspect, list, stat
    Millis call_timeout{60'000};       // create, start, kill, remove, archive headers, volumes
    Millis idle_timeout{120'000};      // silence allowed inside an archive, pull or import body
    Millis pull_timeout{30 * 60'000};  // a whole pull or import
};

// One request as the typed calls below make it; exposed for tests and rare calls.
struct DockerRequest {
    DockerRequest(std::string method_, std::string path_, Millis timeout_)
        : method(std::move(method_)), path(std::move(path_)), timeout(timeout_) {}
    DockerRequest& with_body(std::string body_, std::string content_type_) {
        body = std::move(body_);
        content_type = std::move(content_type_);
        return *this;
    }

    std::string method;  // "GET", "POST", ...
    std::string path;    // without the version prefix: "/containers/create"
    Query query;
    std::string body;
    std::string content_type;  // set with a body: "application/json", "application/x-tar"
    Millis timeout;
    bool versioned = true;  // false only for the unversioned /_ping
    // X-Registry-Auth (a secret: never logged, never in an error).
    std::string registry_auth;
};

struct DockerResponse {
    unsigned status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string header(std::string_view name) const;  // case-insensitive; "" when absent
};

class Transport;
class HttpConnection;
class ConnectionPool;

class DockerClient {
  public:
    // Finds the daemon (resolve_daemon), loads its TLS material, pings it and negotiates the
    // API version.
    static base::Result<DockerClient> connect(const DockerConfig& config);

    // Where the daemon is; remote() when it is not on this host's unix socket.
    const DaemonEndpoint& endpoint() const;
    bool remote() const { return endpoint().remote(); }
    ApiVersion api_version() const { return m_version; }
    const DockerConfig& config() const { return m_config; }

    // --- system
    base::Result<DaemonVersion> version() const;

    // --- images
    // nullopt when the image is not present (404).
    base::Result<std::optional<ImageDetails>> inspect_image(std::string_view name) const;
    // POST /images/create?fromImage=&tag= (the tag is never empty). Fails on an `error` line
    // anywhere in the streamed progress, not only on the HTTP status. `progress` gets each
    // JSON line of the stream (see PullProgressTracker). `registry_auth` is the X-Registry-Auth
    // value (registry_auth_header), empty for none.
    base::Result<void> pull_image(std::string_view reference,
                                  const std::function<void(std::string_view)>& progress = {},
                                  std::string registry_auth = {}) const;
    // POST /images/create?fromSrc=- with a tar of the root filesystem, tagged repository:tag.
    // `changes` are Dockerfile instructions such as `ENTRYPOINT ["/pause"]`.
    base::Result<void> import_image(std::string tar, std::string_view repository,
                                    std::string_view tag,
                                    const std::vector<std::string>& changes = {}) const;
    // false when the image was not there.
    base::Result<bool> remove_image(std::string_view name, bool force = false) const;

    // --- containers
    // POST /containers/create?name=: `config_json` is the create body. Returns the Id.
    base::Result<std::string> create_container(std::string_view name,
                                               const std::string& config_json) const;
    // POST /start with no body. 304 (already running) counts as started.
    base::Result<void> start_container(std::string_view id) const;
    // POST /wait?condition=: the response headers are read (so the wait is registered) and the
    // JSON body ({"StatusCode":N,"Error":...}) arrives when the condition is met. Open it with
    // "next-exit" before start, on its own connection; read it with read_some (no deadline of
    // its own) and parse it with parse_wait_result.
    base::Result<std::unique_ptr<ResponseStream>> open_wait(std::string_view id,
                                                            std::string_view condition) const;
    static base::Result<WaitResult> parse_wait_result(std::string_view body);
    // GET /logs?stdout=1&stderr=1[&follow=1][&timestamps=1][&since=]: the multiplexed stream
    // (see FrameDemuxer). `since` is Unix seconds ("1795611466.047749059"), inclusive.
    base::Result<std::unique_ptr<ResponseStream>> open_logs(std::string_view id, bool follow,
                                                            bool timestamps = false,
                                                            std::string_view since = {}) const;
    // POST /kill. A container that is not running (409) counts as killed.
    base::Result<void> kill_container(std::string_view id, std::string_view signal = "KILL") const;
    // POST /stop?t=. 304 (not running) counts as stopped. The deadline is t + call timeout.
    base::Result<void> stop_container(std::string_view id, int timeout_seconds) const;
    // DELETE ?force=&v=. 404 and 409 "already in progress" count as removed.
    base::Result<void> remove_container(std::string_view id, bool force = true,
                                        bool volumes = true) const;
    base::Result<ContainerDetails> inspect_container(std::string_view id) const;
    // GET /containers/json?all=1&filters={"label":[...]}
    base::Result<std::vector<ContainerSummary>> list_containers(
        const std::map<std::string, std::string>& labels, bool all = true) const;

    // --- archives
    // HEAD /archive: nullopt when the path does not exist (404).
    base::Result<std::optional<PathStat>> stat_path(std::string_view id,
                                                    std::string_view path) const;
    // GET /archive: the tar stream, or nullptr when the path does not exist (404). Drain or
    // destroy it promptly: the daemon holds the container's lock while it is open.
    base::Result<std::unique_ptr<ResponseStream>> get_archive(std::string_view id,
                                                              std::string_view path) const;
    // PUT /archive?path=&noOverwriteDirNonDir=1 with Content-Type application/x-tar, the tar
    // streamed from `tar` (chunked). `path` must be an existing directory in the container.
    base::Result<void> put_archive(std::string_view id, std::string_view path,
                                   engine::ByteSource& tar) const;

    // --- volumes
    // Idempotent: an existing volume is returned as it is (Docker keeps its labels unchanged).
    base::Result<void> create_volume(std::string_view name,
                                     const std::map<std::string, std::string>& labels) const;
    // GET /volumes/{name}: nullopt when there is no such volume (404).
    base::Result<std::optional<VolumeDetails>> inspect_volume(std::string_view name) const;
    // 404 counts as removed. 409 (in use, even by a stopped container) is an error naming the
    // volume, with Docker's message (which lists the containers).
    base::Result<void> remove_volume(std::string_view name) const;
    // GET /volumes?filters={"label":[...]}: the volumes carrying every one of `labels`.
    base::Result<std::vector<VolumeDetails>> list_volumes(
        const std::map<std::string, std::string>& labels) const;

    // --- plumbing: one exchange with the whole (small) body read. Any status is a value here;
    // only transport failures are errors.
    base::Result<DockerResponse> exchange(const DockerRequest& request) const;
    // Sends `request` and reads the response headers; the body is left to the stream. A status
    // outside [200, 300) is returned as an error built from the (small) error body.
    base::Result<std::unique_ptr<ResponseStream>> open_stream(const DockerRequest& request,
                                                              Millis idle_timeout) const;
    // "/v1.41/containers/create?name=x" for a request.
    std::string target(const DockerRequest& request) const;
    // How the connections reach the daemon (internal: Transport is not public).
    const std::shared_ptr<const Transport>& transport() const { return m_transport; }
    // A fresh, unconnected connection to the daemon (internal: HttpConnection is not public).
    std::unique_ptr<HttpConnection> new_connection() const;

  private:
    DockerClient(DockerConfig config, std::shared_ptr<const Transport> transport,
                 ApiVersion version);

    // exchange() over kept-alive connections (ssh://, where a new connection costs an ssh
    // session and a `docker system dial-stdio`).
    base::Result<DockerResponse> pooled_exchange(const DockerRequest& request) const;

    // exchange() that turns statuses outside [200, 300) into errors.
    base::Result<DockerResponse> call(const DockerRequest& request) const;
    // Reads a streamed JSON-lines body (pull, import), failing on an `error` line.
    base::Result<void> follow_progress(ResponseStream& stream,
                                       const std::function<void(std::string_view)>& progress,
                                       std::chrono::steady_clock::time_point deadline) const;

    DockerConfig m_config;
    std::shared_ptr<const Transport> m_transport;
    std::shared_ptr<ConnectionPool> m_pool;  // ssh:// only: idle kept-alive connections
    ApiVersion m_version;
};

}  // namespace kfrun::docker
