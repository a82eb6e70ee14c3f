// StepRun: the containers beside the main one (init containers, sidecars, the step's own pod).
#include "base/strings.hpp"
#include "docker/docker_error.hpp"
#include "docker/host_path_check.hpp"
#include "docker/pause_container.hpp"
#include "docker/scope_guard.hpp"
#include "docker/step_run.hpp"
#include "docker/sub_path.hpp"

namespace kfrun::docker {
namespace {

using engine::StepEnd;

Millis elapsed_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start);
}

}  // namespace

base::Result<void> StepRun::start_pod() {
    PauseContainerSpec pod;
    pod.image_id = m_run.pause_image_id;
    pod.name = m_spec.container_name + "-pod";
    pod.labels = m_run.context.labels;
    for (const auto& [key, value] : m_spec.labels) {
        pod.labels[key] = value;
    }
    pod.labels[k_run_label] = m_run.context.run_id;
    pod.labels[k_role_label] = "pod";
    pod.network_mode = docker_network_mode(m_run.context.network, {});
    if (pod.image_id.empty()) {
        return base::make_error(base::ErrorKind::Internal, "no pause image for the step's pod",
                                log_label());
    }
    auto id = start_pause_container(m_client, pod);
    if (!id.ok()) {
        return id.error();
    }
    m_pod_id = std::move(*id);
    return {};
}

base::Result<bool> StepRun::run_init_containers() {
    for (const auto& aux : m_spec.init_containers) {
        if (const Stop stop = fired(); stop != Stop::None) {
            stopped_before(stop, "init container " + aux.name + " started");
            return false;
        }
        auto done = run_init(aux);
        if (!done.ok() || !*done) {
            return done;
        }
    }
    return true;
}

base::Result<bool> StepRun::run_init(const engine::AuxContainer& aux) {
    auto spec = aux_step_spec(m_spec, aux, AuxRole::Init);
    std::vector<InputBind> copies;
    auto mounts = prepare_mounts(spec.mounts, log_label() + ", init container " + aux.name, &copies);
    if (!mounts.ok()) {
        return mounts.error();
    }
    spec.mounts = std::move(*mounts);
    // The step's inputs, as its mounts, only with mirrorVolumeMounts (Argo stages them on volumes
    // of the main container, which an init container sees only when it mirrors them).
    auto body = create_body(spec, "init", aux.mirror_volume_mounts, false);
    if (!body.ok()) {
        return body.error();
    }
    auto id = m_client.create_container(spec.container_name, *body);
    if (!id.ok()) {
        if (!http_status(id.error())) {
            static_cast<void>(m_client.remove_container(spec.container_name));
        }
        return id.error();
    }
    // Removed as soon as it is done (by cleanup() if the step ends first).
    m_init_ids.push_back(*id);
    ScopeGuard remove([this, &id] {
        if (!m_run.context.keep_containers) {
            if (auto removed = m_client.remove_container(*id, true, true); removed.ok()) {
                m_init_ids.pop_back();
            }
        }
    });
    KFRUN_TRY(copy_in(*id, copies, aux.mirror_volume_mounts));

    const std::string prefix = "[init:" + aux.name + "] ";
    ContainerSession session(
        m_client, *id, [this, &prefix](OutputStream stream, std::string_view line) {
            m_observer.on_log_line(engine_stream(stream), prefix + std::string(line));
        });
    KFRUN_TRY(session.open_wait());
    if (auto started = session.start(); !started.ok()) {
        if (http_status(started.error()) != 400u) {
            return started.error();
        }
        m_outcome.end = StepEnd::InitFailed;
        m_outcome.exit_code = 127;
        if (auto details = m_client.inspect_container(*id);
            details.ok() && details->state.exit_code != 0) {
            m_outcome.exit_code = details->state.exit_code;
        }
        m_outcome.message =
            "init container " + aux.name + " could not start: " + started.error().message;
        return false;
    }
    session.follow_logs();
    follow_to_exit(session);
    auto ended = conclude(session, "init container " + aux.name);
    if (!ended.ok()) {
        return ended.error();
    }
    if (m_stop == Stop::None && ended->exit_code == 0) {
        return true;
    }
    m_outcome.exit_code = ended->exit_code;
    m_outcome.oom_killed = ended->oom_killed;
    // The tail with the lines prefixed as the observer saw them.
    std::string tail = session.logs().log_tail();
    m_outcome.log_tail.clear();
    if (!tail.empty()) {
        tail.pop_back();  // every line ends in '\n'
        for (const auto& line : base::split(tail, '\n')) {
            m_outcome.log_tail += prefix + line + "\n";
        }
    }
    std::vector<std::string> notes;
    switch (m_stop) {
        case Stop::None:
            m_outcome.end = StepEnd::InitFailed;
            notes.push_back("init container " + aux.name + " exited with code " +
                            std::to_string(ended->exit_code));
            break;
        case Stop::Deadline:
            m_outcome.end = StepEnd::DeadlineExceeded;
            notes.push_back("the step ran past its deadline while init container " + aux.name +
                            " ran; it was killed");
            break;
        case Stop::Cancelled:
            m_outcome.end = StepEnd::Cancelled;
            notes.push_back("cancelled while init container " + aux.name +
                            " ran: " + m_cancel.reason());
            break;
    }
    if (ended->oom_killed) {
        notes.push_back("it ran out of memory (OOMKilled)");
    }
    if (!session.log_problem().empty()) {
        notes.push_back("its log stream failed: " + session.log_problem());
    }
    if (!m_kill_problem.empty()) {
        notes.push_back("killing it failed: " + m_kill_problem);
    }
    m_outcome.message = base::join(notes, "; ");
    return false;
}

void StepRun::start_sidecars() {
    if (m_spec.sidecars.empty()) {
        return;
    }
    Sidecars::Timing timing;
    timing.term_grace = m_timing.sidecar_term_grace;
    timing.kill_grace = m_timing.kill_grace;
    m_sidecars = std::make_unique<Sidecars>(m_client, m_observer, timing);
    for (const auto& aux : m_spec.sidecars) {
        auto spec = aux_step_spec(m_spec, aux, AuxRole::Sidecar);
        auto body = [&]() -> base::Result<std::string> {
            auto mounts =
                prepare_mounts(spec.mounts, log_label() + ", sidecar " + aux.name, nullptr);
            if (!mounts.ok()) {
                return mounts.error();
            }
            spec.mounts = std::move(*mounts);
            return create_body(spec, "sidecar", false, true);
        }();
        m_sidecars->start(aux.name, spec.container_name, body);
    }
}

void StepRun::stop_sidecars() {
    if (m_sidecars) {
        const auto started = Clock::now();
        m_sidecars->stop();
        m_sidecar_stop_time += elapsed_since(started);
    }
}

}  // namespace kfrun::docker
