#include "docker/context_store.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "base/sha256.hpp"

namespace kfrun::docker {
namespace {

constexpr std::size_t k_max_config_file = std::size_t{4} * 1024 * 1024;

std::optional<std::string> env_value(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

bool is_regular_file(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

base::Error input_error(const std::string& message, const std::string& where) {
    return base::make_error(base::ErrorKind::Input, message, where);
}

// A small JSON file: nullopt when it does not exist; an error when it cannot be read, is too
// large or is not a JSON object.
base::Result<std::optional<nlohmann::json>> read_json_file(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        return std::optional<nlohmann::json>{};
    }
    if (!S_ISREG(info.st_mode)) {
        return input_error(path + " is not a regular file", path);
    }
    if (static_cast<std::size_t>(info.st_size) > k_max_config_file) {
        return input_error(path + " is larger than 4 MiB; not a Docker configuration file", path);
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return input_error("cannot read " + path, path);
    }
    std::string text(k_max_config_file + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return input_error(path + " is not a JSON object", path);
    }
    return std::optional<nlohmann::json>{std::move(json)};
}

const nlohmann::json* member(const nlohmann::json& json, const char* name) {
    if (!json.is_object()) {
        return nullptr;
    }
    const auto found = json.find(name);
    return found == json.end() ? nullptr : &*found;
}

std::string default_port(const DaemonEndpoint& endpoint) {
    return endpoint.tls ? "2376" : "2375";
}

// DOCKER_HOST / --docker-host: TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH.
base::Result<DaemonEndpoint> with_env_tls(DaemonEndpoint endpoint, const DockerEnvironment& env) {
    const bool verify = env.tls_verify.has_value() && !env.tls_verify->empty();
    if (endpoint.kind != DaemonEndpoint::Kind::Tcp) {
        return endpoint;
    }
    if (verify) {
        const std::string dir = env.cert_path.has_value() && !env.cert_path->empty()
                                    ? *env.cert_path
                                    : docker_config_dir(env);
        endpoint.tls = true;
        endpoint.tls_verify = true;
        endpoint.tls_files.ca = dir + "/ca.pem";
        if (!is_regular_file(endpoint.tls_files.ca)) {
            return input_error("DOCKER_TLS_VERIFY is set but " + endpoint.tls_files.ca +
                                   " does not exist (set DOCKER_CERT_PATH to the folder with "
                                   "ca.pem, cert.pem and key.pem)",
                               "DOCKER_CERT_PATH");
        }
        if (is_regular_file(dir + "/cert.pem") && is_regular_file(dir + "/key.pem")) {
            endpoint.tls_files.cert = dir + "/cert.pem";
            endpoint.tls_files.key = dir + "/key.pem";
        }
    }
    if (endpoint.port.empty()) {
        endpoint.port = default_port(endpoint);
    }
    return endpoint;
}

base::Result<ResolvedDaemon> from_context(const DockerEnvironment& env, const std::string& name,
                                          const std::string& how) {
    ResolvedDaemon resolved;
    resolved.context = name;
    resolved.source = "context " + name + " (" + how + ")";
    if (name == "default") {
        resolved.endpoint.path = std::string(k_default_docker_socket);
        return resolved;
    }
    const std::string where = "context " + name;
    const std::string store = docker_config_dir(env) + "/contexts";
    const std::string id = context_store_id(name);
    const std::string meta_path = store + "/meta/" + id + "/meta.json";
    auto meta = read_json_file(meta_path);
    if (!meta.ok()) {
        return meta.error();
    }
    if (!meta->has_value()) {
        return input_error("Docker context \"" + name.substr(0, 256) + "\" (" + how +
                               ") was not found: no " + meta_path,
                           where);
    }
    const nlohmann::json* docker = member(**meta, "Endpoints");
    docker = docker == nullptr ? nullptr : member(*docker, "docker");
    const nlohmann::json* host = docker == nullptr ? nullptr : member(*docker, "Host");
    if (host == nullptr || !host->is_string()) {
        return input_error(meta_path + " has no Endpoints.docker.Host string", where);
    }
    auto endpoint = parse_daemon_host(host->get<std::string>(), where);
    if (!endpoint.ok()) {
        return endpoint.error();
    }
    if (endpoint->kind == DaemonEndpoint::Kind::Tcp) {
        const nlohmann::json* skip = member(*docker, "SkipTLSVerify");
        const bool skip_verify = skip != nullptr && skip->is_boolean() && skip->get<bool>();
        const std::string tls_dir = store + "/tls/" + id + "/docker";
        const bool has_ca = is_regular_file(tls_dir + "/ca.pem");
        const bool has_pair =
            is_regular_file(tls_dir + "/cert.pem") && is_regular_file(tls_dir + "/key.pem");
        if (has_ca || has_pair || skip_verify) {
            endpoint->tls = true;
            endpoint->tls_verify = !skip_verify;
            if (has_ca) {
                endpoint->tls_files.ca = tls_dir + "/ca.pem";
            }
            if (has_pair) {
                endpoint->tls_files.cert = tls_dir + "/cert.pem";
                endpoint->tls_files.key = tls_dir + "/key.pem";
            }
        }
        if (endpoint->port.empty()) {
            endpoint->port = default_port(*endpoint);
        }
    }
    resolved.endpoint = std::move(*endpoint);
    return resolved;
}

}  // namespace

DockerEnvironment docker_environment(std::string explicit_host, std::string explicit_host_source) {
    DockerEnvironment env;
    env.explicit_host = std::move(explicit_host);
    env.explicit_host_source = std::move(explicit_host_source);
    env.docker_host = env_value("DOCKER_HOST");
    env.docker_context = env_value("DOCKER_CONTEXT");
    env.tls_verify = env_value("DOCKER_TLS_VERIFY");
    env.cert_path = env_value("DOCKER_CERT_PATH");
    env.config_dir = env_value("DOCKER_CONFIG");
    env.home = env_value("HOME").value_or("");
    return env;
}

std::string docker_config_dir(const DockerEnvironment& env) {
    if (env.config_dir.has_value() && !env.config_dir->empty()) {
        return *env.config_dir;
    }
    return (env.home.empty() ? std::string("/root") : env.home) + "/.docker";
}

std::string context_store_id(std::string_view name) {
    return base::sha256_hex(name);
}

base::Result<ResolvedDaemon> resolve_daemon(const DockerEnvironment& env) {
    if (!env.explicit_host.empty() || (env.docker_host && !env.docker_host->empty())) {
        const bool explicit_host = !env.explicit_host.empty();
        const std::string where = explicit_host ? env.explicit_host_source : "DOCKER_HOST";
        auto endpoint =
            parse_daemon_host(explicit_host ? env.explicit_host : *env.docker_host, where);
        if (!endpoint.ok()) {
            return endpoint.error();
        }
        auto with_tls = with_env_tls(std::move(*endpoint), env);
        if (!with_tls.ok()) {
            return with_tls.error();
        }
        return ResolvedDaemon{std::move(*with_tls), explicit_host ? where : "$DOCKER_HOST", ""};
    }
    if (env.docker_context && !env.docker_context->empty()) {
        return from_context(env, *env.docker_context, "$DOCKER_CONTEXT");
    }
    const std::string config_path = docker_config_dir(env) + "/config.json";
    auto config = read_json_file(config_path);
    if (!config.ok()) {
        return config.error();
    }
    if (config->has_value()) {
        const nlohmann::json* current = member(**config, "currentContext");
        if (current != nullptr && current->is_string() && !current->get<std::string>().empty()) {
            return from_context(env, current->get<std::string>(),
                                "currentContext in " + config_path);
        }
    }
    ResolvedDaemon resolved;
    resolved.endpoint.path = std::string(k_default_docker_socket);
    resolved.source = "default";
    return resolved;
}

}  // namespace kfrun::docker
