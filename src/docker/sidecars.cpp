#include "docker/sidecars.hpp"

#include "docker/docker_error.hpp"

namespace kfrun::docker {

Sidecars::Sidecars(const DockerClient& client, engine::StepObserver& observer, Timing timing)
    : m_client(client), m_observer(observer), m_timing(timing) {}

void Sidecars::note(const std::string& name, const std::string& text) {
    m_observer.on_log_line(engine::LogStream::Stderr, "[sidecar:" + name + "] kfrun: " + text);
}

void Sidecars::start(const std::string& name, const std::string& container_name,
                     const base::Result<std::string>& body) {
    Sidecar& sidecar = m_sidecars.emplace_back();
    sidecar.name = name;
    const std::string goes_on = " (a sidecar's failure does not fail the step)";
    if (!body.ok()) {
        note(name, "the sidecar cannot be created: " + body.error().to_string() + goes_on);
        return;
    }
    auto id = m_client.create_container(container_name, *body);
    if (!id.ok()) {
        if (!http_status(id.error())) {
            // No answer: the create may still have happened. Remove by name.
            static_cast<void>(m_client.remove_container(container_name));
        }
        note(name, "the sidecar cannot be created: " + id.error().to_string() + goes_on);
        return;
    }
    sidecar.id = *id;
    const std::string prefix = "[sidecar:" + name + "] ";
    auto session = std::make_unique<ContainerSession>(
        m_client, *id, [this, prefix](OutputStream stream, std::string_view line) {
            m_observer.on_log_line(engine_stream(stream), prefix + std::string(line));
        });
    if (auto waiting = session->open_wait(); !waiting.ok()) {
        note(name, "the sidecar's wait failed, so it is not started: " +
                       waiting.error().to_string() + goes_on);
        return;
    }
    if (auto started = session->start(); !started.ok()) {
        note(name, "the sidecar could not start: " + started.error().to_string() + goes_on);
        return;
    }
    session->follow_logs();
    sidecar.session = std::move(session);
}

void Sidecars::on_exit(Sidecar& sidecar) {
    sidecar.exited = true;
    if (m_stopping) {
        return;
    }
    const auto& exit = sidecar.session->exit();
    if (!exit) {
        note(sidecar.name, "lost track of the sidecar: " + sidecar.session->wait_problem());
    } else if (exit->status_code != 0) {
        note(sidecar.name, "the sidecar exited with code " + std::to_string(exit->status_code) +
                               " while the step ran (a sidecar's failure does not fail the "
                               "step)");
    }
}

void Sidecars::pump() {
    for (auto& sidecar : m_sidecars) {
        if (!sidecar.session) {
            continue;
        }
        if (!sidecar.log_done) {
            sidecar.log_done = sidecar.session->pump_logs(Clock::now() + m_timing.slice);
        }
        if (!sidecar.exited && sidecar.session->pump_wait(Clock::now() + m_timing.slice)) {
            on_exit(sidecar);
        }
    }
}

bool Sidecars::any_running() const {
    for (const auto& sidecar : m_sidecars) {
        if (sidecar.session && !sidecar.exited) {
            return true;
        }
    }
    return false;
}

void Sidecars::pump_until(Clock::time_point deadline) {
    while (any_running() && Clock::now() < deadline) {
        pump();
    }
}

void Sidecars::stop() {
    m_stopping = true;
    pump();
    for (const std::string signal : {"TERM", "KILL"}) {
        const bool term = signal == "TERM";
        for (auto& sidecar : m_sidecars) {
            if (sidecar.session && !sidecar.exited) {
                if (auto killed = m_client.kill_container(sidecar.id, signal); !killed.ok()) {
                    note(sidecar.name, "SIG" + signal + " failed: " + killed.error().to_string());
                }
            }
        }
        pump_until(Clock::now() + (term ? m_timing.term_grace : m_timing.kill_grace));
    }
    // The logs end right after the exits; read them to the end, then catch up.
    const auto deadline = Clock::now() + m_timing.kill_grace;
    for (auto& sidecar : m_sidecars) {
        if (!sidecar.session) {
            continue;
        }
        if (!sidecar.exited) {
            note(sidecar.name, "the sidecar did not stop after SIGKILL; giving up on it");
            sidecar.session->abandon();
        }
        while (!sidecar.log_done && Clock::now() < deadline) {
            sidecar.log_done = sidecar.session->pump_logs(deadline);
        }
        if (!sidecar.log_done) {
            sidecar.session->abandon();
        }
        sidecar.session->finish(sidecar.exited && sidecar.log_done,
                                Clock::now() + m_timing.kill_grace);
        if (!sidecar.session->log_problem().empty()) {
            note(sidecar.name,
                 "the sidecar's log stream failed: " + sidecar.session->log_problem());
        }
        sidecar.session.reset();
    }
}

std::vector<std::string> Sidecars::remove(bool keep) {
    std::vector<std::string> problems;
    for (auto& sidecar : m_sidecars) {
        sidecar.session.reset();
        if (sidecar.id.empty() || keep) {
            continue;
        }
        if (auto removed = m_client.remove_container(sidecar.id, true, true); !removed.ok()) {
            problems.push_back("removing sidecar " + sidecar.name +
                               " failed: " + removed.error().to_string());
        }
        sidecar.id.clear();
    }
    return problems;
}

}  // namespace kfrun::docker
