#pragma once
// DockerRuntime: engine::ContainerRuntime over the Docker Engine API.
//
// Threading: run_step may be called from many threads at once. The client is stateless, the run
// state (context, sandbox Id) sits behind a mutex and is copied at the start of each step, and
// each step runs on its caller's thread: it reads its log stream in short slices and checks the
// deadline and the cancel token between them, so no thread is started per step.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "docker/container_reaper.hpp"
#include "docker/docker_client.hpp"
#include "docker/image_puller.hpp"
#include "docker/output_reader.hpp"
#include "docker/sub_path_staging.hpp"
#include "engine/artifact_store.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::docker {

// The label every container and sandbox of a run carries: org.kfrun.run=<run id>. Volumes
// carrying it are removed by end_run, unless they also carry org.kfrun.keep=true.
inline constexpr const char* k_run_label = "org.kfrun.run";
inline constexpr const char* k_keep_label = "org.kfrun.keep";
// What a container is: "step" (a main container), "init", "sidecar", "pod" (a step's own
// network sandbox), "sandbox" (the run's, Pod mode), "copy" (copy_volume), "probe" (GPUs).
inline constexpr const char* k_role_label = "org.kfrun.role";

struct DockerRuntimeConfig {
    DockerConfig docker;
    std::string pause_image;  // the sandbox image; empty: default_pause_image()
    // How often a running step checks its deadline and cancel token.
    Millis poll_interval{50};
    // After a kill, how long to wait for the exit before giving up on the container.
    Millis kill_grace{10'000};
    // Sidecars get SIGTERM when the main container has exited, SIGKILL this much later.
    Millis sidecar_stop_grace{2'000};
    // Read a stopped step's outputs from its overlay2 layers when that is certain to give what
    // the container saw (OverlayView), and those under the step's input mounts from kfrun's
    // staged host folders (InputFolderView); false: always through GET /archive.
    bool read_outputs_from_layers = true;
    // Where a step's checked sub-paths are bind-mounted for Docker (SubPathStaging).
    std::filesystem::path sub_path_staging_dir = k_default_sub_path_staging_dir;
    // Where pulls find registry credentials; null: pulls send none.
    std::shared_ptr<const RegistryCredentialStore> registry_credentials;
};

// What a step sees of the run (copied under the lock when the step starts).
struct RunSnapshot {
    engine::RunContext context;
    std::string sandbox_id;      // NetworkMode::Pod only, once ensure_sandbox started it
    std::string pause_image_id;  // set for steps that need a pod sandbox of their own
    ContainerReaper* reaper = nullptr;  // removes step containers off the step's critical path
    bool layer_reads = false;           // outputs may be read from the layers (OutputReader)
    bool input_folder_reads = false;    // ... and from the step's staged input folders
    OutputReadCounters* output_counters = nullptr;
    std::filesystem::path sub_path_staging_dir;  // DockerRuntimeConfig's
};

class DockerRuntime : public engine::ContainerRuntime {
  public:
    // Connects to the daemon (ping + version negotiation).
    static base::Result<std::unique_ptr<DockerRuntime>> open(DockerRuntimeConfig config,
                                                             engine::ArtifactStore& store);
    DockerRuntime(DockerClient client, DockerRuntimeConfig config, engine::ArtifactStore& store);
    ~DockerRuntime() override;

    base::Result<engine::ImageInfo> resolve_image(const std::string& reference,
                                                  engine::PullPolicy policy,
                                                  const engine::PullListener& on_progress) override;
    base::Result<void> begin_run(const engine::RunContext& context) override;
    base::Result<engine::StepOutcome> run_step(const engine::StepSpec& spec,
                                               engine::StepObserver& observer,
                                               const engine::CancelToken& cancel) override;
    base::Result<void> end_run() override;

    // Volumes (docker_runtime_volumes.cpp).
    base::Result<void> create_volume(const std::string& name,
                                     const std::map<std::string, std::string>& labels) override;
    base::Result<void> remove_volume(const std::string& name) override;
    base::Result<std::optional<std::map<std::string, std::string>>> volume_labels(
        const std::string& name) override;
    // There is no copy API, and the only image kfrun can count on is its pause image (one
    // static binary, no cp): two created (never started) pause containers mount `from` at
    // /from (read-only) and `to` at /to, and GET /archive?path=/from/. is streamed straight
    // into PUT /archive?path=/to. Two containers, because the daemon holds a container's lock
    // while its archive is read and a PUT on the same container waits for that lock. `to` is
    // created (without labels) when missing: call create_volume first to label it.
    base::Result<void> copy_volume(const std::string& from, const std::string& to) override;
    // A test start of a pause container with a GPU device request, once per runtime: a 500
    // "could not select device driver" means no. Other failures are errors (not cached).
    base::Result<bool> gpus_available() override;

    const DockerClient& client() const { return m_client; }
    // The sandbox container's Id while a Pod-mode run is active and its first step has started
    // ("" otherwise: the sandbox is made lazily, so a run whose steps all come from the cache
    // creates no container).
    std::string sandbox_id() const;
    // The run's sandbox, started now if no step has started it yet (Pod mode only). A failure
    // is remembered: every later step of the run gets the same error without another attempt.
    base::Result<std::string> ensure_sandbox();
    const std::string& pause_image() const { return m_config.pause_image; }
    // The error of the last end_run, if its cleanup did not finish (the daemon went away):
    // something of the run may be left for the owner sweep.
    std::optional<base::Error> cleanup_error() const;
    // How this runtime's steps had their outputs read so far.
    const OutputReadCounters& output_reads() const { return m_output_reads; }
    // Pulls this runtime sent to the daemon (concurrent asks for one image are one pull).
    int pulls_started() const { return m_puller.pulls_started(); }

  private:
    // The pause image's Id, importing it when it is not present (cached).
    base::Result<std::string> ensure_pause_image();
    base::Result<std::string> start_sandbox(const engine::RunContext& context);
    // Removes the run's containers (except kept steps); the first failure is returned.
    base::Result<void> remove_labelled(const std::string& run_id, bool keep_steps);
    // Removes the run's volumes, except those labelled org.kfrun.keep=true.
    base::Result<void> remove_run_volumes(const std::string& run_id, bool keep_containers);
    // Labels for a helper container (copy, probe): the run's when one is active.
    std::map<std::string, std::string> helper_labels(const std::string& role) const;

    DockerClient m_client;
    DockerRuntimeConfig m_config;
    engine::ArtifactStore& m_store;
    mutable std::mutex m_mutex;
    std::optional<RunSnapshot> m_run;  // between begin_run and end_run
    // Held while the sandbox starts, so that it starts once; taken before m_mutex and
    // m_pause_mutex, never after them.
    std::mutex m_sandbox_mutex;
    std::optional<base::Error> m_sandbox_error;  // the sandbox of this run could not start
    std::mutex m_pause_mutex;                    // taken after m_mutex, never before
    std::string m_pause_image_id;
    std::mutex m_gpu_mutex;  // held during the probe, so that it runs once
    std::optional<bool> m_gpus;
    bool m_layer_reads = false;  // the config allows it and the kernel's overlayfs is plain
    OutputReadCounters m_output_reads;
    std::optional<base::Error> m_cleanup_error;  // under m_mutex
    ContainerReaper m_reaper{m_client};  // after m_client: destroyed (drained) before it
    ImagePuller m_puller{m_client, m_config.registry_credentials};  // after both
};

}  // namespace kfrun::docker
