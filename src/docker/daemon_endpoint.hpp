#pragma once
// DaemonEndpoint: where the Docker daemon listens, parsed from a host URL as the docker CLI
// spells it (DOCKER_HOST, --docker-host, a context's Endpoints.docker.Host):
//   unix:///path or /path     the daemon's socket on this host (local)
//   tcp://host[:port]         plain, or TLS (DOCKER_TLS_VERIFY, a context's TLS material);
//                             the port defaults to 2376 with TLS, else 2375
//   ssh://[user@]host[:port]  `ssh … host docker system dial-stdio` (no path after the host)
// Pure: no I/O.
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kfrun::docker {

inline constexpr std::string_view k_default_docker_socket = "/var/run/docker.sock";

struct TlsFiles {
    std::string ca;    // PEM; empty: none
    std::string cert;  // the client certificate; empty: none
    std::string key;   // its key; empty: none
};

struct DaemonEndpoint {
    enum class Kind { Unix, Tcp, Ssh };
    Kind kind = Kind::Unix;
    std::string path;        // Unix: the socket path
    std::string host;        // Tcp, Ssh: the host name or address (no brackets)
    std::string port;        // Tcp: always set; Ssh: empty = ssh's default
    std::string user;        // Ssh: empty = ssh's default
    bool tls = false;        // Tcp only
    bool tls_verify = true;  // check the daemon's certificate against tls_files.ca and the host
    TlsFiles tls_files;

    // The canonical URL: "unix:///var/run/docker.sock", "tcp://10.0.0.2:2376",
    // "ssh://me@box:2222". Never carries TLS paths.
    std::string url() const;
    // A daemon that is not on this host's unix socket: its host paths are not ours, so kfrun
    // neither reads its overlay layers nor bind-mounts files from this host.
    bool remote() const { return kind != Kind::Unix; }
};

// Parses a host URL. Empty means the default socket. `where` names the setting in errors
// ("DOCKER_HOST", "--docker-host", "context prod"). Unknown schemes (npipe://, fd://, http://),
// a relative unix path, a bad port, an ssh path, user or host with unusual characters are
// Input errors. TLS is not set here (see resolve_daemon).
base::Result<DaemonEndpoint> parse_daemon_host(std::string_view value, std::string_view where);

}  // namespace kfrun::docker
