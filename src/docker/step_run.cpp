#include "docker/step_run.hpp"

#include <algorithm>
#include <map>
#include <system_error>

#include "base/strings.hpp"
#include "docker/docker_error.hpp"
#include "docker/scope_guard.hpp"
#include "docker/step_logs.hpp"

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
      m_timing(timing) {}

base::Result<engine::StepOutcome> StepRun::run() {
    const auto started = Clock::now();
    if (fired() != Stop::None) {
        m_outcome.end = fired() == Stop::Cancelled ? StepEnd::Cancelled : StepEnd::DeadlineExceeded;
        m_outcome.message = fired() == Stop::Cancelled
                                ? "cancelled before the container was created: " + m_cancel.reason()
                                : "the deadline passed before the container was created";
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
    KFRUN_TRY(create_container());
    m_outcome.container_id = m_id;
    m_outcome.timings.create = elapsed_since(started);

    const auto running = Clock::now();
    KFRUN_TRY(execute());
    m_outcome.timings.run = elapsed_since(running);

    const auto collecting = Clock::now();
    if (m_outcome.end == StepEnd::Exited || m_outcome.end == StepEnd::DeadlineExceeded) {
        collect_outputs();
    } else {
        m_outcome.outputs.clear();
    }
    m_outcome.timings.collect = elapsed_since(collecting);

    const auto cleaning = Clock::now();
    guard.run_now();
    m_outcome.timings.cleanup = elapsed_since(cleaning);
    return std::move(m_outcome);
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

base::Result<void> StepRun::create_container() {
    auto inputs = stage_inputs();
    if (!inputs.ok()) {
        return inputs.error();
    }
    ContainerConfig config;
    config.network_mode = docker_network_mode(m_run.context.network, m_run.sandbox_id);
    config.labels = m_run.context.labels;
    for (const auto& [key, value] : m_spec.labels) {
        config.labels[key] = value;
    }
    config.labels[k_run_label] = m_run.context.run_id;
    config.labels[k_role_label] = "step";
    config.inputs = std::move(*inputs);
    auto body = make_create_body(m_spec, config);
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
    return {};
}

base::Result<void> StepRun::execute() {
    // The wait is registered before the start so that even an instant exit is seen.
    auto wait = m_client.open_wait(m_id, "next-exit");
    if (!wait.ok()) {
        return wait.error();
    }
    if (const Stop stop = fired(); stop != Stop::None) {
        m_stop = stop;
        m_outcome.end = stop == Stop::Cancelled ? StepEnd::Cancelled : StepEnd::DeadlineExceeded;
        m_outcome.message = "stopped before the container started";
        return {};
    }
    if (auto started = m_client.start_container(m_id); !started.ok()) {
        wait->reset();  // a next-exit wait on a never-started container would block until removal
        if (http_status(started.error()) == 400u) {
            start_failed(started.error());
            return {};
        }
        return started.error();
    }
    m_observer.on_started(m_id);

    StepLogs::Options log_options;
    log_options.timestamps = true;  // for the catch-up below
    StepLogs logs(
        [this](OutputStream stream, std::string_view line) {
            m_observer.on_log_line(stream == OutputStream::Stdout ? engine::LogStream::Stdout
                                                                  : engine::LogStream::Stderr,
                                   line);
        },
        log_options);
    const auto feed_logs = [&logs](std::string_view data) { return logs.feed(data); };
    std::string log_problem;
    bool gave_up = false;
    auto log_stream = m_client.open_logs(m_id, /*follow=*/true, /*timestamps=*/true);
    if (!log_stream.ok()) {
        log_problem = log_stream.error().to_string();
    } else {
        auto drained = drain(**log_stream, feed_logs);
        if (!drained.ok()) {
            log_problem = drained.error().to_string();
        } else {
            gave_up = !*drained;
        }
        log_stream->reset();
    }

    std::string wait_body;
    auto waited = drain(**wait, [&wait_body](std::string_view data) -> base::Result<void> {
        wait_body.append(data);
        return {};
    });
    wait->reset();
    std::optional<WaitResult> exit;
    std::string wait_problem;
    if (!waited.ok()) {
        wait_problem = waited.error().to_string();
    } else if (*waited) {
        auto parsed = DockerClient::parse_wait_result(wait_body);
        if (parsed.ok()) {
            exit = *parsed;
        } else {
            wait_problem = parsed.error().to_string();
        }
    }
    if (exit && !gave_up) {
        // The follow stream may have ended before the last records (moby/moby#43860); the log
        // is complete once the wait returned. Fetch what the stream did not deliver.
        auto rest =
            m_client.open_logs(m_id, /*follow=*/false, /*timestamps=*/true, logs.begin_catch_up());
        auto caught_up = rest.ok() ? drain(**rest, feed_logs) : base::Result<bool>(rest.error());
        if (!caught_up.ok() && log_problem.empty()) {
            log_problem = caught_up.error().to_string();
        }
    }
    if (auto finished = logs.finish(); !finished.ok() && log_problem.empty() && !gave_up) {
        log_problem = finished.error().to_string();
    }
    m_outcome.stdout_tail = logs.stdout_tail();
    m_outcome.log_tail = logs.log_tail();

    auto details = m_client.inspect_container(m_id);
    if (!details.ok()) {
        return details.error();
    }
    if (!exit) {
        if (details->state.running) {
            return base::make_error(
                base::ErrorKind::Docker,
                "the container is still running" +
                    (m_stop != Stop::None ? " after a kill (" + m_kill_problem + ")"
                                          : std::string{}) +
                    (wait_problem.empty() ? "" : "; " + wait_problem),
                "step " + m_spec.display_name);
        }
        exit = WaitResult{details->state.exit_code, {}};
    }
    m_outcome.exit_code = exit->status_code;
    m_outcome.oom_killed = details->state.oom_killed;
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
    }
    if (!exit->error.empty()) {
        notes.push_back("the daemon reported: " + exit->error);
    }
    if (!log_problem.empty()) {
        notes.push_back("the log stream failed: " + log_problem);
    }
    if (!m_kill_problem.empty()) {
        notes.push_back("killing the container failed: " + m_kill_problem);
    }
    m_outcome.message = base::join(notes, "; ");
    return {};
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

StepRun::Stop StepRun::fired() const {
    if (m_cancel.cancelled()) {
        return Stop::Cancelled;
    }
    if (m_spec.deadline && Clock::now() >= *m_spec.deadline) {
        return Stop::Deadline;
    }
    return Stop::None;
}

bool StepRun::poll_stop() {
    if (m_stop == Stop::None) {
        m_stop = fired();
        if (m_stop != Stop::None) {
            if (auto killed = m_client.kill_container(m_id, "KILL"); !killed.ok()) {
                m_kill_problem = killed.error().to_string();
            }
            m_give_up_at = Clock::now() + m_timing.kill_grace;
        }
    }
    return m_give_up_at && Clock::now() >= *m_give_up_at;
}

base::Result<bool> StepRun::drain(
    ResponseStream& stream, const std::function<base::Result<void>(std::string_view)>& on_data) {
    while (true) {
        auto until = Clock::now() + m_timing.poll_interval;
        if (m_stop == Stop::None && m_spec.deadline) {
            until = std::min(until, *m_spec.deadline);
        }
        auto piece = stream.read_some(until);
        if (!piece.ok()) {
            return piece.error();
        }
        if (piece->end) {
            return true;
        }
        if (!piece->data.empty()) {
            KFRUN_TRY(on_data(piece->data));
        }
        if (poll_stop()) {
            stream.close();
            return false;
        }
    }
}

void StepRun::collect_outputs() {
    std::map<std::string, engine::CollectedOutput> collected;
    for (const auto& path : m_spec.output_paths) {
        if (collected.count(path) != 0) {
            continue;
        }
        engine::CollectedOutput output{path, std::nullopt, {}};
        auto archive = m_client.get_archive(m_id, path);
        if (!archive.ok()) {
            output.problem = archive.error().to_string();
        } else if (*archive != nullptr) {
            auto artifact = m_store.ingest_tar(**archive);
            if (artifact.ok()) {
                output.artifact = *artifact;
            } else {
                output.problem = artifact.error().to_string();
            }
        }
        collected.emplace(path, std::move(output));
    }
    m_outcome.outputs.clear();
    for (const auto& path : m_spec.output_paths) {
        m_outcome.outputs.push_back(collected.at(path));
    }
}

void StepRun::cleanup() {
    std::vector<std::string> problems;
    if (!m_id.empty() && !m_run.context.keep_containers) {
        if (auto removed = m_client.remove_container(m_id, true, true); !removed.ok()) {
            problems.push_back("removing the container failed: " + removed.error().to_string());
        }
    }
    if (!m_scratch.empty() && !m_run.context.keep_containers) {
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
