#pragma once
// Registry credentials as the docker CLI finds them (pure parts): the registry of an image
// reference, the key it has in config.json, the config file's `auths`/`credsStore`/
// `credHelpers`, a credential helper's answer, and the X-Registry-Auth header of a pull.
// Everything here treats its input as hostile (bounded, never throws). Secrets never appear in
// an error message or warning made here.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "docker/path_stat.hpp"  // decode_base64

namespace kfrun::docker {

// Docker Hub's key in config.json and for credential helpers.
inline constexpr std::string_view k_docker_hub_key = "https://index.docker.io/v1/";

struct RegistryCredentials {
    std::string username;
    std::string password;
    std::string identity_token;  // an OAuth refresh token instead of a password
    std::string server_address;  // as the config or helper named the registry
    bool empty() const { return username.empty() && password.empty() && identity_token.empty(); }
};

// The registry host of an image reference, as Docker splits it: the first path component when
// it has a '.' or ':', a capital letter, or is "localhost" (and there is a second one), else
// Docker Hub ("docker.io"). Hub's other spellings (index.docker.io, registry-1.docker.io)
// become "docker.io".
std::string registry_of_image(std::string_view reference);
bool is_docker_hub(std::string_view registry);
// The key the docker CLI looks up for a registry host: k_docker_hub_key for Hub, else the host.
std::string registry_key(std::string_view registry);
// A config key or URL reduced to host[:port]: scheme and path stripped (docker/cli's
// ConvertToHostname).
std::string registry_hostname(std::string_view key_or_url);

// What config.json says about credentials.
struct DockerCredentialConfig {
    std::map<std::string, RegistryCredentials> auths;  // key as written
    std::string creds_store;                           // "desktop", "pass", ...
    std::map<std::string, std::string> cred_helpers;   // registry → helper name
    std::vector<std::string> warnings;                 // entries ignored (named by key, not value)
};

inline constexpr std::size_t k_max_docker_config_bytes = 4 * 1024 * 1024;

// Parses config.json's text. Garbage is an error naming `where`; a bad entry is a warning.
base::Result<DockerCredentialConfig> parse_docker_config(std::string_view text,
                                                         const std::string& where);
// The `auths` entry for `key`: the exact key first, then any key whose hostname is `key`'s
// hostname (older files keep "https://host/v1/" URLs).
std::optional<RegistryCredentials> find_auths_entry(const DockerCredentialConfig& config,
                                                    std::string_view key);
// The helper that holds `key`'s credentials: credHelpers (by key, then hostname), else
// credsStore; empty when the file itself holds them.
std::string helper_for(const DockerCredentialConfig& config, std::string_view key);
// A helper name is one path component of letters, digits, '-', '_' and '.'.
bool valid_helper_name(std::string_view name);

// A credential helper's `get` answer: {"ServerURL","Username","Secret"}. nullopt when it has
// none (exit status non-zero with "credentials not found"). Other failures are errors whose
// message is the helper's first line (bounded; it is the helper's error text, not a secret).
base::Result<std::optional<RegistryCredentials>> parse_helper_reply(std::string_view output,
                                                                    int exit_status,
                                                                    const std::string& helper);

// The X-Registry-Auth value: base64url of {"username","password","serveraddress"} or
// {"identitytoken","serveraddress"}.
std::string registry_auth_header(const RegistryCredentials& credentials,
                                 std::string_view server_address);

}  // namespace kfrun::docker
