#pragma once
// RegistryCredentialStore: the credentials the docker CLI would use for a registry, read when a
// pull needs them: $DOCKER_CONFIG/config.json (else ~/.docker/config.json) — its `auths`, and
// the credential helper that `credHelpers` or `credsStore` names. A missing or failing helper
// and a garbage file are warnings, never fatal: the pull then goes without credentials.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docker/credential_helper.hpp"
#include "docker/registry_auth.hpp"

namespace kfrun::docker {

struct CredentialLookup {
    std::optional<RegistryCredentials> credentials;
    std::string source;  // where they came from: "…/config.json", "docker-credential-pass"
    std::vector<std::string> warnings;
};

class RegistryCredentialStore {
  public:
    explicit RegistryCredentialStore(std::filesystem::path config_dir, HelperLimits limits = {});
    // $DOCKER_CONFIG when set, else $HOME/.docker (the HOME of the user running kfrun).
    static std::filesystem::path default_config_dir();

    // Credentials for a registry host ("docker.io", "127.0.0.1:5000", "gcr.io").
    CredentialLookup lookup(std::string_view registry) const;
    std::filesystem::path config_file() const { return m_config_dir / "config.json"; }

  private:
    std::filesystem::path m_config_dir;
    HelperLimits m_limits;
};

}  // namespace kfrun::docker
