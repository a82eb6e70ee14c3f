#include "docker/step_run.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <system_error>

#include "base/strings.hpp"
#include "docker/docker_error.hpp"
#include "docker/output_reader.hpp"
#include "docker/pause_container.hpp"
#include "docker/remote_copy.hpp"
#include "docker/run_owner_labels.hpp"
#include "docker/scope_guard.hpp"
#include "docker/host_path_check.hpp"
#include "docker/sub_path.hpp"

namespace kfrun::docker {
namespace {

using engine::StepEnd;

Millis elapsed_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start);
}

std::string input_leaf(const std::string& container_path) {
    const auto leaf = std::filesystem::path(container_path).lexically_normal().filename();
    return leaf.empty() ? std::string("input") : leaf.string();
}

}  // namespace

StepRun::StepRun(const DockerClient& client, engine::ArtifactStore& store, const RunSnapshot& run,
                 const engine::StepSpec& spec, engine::StepObserver& observer,
                 const engine::CancelToken& cancel, Timing timing)
    : m_client(client),
      m_store(store),
      m_run(run),
      m_spec(spec),
      m_observer(observer),
      m_cancel(cancel),
      m_timing(timing),
      m_staging(run.sub_path_staging_dir,
                run_staging_prefix(run.context.run_id) + spec.container_name),
      m_remote(client.remote()) {}

StepRun::~StepRun() = default;

bool StepRun::needs_own_pod(engine::NetworkMode mode, const engine::StepSpec& spec) {
    return !spec.sidecars.empty() &&
           (mode == engine::NetworkMode::Bridge || mode == engine::NetworkMode::None);
}

std::string StepRun::log_label() const {
    return "step " + (m_spec.display_name.empty() ? m_spec.container_name : m_spec.display_name);
}

base::Result<engine::StepOutcome> StepRun::run() {
    const auto started = Clock::now();
    if (const Stop stop = fired(); stop != Stop::None) {
        stopped_before(stop, "the container was created");
        return m_outcome;
    }
    if (!m_spec.inputs.empty() && m_run.context.scratch_dir.empty()) {
        return base::make_error(base::ErrorKind::Internal,
                                "RunContext.scratch_dir is needed to stage inputs",
                                "step " + m_spec.container_name);
    }
    if (!m_run.context.scratch_dir.empty()) {
        m_scratch = std::filesystem::absolute(m_run.context.scratch_dir) / m_spec.container_name;
    }
    ScopeGuard guard([this] { cleanup(); });
    KFRUN_TRY(prepare());
    auto init_done = run_init_containers();
    if (!init_done.ok()) {
        return init_done.error();
    }
    if (!*init_done) {
        m_outcome.timings.create = elapsed_since(started);
        const auto cleaning = Clock::now();
        guard.run_now();
        m_outcome.timings.cleanup = elapsed_since(cleaning);
        return std::move(m_outcome);
    }
    start_sidecars();
    KFRUN_TRY(create_container());
    m_outcome.container_id = m_id;
    m_outcome.timings.create = elapsed_since(started);

    const auto running = Clock::now();
    KFRUN_TRY(execute());
    m_outcome.timings.run = elapsed_since(running);
    stop_sidecars();

    const auto collecting = Clock::now();
    if (m_outcome.end == StepEnd::Exited || m_outcome.end == StepEnd::DeadlineExceeded) {
        collect_outputs();
    } else {
        m_outcome.outputs.clear();
    }
    m_outcome.timings.collect = elapsed_since(collecting);

    const auto cleaning = Clock::now();
    guard.run_now();
    m_outcome.timings.cleanup = elapsed_since(cleaning) + m_sidecar_stop_time;
    return std::move(m_outcome);
}

base::Result<void> StepRun::prepare() {
    auto inputs = stage_inputs();
    if (!inputs.ok()) {
        return inputs.error();
    }
    m_inputs = std::move(*inputs);
    auto mounts = prepare_mounts(m_spec.mounts, log_label(), &m_copies);
    if (!mounts.ok()) {
        return mounts.error();
    }
    m_mounts = std::move(*mounts);
    if (needs_own_pod(m_run.context.network, m_spec)) {
        KFRUN_TRY(start_pod());
        m_network_mode = "container:" + m_pod_id;
    } else {
        m_network_mode = docker_network_mode(m_run.context.network, m_run.sandbox_id);
    }
    return {};
}

base::Result<std::vector<InputBind>> StepRun::stage_inputs() {
    std::vector<InputBind> binds;
    if (m_spec.inputs.empty()) {
        return binds;
    }
    std::error_code ignored;
    std::filesystem::remove_all(m_scratch / "inputs", ignored);  // a leftover of an earlier try
    for (std::size_t i = 0; i < m_spec.inputs.size(); ++i) {
        const auto& input = m_spec.inputs[i];
        if (input.container_path.empty() || input.container_path.front() != '/') {
            return base::make_error(
                base::ErrorKind::Input,
                "an input path must be absolute: \"" + input.container_path + "\"",
                "step " + m_spec.display_name);
        }
        const auto host_path =
            m_scratch / "inputs" / std::to_string(i) / input_leaf(input.container_path);
        KFRUN_TRY(m_store.materialize(input.artifact, host_path));
        binds.push_back(InputBind{host_path, input.container_path});
    }
    return binds;
}

base::Result<std::vector<engine::VolumeMount>> StepRun::prepare_mounts(
    std::vector<engine::VolumeMount> mounts, const std::string& where,
    std::vector<InputBind>* copies) {
    if (!m_remote) {
        auto checked =
            check_host_paths(std::move(mounts), m_run.context.host_paths, where, &m_staging);
        if (!checked.ok()) {
            return checked.error();
        }
        return resolve_sub_paths(m_client, std::move(*checked), where, m_staging);
    }
    const std::string daemon = m_client.endpoint().url();
    std::vector<engine::VolumeMount> kept;
    for (auto& mount : mounts) {
        if (!mount.sub_path.empty()) {
            return base::make_error(
                base::ErrorKind::Input,
                "the volume mount at " + mount.container_path + " has a subPath, which needs "
                    "kfrun on the daemon's host (it makes the folder in /var/lib/docker); the "
                    "daemon at " + daemon + " is remote",
                where);
        }
        if (mount.type == engine::VolumeMount::Type::Bind && mount.host_path) {
            KFRUN_TRY(check_remote_host_path(mount, m_run.context.host_paths, daemon, where));
        } else if (mount.type == engine::VolumeMount::Type::Bind) {
            if (copies == nullptr) {
                return base::make_error(
                    base::ErrorKind::Input,
                    "this host's folder " + mount.source + " (a secret or config map at " +
                        mount.container_path + ") cannot be given to a sidecar of a daemon at " +
                        daemon + ": only the main and init containers get copies",
                    where);
            }
            copies->push_back(InputBind{mount.source, mount.container_path});
            continue;
        }
        kept.push_back(std::move(mount));
    }
    return kept;
}

base::Result<void> StepRun::copy_in(const std::string& id, const std::vector<InputBind>& copies,
                                    bool with_inputs) {
    if (!m_remote) {
        return {};
    }
    std::vector<InputBind> all;
    if (with_inputs) {
        all = m_inputs;
    }
    all.insert(all.end(), copies.begin(), copies.end());
    return copy_into_container(m_client, id, all, log_label());
}

base::Result<std::string> StepRun::create_body(engine::StepSpec spec, std::string_view role,
                                               bool with_inputs, bool init) const {
    ContainerConfig config;
    config.network_mode = m_network_mode;
    config.labels = m_run.context.labels;
    for (const auto& [key, value] : spec.labels) {
        config.labels[key] = value;
    }
    config.labels[k_run_label] = m_run.context.run_id;
    config.labels[k_role_label] = std::string(role);
    for (auto& mount : spec.mounts) {
        if (mount.type == engine::VolumeMount::Type::Volume && !mount.labels.empty()) {
            mount.labels = with_owner_labels(std::move(mount.labels), m_run.context.labels);
        }
    }
    if (with_inputs && !m_remote) {
        config.inputs = m_inputs;  // remote: copied in by copy_in
    }
    config.init = init;
    return make_create_body(spec, config);
}

base::Result<void> StepRun::create_container() {
    engine::StepSpec spec = m_spec;
    spec.mounts = m_mounts;
    auto body = create_body(std::move(spec), "step", true, false);
    if (!body.ok()) {
        return body.error();
    }
    auto id = m_client.create_container(m_spec.container_name, *body);
    if (!id.ok()) {
        if (!http_status(id.error())) {
            // No answer: the create may still have happened. Remove by name.
            static_cast<void>(m_client.remove_container(m_spec.container_name));
        }
        return id.error();
    }
    m_id = std::move(*id);
    return copy_in(m_id, m_copies);
}

base::Result<void> StepRun::execute() {
    ContainerSession session(m_client, m_id, [this](OutputStream stream, std::string_view line) {
        m_observer.on_log_line(engine_stream(stream), line);
    });
    KFRUN_TRY(session.open_wait());
    if (const Stop stop = fired(); stop != Stop::None) {
        m_stop = stop;
        m_outcome.end = stop == Stop::Cancelled ? StepEnd::Cancelled : StepEnd::DeadlineExceeded;
        m_outcome.message = "stopped before the container started";
        return {};
    }
    if (auto started = session.start(); !started.ok()) {
        if (http_status(started.error()) == 400u) {
            start_failed(started.error());
            return {};
        }
        return started.error();
    }
    m_observer.on_started(m_id);
    session.follow_logs();
    follow_to_exit(session);
    auto ended = conclude(session, "the container");
    if (!ended.ok()) {
        return ended.error();
    }
    m_outcome.stdout_tail = session.logs().stdout_tail();
    m_outcome.log_tail = session.logs().log_tail();
    m_outcome.exit_code = ended->exit_code;
    m_outcome.oom_killed = ended->oom_killed;
    m_stopped = std::move(ended->details);
    std::vector<std::string> notes;
    switch (m_stop) {
        case Stop::None:
            m_outcome.end = StepEnd::Exited;
            break;
        case Stop::Deadline:
            m_outcome.end = StepEnd::DeadlineExceeded;
            notes.push_back("the step ran past its deadline and was killed");
            break;
        case Stop::Cancelled:
            m_outcome.end = StepEnd::Cancelled;
            notes.push_back("cancelled: " + m_cancel.reason());
            break;
    }
    if (m_outcome.oom_killed) {
        notes.push_back("the container ran out of memory (OOMKilled)");
    } else if (m_stop == Stop::None && m_outcome.exit_code == 137 &&
               m_spec.resources.memory_bytes) {
        // Docker 20.10 on cgroup v1 misses the OOM event of a container that runs out of memory
        // right after it starts (containerd is not yet watching): exit 137 is all there is.
        notes.push_back("killed by SIGKILL (exit 137) under a memory limit of " +
                        std::to_string(*m_spec.resources.memory_bytes / (1024 * 1024)) +
                        " MiB: probably out of memory (Docker did not report OOMKilled)");
    }
    if (!ended->daemon_error.empty()) {
        notes.push_back("the daemon reported: " + ended->daemon_error);
    }
    if (!session.log_problem().empty()) {
        notes.push_back("the log stream failed: " + session.log_problem());
    }
    if (!m_kill_problem.empty()) {
        notes.push_back("killing the container failed: " + m_kill_problem);
    }
    m_outcome.message = base::join(notes, "; ");
    return {};
}

void StepRun::follow_to_exit(ContainerSession& session) {
    const auto between_slices = [&] {
        if (m_sidecars) {
            m_sidecars->pump();
        }
        if (poll_stop(session.id())) {
            session.abandon();
            return true;
        }
        return false;
    };
    while (!session.pump_logs(slice_end())) {
        if (between_slices()) {
            return;
        }
    }
    while (!session.pump_wait(slice_end())) {
        if (between_slices()) {
            return;
        }
    }
}

base::Result<StepRun::Ended> StepRun::conclude(ContainerSession& session, std::string_view what) {
    session.finish(session.exit().has_value(), Clock::now() + m_timing.kill_grace);
    auto details = m_client.inspect_container(session.id());
    if (!details.ok()) {
        return details.error();
    }
    Ended ended;
    ended.oom_killed = details->state.oom_killed;
    ended.details = *details;
    if (const auto& exit = session.exit()) {
        ended.exit_code = exit->status_code;
        ended.daemon_error = exit->error;
        return ended;
    }
    if (details->state.running) {
        return base::make_error(
            base::ErrorKind::Docker,
            std::string(what) + " is still running" +
                (m_stop != Stop::None ? " after a kill (" + m_kill_problem + ")" : std::string{}) +
                (session.wait_problem().empty() ? "" : "; " + session.wait_problem()),
            log_label());
    }
    ended.exit_code = details->state.exit_code;
    return ended;
}

void StepRun::start_failed(const base::Error& error) {
    m_outcome.end = StepEnd::StartFailed;
    m_outcome.message = error.message;
    m_outcome.exit_code = 127;
    if (auto details = m_client.inspect_container(m_id); details.ok()) {
        if (details->state.exit_code != 0) {
            m_outcome.exit_code = details->state.exit_code;
        }
    }
}

StepRun::Clock::time_point StepRun::slice_end() const {
    auto until = Clock::now() + m_timing.poll_interval;
    if (m_stop == Stop::None && m_spec.deadline) {
        until = std::min(until, *m_spec.deadline);
    }
    return until;
}

StepRun::Stop StepRun::fired() const {
    if (m_cancel.cancelled()) {
        return Stop::Cancelled;
    }
    if (m_spec.deadline && Clock::now() >= *m_spec.deadline) {
        return Stop::Deadline;
    }
    return Stop::None;
}

void StepRun::stopped_before(Stop stop, const std::string& what) {
    m_stop = stop;
    m_outcome.end = stop == Stop::Cancelled ? StepEnd::Cancelled : StepEnd::DeadlineExceeded;
    m_outcome.message = stop == Stop::Cancelled
                            ? "cancelled before " + what + ": " + m_cancel.reason()
                            : "the deadline passed before " + what;
}

bool StepRun::poll_stop(const std::string& id) {
    if (m_stop == Stop::None) {
        m_stop = fired();
        if (m_stop != Stop::None) {
            if (auto killed = m_client.kill_container(id, "KILL"); !killed.ok()) {
                m_kill_problem = killed.error().to_string();
            }
            m_give_up_at = Clock::now() + m_timing.kill_grace;
        }
    }
    return m_give_up_at && Clock::now() >= *m_give_up_at;
}

void StepRun::collect_outputs() {
    // A remote daemon's layers are on its host, not here, and its inputs are copies made by
    // PUT /archive: always GET /archive.
    const bool local = !m_remote && m_stopped.has_value();
    OutputReader reader(m_client, m_store, m_id, m_stopped ? *m_stopped : ContainerDetails{},
                        m_run.layer_reads && local, m_run.output_counters,
                        m_run.input_folder_reads && local ? m_inputs : std::vector<InputBind>{});
    std::map<std::string, engine::CollectedOutput> collected;
    for (const auto& path : m_spec.output_paths) {
        if (collected.count(path) == 0) {
            collected.emplace(path,
                              reader.read(path, m_spec.parameter_only_paths.count(path) != 0));
        }
    }
    m_outcome.outputs.clear();
    for (const auto& path : m_spec.output_paths) {
        m_outcome.outputs.push_back(collected.at(path));
    }
}

void StepRun::cleanup() {
    std::vector<std::string> problems;
    const bool keep = m_run.context.keep_containers;
    stop_sidecars();
    if (m_sidecars) {
        for (auto& problem : m_sidecars->remove(keep)) {
            problems.push_back(std::move(problem));
        }
    }
    std::vector<std::string> containers = m_init_ids;
    m_init_ids.clear();
    if (!m_id.empty()) {
        containers.push_back(m_id);
    }
    // A plain step's container is removed on the reaper's thread (end_run waits for it);
    // with init containers, sidecars or a pod of its own it goes now, before what it joined.
    // Its scratch folder (the staged inputs) follows it there, renamed first so that nothing
    // staged under the same name afterwards is removed with it.
    bool scratch_queued = false;
    if (!keep && m_run.reaper != nullptr && containers.size() == 1 && !m_sidecars &&
        m_pod_id.empty()) {
        std::filesystem::path moved;
        if (!m_scratch.empty()) {
            moved = m_scratch;
            moved += ".removing-" + containers.front().substr(0, 12);
            scratch_queued = ::rename(m_scratch.c_str(), moved.c_str()) == 0;
            if (!scratch_queued) {
                moved.clear();
            }
        }
        m_run.reaper->remove(containers.front(), std::move(moved));
        containers.clear();
    }
    for (const auto& id : containers) {
        if (keep) {
            break;
        }
        if (auto removed = m_client.remove_container(id, true, true); !removed.ok()) {
            problems.push_back("removing the container failed: " + removed.error().to_string());
        }
    }
    if (!m_pod_id.empty()) {
        // The pod sandbox goes last: the step's containers joined its network.
        if (auto removed = m_client.remove_container(m_pod_id); !removed.ok()) {
            problems.push_back("removing the pod sandbox failed: " + removed.error().to_string());
        }
        m_pod_id.clear();
    }
    // After the containers: a kept (stopped) one keeps its staging path, which no longer exists.
    for (auto& problem : m_staging.release()) {
        problems.push_back("sub-path mount: " + problem);
    }
    if (!m_scratch.empty() && !keep && !scratch_queued) {
        std::error_code error;
        std::filesystem::remove_all(m_scratch, error);
        if (error) {
            problems.push_back("removing " + m_scratch.string() + " failed: " + error.message());
        }
    }
    for (auto& problem : problems) {
        m_outcome.message += (m_outcome.message.empty() ? "" : "; ") + problem;
    }
}

}  // namespace kfrun::docker
