#pragma once
// ImagePuller: POST /images/create for DockerRuntime, once per image at a time (callers that
// ask while a pull of the same name runs wait for it and share its result), with the registry's
// credentials (RegistryCredentialStore → X-Registry-Auth) and progress events (throttled).
#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "docker/docker_client.hpp"
#include "docker/registry_credential_store.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::docker {

class ImagePuller {
  public:
    ImagePuller(const DockerClient& client,
                std::shared_ptr<const RegistryCredentialStore> credentials)
        : m_client(client), m_credentials(std::move(credentials)) {}

    struct Outcome {
        base::Result<void> result;
        std::vector<std::string> warnings;  // credential lookup warnings (no secrets)
    };
    // Pulls `name` (with a tag). `image` is what events call it. Thread-safe.
    Outcome pull(const std::string& name, const std::string& image,
                 const engine::PullListener& on_progress);
    // Pulls that went to the daemon (joined waits not counted).
    int pulls_started() const { return m_started.load(); }
    // Callers that found a pull of their image running and waited for it.
    int pulls_joined() const { return m_joined.load(); }

    // A pull failure's message with what to do when the registry wants credentials (pure).
    static std::string explain_failure(const std::string& docker_message,
                                       const std::string& registry, bool had_credentials,
                                       const std::string& source,
                                       const std::string& config_file);

  private:
    Outcome pull_now(const std::string& name, const std::string& image,
                     const engine::PullListener& on_progress);

    const DockerClient& m_client;
    std::shared_ptr<const RegistryCredentialStore> m_credentials;
    std::mutex m_mutex;
    std::map<std::string, std::shared_future<Outcome>> m_in_flight;
    std::atomic<int> m_started{0};
    std::atomic<int> m_joined{0};
};

}  // namespace kfrun::docker
