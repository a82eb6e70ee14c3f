#pragma once
// DockerRuntime: engine::ContainerRuntime over the Docker Engine API.
//
// Threading: run_step may be called from many threads at once. The client is stateless, the run
// state (context, sandbox Id) sits behind a mutex and is copied at the start of each step, and
// each step runs on its caller's thread: it reads its log stream in short slices and checks the
// deadline and the cancel token between them, so no thread is started per step.
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "docker/docker_client.hpp"
#include "engine/artifact_store.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::docker {

// The label every container, volume and sandbox of a run carries: org.kfrun.run=<run id>.
inline constexpr const char* k_run_label = "org.kfrun.run";
inline constexpr const char* k_role_label = "org.kfrun.role";  // "step" or "sandbox"

struct DockerRuntimeConfig {
    DockerConfig docker;
    std::string pause_image;  // the sandbox image; empty: default_pause_image()
    // How often a running step checks its deadline and cancel token.
    Millis poll_interval{50};
    // After a kill, how long to wait for the exit before giving up on the container.
    Millis kill_grace{10'000};
};

// What a step sees of the run (copied under the lock when the step starts).
struct RunSnapshot {
    engine::RunContext context;
    std::string sandbox_id;  // NetworkMode::Pod only
};

class DockerRuntime : public engine::ContainerRuntime {
  public:
    // Connects to the daemon (ping + version negotiation).
    static base::Result<std::unique_ptr<DockerRuntime>> open(DockerRuntimeConfig config,
                                                             engine::ArtifactStore& store);
    DockerRuntime(DockerClient client, DockerRuntimeConfig config, engine::ArtifactStore& store);
    ~DockerRuntime() override;

    base::Result<engine::ImageInfo> resolve_image(const std::string& reference,
                                                  engine::PullPolicy policy) override;
    base::Result<void> begin_run(const engine::RunContext& context) override;
    base::Result<engine::StepOutcome> run_step(const engine::StepSpec& spec,
                                               engine::StepObserver& observer,
                                               const engine::CancelToken& cancel) override;
    base::Result<void> end_run() override;

    const DockerClient& client() const { return m_client; }
    // The sandbox container's Id while a Pod-mode run is active ("" otherwise).
    std::string sandbox_id() const;
    const std::string& pause_image() const { return m_config.pause_image; }

  private:
    // The pause image's Id, importing it when it is not present.
    base::Result<std::string> ensure_pause_image();
    base::Result<std::string> start_sandbox(const engine::RunContext& context);
    // Removes the run's containers (except kept steps); the first failure is returned.
    base::Result<void> remove_labelled(const std::string& run_id, bool keep_steps);

    DockerClient m_client;
    DockerRuntimeConfig m_config;
    engine::ArtifactStore& m_store;
    mutable std::mutex m_mutex;
    std::optional<RunSnapshot> m_run;  // between begin_run and end_run
};

}  // namespace kfrun::docker
