#include "docker/registry_auth.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "base/json_depth.hpp"
#include "base/json_text.hpp"
#include "base/visible_text.hpp"
#include "docker/json_fields.hpp"

namespace kfrun::docker {
namespace {

constexpr std::size_t k_max_message = 200;

bool has_upper(std::string_view text) {
    return std::any_of(text.begin(), text.end(),
                       [](unsigned char c) { return std::isupper(c) != 0; });
}

std::string encode_base64url(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(bytes.data()),
                                        static_cast<int>(bytes.size()));
    out.resize(written > 0 ? static_cast<std::size_t>(written) : 0);
    for (char& c : out) {
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    }
    return out;
}

// A helper's or file's text shown in a message: first line, bounded, control bytes visible.
std::string short_text(std::string_view text) {
    text = text.substr(0, text.find('\n'));
    std::string out = base::visible_text(text.substr(0, k_max_message));
    return text.size() > k_max_message ? out + "…" : out;
}

}  // namespace

bool is_docker_hub(std::string_view registry) {
    return registry == "docker.io" || registry == "index.docker.io" ||
           registry == "registry-1.docker.io";
}

std::string registry_of_image(std::string_view reference) {
    const std::size_t slash = reference.find('/');
    if (slash == std::string_view::npos) {
        return "docker.io";
    }
    const std::string_view first = reference.substr(0, slash);
    // As the daemon splits it (distribution/reference splitDockerDomain): a '.' or ':', or
    // "localhost", makes a host whatever its case, and so do capitals (a Hub path must be lower
    // case). Anything the daemon pulls from another host must never get Hub's credentials.
    const bool is_host = first.find_first_of(".:") != std::string_view::npos ||
                         first == "localhost" || has_upper(first);
    if (!is_host || is_docker_hub(first)) {
        return "docker.io";
    }
    return std::string(first);
}

std::string registry_key(std::string_view registry) {
    return is_docker_hub(registry) ? std::string(k_docker_hub_key) : std::string(registry);
}

std::string registry_hostname(std::string_view key_or_url) {
    std::string_view rest = key_or_url;
    if (const std::size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
        rest.remove_prefix(scheme + 3);
        // user@host: the credentials part of a URL is not the host
        const std::size_t at = rest.substr(0, rest.find('/')).rfind('@');
        if (at != std::string_view::npos) {
            rest.remove_prefix(at + 1);
        }
    }
    return std::string(rest.substr(0, rest.find('/')));
}

base::Result<DockerCredentialConfig> parse_docker_config(std::string_view text,
                                                         const std::string& where) {
    if (text.size() > k_max_docker_config_bytes) {
        return base::make_error(base::ErrorKind::Input,
                                "the Docker config file is larger than 4 MiB; ignored", where);
    }
    if (!base::json_depth_within_limit(text)) {
        return base::make_error(base::ErrorKind::Input,
                                "the Docker config file nests too deeply; ignored", where);
    }
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return base::make_error(base::ErrorKind::Input,
                                "the Docker config file is not a JSON object; ignored", where);
    }
    using namespace json_fields;
    DockerCredentialConfig config;
    config.creds_store = string_of(json, "credsStore");
    const auto& helpers = member(json, "credHelpers");
    if (helpers.is_object()) {
        for (const auto& [registry, helper] : helpers.items()) {
            if (helper.is_string()) {
                config.cred_helpers[registry] = helper.get<std::string>();
            }
        }
    }
    const auto& auths = member(json, "auths");
    if (!auths.is_object()) {
        return config;
    }
    for (const auto& [key, entry] : auths.items()) {
        RegistryCredentials credentials;
        credentials.server_address = key;
        const std::string auth = string_of(entry, "auth");
        if (!auth.empty()) {
            const auto decoded = decode_base64(auth);
            const std::size_t colon = decoded ? decoded->find(':') : std::string::npos;
            if (colon == std::string::npos) {
                config.warnings.push_back("the `auth` of " + short_text(key) + " in " + where +
                                          " is not base64 of user:password; ignored");
                continue;
            }
            credentials.username = decoded->substr(0, colon);
            credentials.password = decoded->substr(colon + 1);
        } else {
            credentials.username = string_of(entry, "username");
            credentials.password = string_of(entry, "password");
        }
        credentials.identity_token = string_of(entry, "identitytoken");
        config.auths[key] = std::move(credentials);
    }
    return config;
}

std::optional<RegistryCredentials> find_auths_entry(const DockerCredentialConfig& config,
                                                    std::string_view key) {
    if (auto exact = config.auths.find(std::string(key)); exact != config.auths.end()) {
        return exact->second;
    }
    const std::string host = registry_hostname(key);
    for (const auto& [written, credentials] : config.auths) {
        if (registry_hostname(written) == host) {
            return credentials;
        }
    }
    return std::nullopt;
}

std::string helper_for(const DockerCredentialConfig& config, std::string_view key) {
    if (auto exact = config.cred_helpers.find(std::string(key));
        exact != config.cred_helpers.end()) {
        return exact->second;
    }
    const std::string host = registry_hostname(key);
    for (const auto& [registry, helper] : config.cred_helpers) {
        if (registry_hostname(registry) == host) {
            return helper;
        }
    }
    return config.creds_store;
}

bool valid_helper_name(std::string_view name) {
    return !name.empty() && name.size() <= 100 && name != "." && name != ".." &&
           std::all_of(name.begin(), name.end(), [](unsigned char c) {
               return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
           });
}

base::Result<std::optional<RegistryCredentials>> parse_helper_reply(std::string_view output,
                                                                    int exit_status,
                                                                    const std::string& helper) {
    const std::string where = "docker-credential-" + helper + " get";
    if (exit_status != 0) {
        if (output.find("credentials not found") != std::string_view::npos) {
            return std::optional<RegistryCredentials>{};
        }
        return base::make_error(base::ErrorKind::Io,
                                "exited with status " + std::to_string(exit_status) +
                                    (output.empty() ? "" : ": " + short_text(output)),
                                where);
    }
    const auto json = nlohmann::json::parse(output, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        // Never echo this output: it may be a secret in a format we did not expect.
        return base::make_error(base::ErrorKind::Io, "answered something that is not JSON", where);
    }
    using namespace json_fields;
    RegistryCredentials credentials;
    credentials.server_address = string_of(json, "ServerURL");
    const std::string username = string_of(json, "Username");
    const std::string secret = string_of(json, "Secret");
    if (username == "<token>") {
        credentials.identity_token = secret;
    } else {
        credentials.username = username;
        credentials.password = secret;
    }
    if (credentials.empty()) {
        return std::optional<RegistryCredentials>{};
    }
    return std::optional<RegistryCredentials>{std::move(credentials)};
}

std::string registry_auth_header(const RegistryCredentials& credentials,
                                 std::string_view server_address) {
    nlohmann::json body = nlohmann::json::object();
    if (!credentials.identity_token.empty()) {
        body["identitytoken"] = credentials.identity_token;
    } else {
        body["username"] = credentials.username;
        body["password"] = credentials.password;
    }
    body["serveraddress"] = std::string(server_address);
    return encode_base64url(base::json_text(body));
}

}  // namespace kfrun::docker
