#pragma once
// Which daemon kfrun talks to, found as the docker CLI finds it:
//   --docker-host (or the docker-host project setting) > DOCKER_HOST > DOCKER_CONTEXT
//   > currentContext in $DOCKER_CONFIG/config.json (default ~/.docker) > the default socket.
// A context is read from the CLI's store: contexts/meta/<sha256 hex of its name>/meta.json
// (Endpoints.docker.Host, Endpoints.docker.SkipTLSVerify) and its TLS material from
// contexts/tls/<sha256>/docker/{ca,cert,key}.pem. The context `default` is the default socket.
// With DOCKER_HOST or --docker-host, tcp:// uses TLS when DOCKER_TLS_VERIFY is non-empty, with
// ca.pem, cert.pem and key.pem from DOCKER_CERT_PATH (default: the config directory); a
// missing cert.pem/key.pem means no client certificate, a missing ca.pem is an error.
// Files are treated as hostile: bounded reads, malformed JSON is an error naming the file.
#include <optional>
#include <string>

#include "base/result.hpp"
#include "docker/daemon_endpoint.hpp"

namespace kfrun::docker {

// The inputs of the resolution (the process's environment, or a test's).
struct DockerEnvironment {
    std::string explicit_host;                  // --docker-host / docker-host: ; empty = not set
    std::string explicit_host_source;           // how it was set, e.g. "--docker-host"
    std::optional<std::string> docker_host;     // DOCKER_HOST
    std::optional<std::string> docker_context;  // DOCKER_CONTEXT
    std::optional<std::string> tls_verify;      // DOCKER_TLS_VERIFY
    std::optional<std::string> cert_path;       // DOCKER_CERT_PATH
    std::optional<std::string> config_dir;      // DOCKER_CONFIG
    std::string home;                           // $HOME
};

// This process's environment, with `explicit_host` from the command line or project file.
DockerEnvironment docker_environment(std::string explicit_host = {},
                                     std::string explicit_host_source = "--docker-host");

struct ResolvedDaemon {
    DaemonEndpoint endpoint;
    // Where the setting came from: "--docker-host", "$DOCKER_HOST", "context prod
    // ($DOCKER_CONTEXT)", "context prod (currentContext in /root/.docker/config.json)",
    // "default".
    std::string source;
    std::string context;  // the context's name, when one was used
};

// The Docker CLI's configuration directory: $DOCKER_CONFIG, else $HOME/.docker.
std::string docker_config_dir(const DockerEnvironment& env);
// The directory name of a context in the store: the sha256 hex of its name.
std::string context_store_id(std::string_view name);

// Input errors: a context that does not exist (named, with the file looked for), a
// malformed config.json or meta.json, a context without a docker endpoint, TLS files missing.
base::Result<ResolvedDaemon> resolve_daemon(const DockerEnvironment& env);

}  // namespace kfrun::docker
