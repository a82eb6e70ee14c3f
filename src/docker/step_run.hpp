#pragma once
// StepRun: one run_step call, from staging the inputs to removing the container.
//
//   stage inputs -> create -> open wait(next-exit) -> start -> follow logs -> read the wait
//   -> inspect (OOMKilled) -> collect outputs -> remove the container and the scratch dir
//
// Deadline and cancellation: every stream read waits at most `poll_interval`, then the step
// checks its deadline and cancel token. The first trigger kills the container (SIGKILL); the
// logs and the wait then end by themselves. If they do not within `kill_grace`, the step stops
// waiting for them. A scope guard removes the container on every path out.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "docker/container_config.hpp"
#include "docker/docker_client.hpp"
#include "docker/docker_runtime.hpp"
#include "engine/artifact_store.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::docker {

class StepRun {
  public:
    struct Timing {
        Millis poll_interval;
        Millis kill_grace;
    };

    StepRun(const DockerClient& client, engine::ArtifactStore& store, const RunSnapshot& run,
            const engine::StepSpec& spec, engine::StepObserver& observer,
            const engine::CancelToken& cancel, Timing timing);

    base::Result<engine::StepOutcome> run();

  private:
    using Clock = std::chrono::steady_clock;
    enum class Stop { None, Deadline, Cancelled };

    base::Result<std::vector<InputBind>> stage_inputs();
    base::Result<void> create_container();
    // Start, logs and wait; fills the outcome's end, exit code, message and tails.
    base::Result<void> execute();
    void start_failed(const base::Error& error);
    // Reads `stream` to its end, polling the stop triggers between pieces. False when the
    // step gave up on it (the kill grace ran out).
    base::Result<bool> drain(ResponseStream& stream,
                             const std::function<base::Result<void>(std::string_view)>& on_data);
    // Which trigger has fired, if any (no side effects).
    Stop fired() const;
    // Kills the container at the first trigger; true once the kill grace has run out.
    bool poll_stop();
    void collect_outputs();
    // Removes the container (unless kept) and the step's scratch dir; notes failures.
    void cleanup();

    const DockerClient& m_client;
    engine::ArtifactStore& m_store;
    const RunSnapshot& m_run;
    const engine::StepSpec& m_spec;
    engine::StepObserver& m_observer;
    const engine::CancelToken& m_cancel;
    Timing m_timing;

    std::filesystem::path m_scratch;  // <scratch_dir>/<container_name>
    std::string m_id;
    Stop m_stop = Stop::None;
    std::optional<Clock::time_point> m_give_up_at;  // set by the kill
    std::string m_kill_problem;
    engine::StepOutcome m_outcome;
};

}  // namespace kfrun::docker
