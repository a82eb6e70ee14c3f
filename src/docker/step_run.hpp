#pragma once
// StepRun: one run_step call, from staging the inputs to removing the containers.
//
//   stage inputs, resolve sub-path mounts -> [a per-step pod sandbox] -> init containers, one
//   after another -> start the sidecars -> create the main container -> open wait(next-exit)
//   -> start -> follow logs (and the sidecars') -> read the wait -> inspect (OOMKilled)
//   -> stop the sidecars -> collect outputs -> remove the containers and the scratch dir
//
// Network: all containers of a step share the main container's network namespace. In Pod mode
// that is the run's sandbox; in Bridge and None mode a step with sidecars gets its own pause
// container ("<container>-pod") for them to join; Host mode uses the host's network.
//
// Deadline and cancellation: every stream read waits at most `poll_interval`, then the step
// checks its deadline and cancel token. The first trigger kills the container that is running
// (an init container or the main one; SIGKILL); its log and wait then end by themselves. If
// they do not within `kill_grace`, the step stops waiting for them. A scope guard removes every
// container of the step on every path out.
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "docker/container_config.hpp"
#include "docker/container_session.hpp"
#include "docker/docker_client.hpp"
#include "docker/docker_runtime.hpp"
#include "docker/sidecars.hpp"
#include "docker/sub_path_staging.hpp"
#include "engine/artifact_store.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::docker {

class StepRun {
  public:
    struct Timing {
        Millis poll_interval;
        Millis kill_grace;
        Millis sidecar_term_grace;
    };

    StepRun(const DockerClient& client, engine::ArtifactStore& store, const RunSnapshot& run,
            const engine::StepSpec& spec, engine::StepObserver& observer,
            const engine::CancelToken& cancel, Timing timing);
    ~StepRun();

    base::Result<engine::StepOutcome> run();

    // Whether a step in `mode` needs a pod sandbox of its own (and so the pause image).
    static bool needs_own_pod(engine::NetworkMode mode, const engine::StepSpec& spec);

  private:
    using Clock = std::chrono::steady_clock;
    enum class Stop { None, Deadline, Cancelled };
    struct Ended {
        int exit_code = -1;
        bool oom_killed = false;
        std::string daemon_error;  // the wait's Error.Message
        ContainerDetails details;  // the inspect after the exit
    };

    // Stages the inputs, resolves the step's mounts and sets up the network (the pod).
    base::Result<void> prepare();
    base::Result<std::vector<InputBind>> stage_inputs();
    // A container's mounts as Docker gets them: hostPaths checked, sub-paths resolved. With a
    // remote daemon, this host's files (secrets, config maps) go to `copies` instead (sent by
    // PUT /archive before the start; nullptr: refused), hostPaths are checked lexically against
    // the grants (they are the daemon's host's paths) and sub-paths are refused.
    base::Result<std::vector<engine::VolumeMount>> prepare_mounts(
        std::vector<engine::VolumeMount> mounts, const std::string& where,
        std::vector<InputBind>* copies);
    // Remote daemon: the inputs (unless `with_inputs` is false) and `copies` into the created
    // container `id`.
    base::Result<void> copy_in(const std::string& id, const std::vector<InputBind>& copies,
                               bool with_inputs = true);
    // The create body of one of the step's containers, with its sub-paths resolved.
    base::Result<std::string> create_body(engine::StepSpec spec, std::string_view role,
                                          bool with_inputs, bool init) const;
    base::Result<void> create_container();
    // Start, logs and wait; fills the outcome's end, exit code, message and tails.
    base::Result<void> execute();
    void start_failed(const base::Error& error);

    // Init containers (step_run_aux.cpp). False when the step is over: an init container
    // failed, or a stop trigger fired; m_outcome says how.
    base::Result<bool> run_init_containers();
    base::Result<bool> run_init(const engine::AuxContainer& aux);
    void start_sidecars();
    base::Result<void> start_pod();

    // Follows `session` to its exit: its log, then its wait, reading the sidecars' logs between
    // slices and polling the stop triggers (a trigger kills `session`'s container).
    void follow_to_exit(ContainerSession& session);
    // Ends the lines, inspects the container; the exit code from the wait, else the inspect.
    base::Result<Ended> conclude(ContainerSession& session, std::string_view what);
    Clock::time_point slice_end() const;
    // Which trigger has fired, if any (no side effects).
    Stop fired() const;
    // Kills container `id` at the first trigger; true once the kill grace has run out.
    bool poll_stop(const std::string& id);
    // The outcome for a step stopped by `stop` before `what` started.
    void stopped_before(Stop stop, const std::string& what);
    void collect_outputs();
    // Stops the sidecars (their time counts as cleanup).
    void stop_sidecars();
    // Removes the containers (unless kept) and the step's scratch dir; notes failures.
    void cleanup();
    std::string log_label() const;

    const DockerClient& m_client;
    engine::ArtifactStore& m_store;
    const RunSnapshot& m_run;
    const engine::StepSpec& m_spec;
    engine::StepObserver& m_observer;
    const engine::CancelToken& m_cancel;
    Timing m_timing;
    SubPathStaging m_staging;  // the step's sub-path bind mounts, released by cleanup()

    std::filesystem::path m_scratch;  // <scratch_dir>/<container_name>
    std::vector<InputBind> m_inputs;
    std::vector<InputBind> m_copies;  // remote daemon: this host's bind sources, sent by archive
    bool m_remote = false;            // the daemon is not on this host (DockerClient::remote)
    std::vector<engine::VolumeMount> m_mounts;  // the step's, sub-paths resolved
    std::string m_network_mode;
    std::string m_pod_id;                 // the step's own sandbox, when it has one
    std::vector<std::string> m_init_ids;  // init containers not yet removed
    std::unique_ptr<Sidecars> m_sidecars;
    std::string m_id;
    std::optional<ContainerDetails> m_stopped;  // the main container's inspect after its exit
    Stop m_stop = Stop::None;
    std::optional<Clock::time_point> m_give_up_at;  // set by the kill
    std::string m_kill_problem;
    Millis m_sidecar_stop_time{0};
    engine::StepOutcome m_outcome;
};

}  // namespace kfrun::docker
