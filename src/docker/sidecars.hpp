#pragma once
// Sidecars: a step's sidecar containers, with Kubernetes' semantics as Argo runs them. They
// are started after the init containers and before the main container, in its network
// namespace (they reach each other on localhost); their log lines go to the observer prefixed
// "[sidecar:<name>] "; when the main container has exited they are stopped (SIGTERM, SIGKILL
// after a grace: they run with Init so that PID 1 forwards the SIGTERM) and removed.
//
// A sidecar never fails the step (Argo ignores them): a failed create or start, an exit while
// the step runs, or a stop that does not work is noted in the log as a
// "[sidecar:<name>] kfrun: ..." line on stderr, and the step goes on.
//
// Not thread-safe: owned by one StepRun and driven on its thread, between the main container's
// read slices (pump), so no thread is started.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "docker/container_session.hpp"
#include "docker/docker_client.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::docker {

class Sidecars {
  public:
    using Clock = std::chrono::steady_clock;

    struct Timing {
        Millis term_grace{2'000};   // SIGTERM -> SIGKILL
        Millis kill_grace{10'000};  // SIGKILL -> give up on the container
        Millis slice{2};            // how long pump() waits on each stream
    };

    Sidecars(const DockerClient& client, engine::StepObserver& observer, Timing timing);
    Sidecars(const Sidecars&) = delete;
    Sidecars& operator=(const Sidecars&) = delete;

    // Creates one sidecar from `body` (its create JSON) and starts it. Every failure, including
    // a `body` that could not be made, is only noted.
    void start(const std::string& name, const std::string& container_name,
               const base::Result<std::string>& body);

    // Reads what the running sidecars logged (at most `slice` per stream) and notes the ones
    // that exited.
    void pump();
    // Stops the running sidecars (SIGTERM, then SIGKILL after term_grace), reads their logs to
    // the end and catches up on the records the follow missed.
    void stop();
    // Removes the containers (unless `keep`, which leaves them stopped). Problems, if any.
    std::vector<std::string> remove(bool keep);

    std::size_t size() const { return m_sidecars.size(); }

  private:
    struct Sidecar {
        std::string name;
        std::string id;                             // "" when the create failed
        std::unique_ptr<ContainerSession> session;  // null when not started
        bool exited = false;                        // the wait answered (or failed)
        bool log_done = false;                      // the followed log ended
    };

    void note(const std::string& name, const std::string& text);
    void on_exit(Sidecar& sidecar);
    bool any_running() const;
    // pump() until no sidecar runs or `deadline` passes.
    void pump_until(Clock::time_point deadline);

    const DockerClient& m_client;
    engine::StepObserver& m_observer;
    Timing m_timing;
    std::vector<Sidecar> m_sidecars;
    bool m_stopping = false;
};

}  // namespace kfrun::docker
