#include "docker/registry_credential_store.hpp"

#include <cstdlib>
#include <fstream>
#include <system_error>

namespace kfrun::docker {

RegistryCredentialStore::RegistryCredentialStore(std::filesystem::path config_dir,
                                                 HelperLimits limits)
    : m_config_dir(std::move(config_dir)), m_limits(limits) {}

std::filesystem::path RegistryCredentialStore::default_config_dir() {
    if (const char* dir = std::getenv("DOCKER_CONFIG"); dir != nullptr && *dir != '\0') {
        return dir;
    }
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home != nullptr && *home != '\0' ? home : "/root") / ".docker";
}

CredentialLookup RegistryCredentialStore::lookup(std::string_view registry) const {
    CredentialLookup found;
    const std::filesystem::path file = config_file();
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
        return found;
    }
    const auto size = std::filesystem::file_size(file, error);
    if (error || size > k_max_docker_config_bytes) {
        found.warnings.push_back("registry credentials: " + file.string() +
                                 (error ? " cannot be read" : " is larger than 4 MiB") +
                                 "; pulling without credentials");
        return found;
    }
    std::ifstream in(file, std::ios::binary);
    std::string text(static_cast<std::size_t>(size), '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(text.size()))) {
        found.warnings.push_back("registry credentials: " + file.string() +
                                 " cannot be read; pulling without credentials");
        return found;
    }
    auto config = parse_docker_config(text, file.string());
    if (!config.ok()) {
        found.warnings.push_back("registry credentials: " + config.error().to_string() +
                                 "; pulling without credentials");
        return found;
    }
    for (std::string& warning : config->warnings) {
        found.warnings.push_back("registry credentials: " + warning);
    }
    const std::string key = registry_key(registry);
    const auto from_file = find_auths_entry(*config, key);
    const std::string helper = helper_for(*config, key);
    if (!helper.empty()) {
        const std::string program = "docker-credential-" + helper;
        if (!valid_helper_name(helper)) {
            found.warnings.push_back("registry credentials: the credential helper name in " +
                                     file.string() + " is not a plain name; ignored");
        } else {
            auto answer = run_credential_helper(program, "get", key, m_limits);
            auto reply = answer.ok()
                             ? parse_helper_reply(answer->output, answer->exit_status, helper)
                             : base::Result<std::optional<RegistryCredentials>>(answer.error());
            if (reply.ok()) {
                found.credentials = std::move(*reply);
                found.source = program;
                return found;
            }
            found.warnings.push_back("registry credentials: the credential helper " + program +
                                     " (for " + std::string(registry) +
                                     ") failed: " + reply.error().message);
        }
    }
    if (from_file && !from_file->empty()) {
        found.credentials = from_file;
        found.source = file.string();
    }
    return found;
}

}  // namespace kfrun::docker
