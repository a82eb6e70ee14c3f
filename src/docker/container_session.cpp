#include "docker/container_session.hpp"

namespace kfrun::docker {
namespace {

StepLogs::Options log_options() {
    StepLogs::Options options;
    options.timestamps = true;  // for the catch-up
    return options;
}

}  // namespace

ContainerSession::ContainerSession(const DockerClient& client, std::string id,
                                   StepLogs::LineSink sink)
    : m_client(client), m_id(std::move(id)), m_logs(std::move(sink), log_options()) {}

base::Result<void> ContainerSession::open_wait() {
    auto wait = m_client.open_wait(m_id, "next-exit");
    if (!wait.ok()) {
        return wait.error();
    }
    m_wait = std::move(*wait);
    return {};
}

base::Result<void> ContainerSession::start() {
    auto started = m_client.start_container(m_id);
    if (!started.ok()) {
        m_wait.reset();  // a next-exit wait on a never-started container blocks until removal
    }
    return started;
}

void ContainerSession::follow_logs() {
    auto stream = m_client.open_logs(m_id, /*follow=*/true, /*timestamps=*/true);
    if (!stream.ok()) {
        note_log_problem(stream.error());
        return;
    }
    m_log_stream = std::move(*stream);
}

void ContainerSession::note_log_problem(const base::Error& error) {
    if (m_log_problem.empty()) {
        m_log_problem = error.to_string();
    }
}

bool ContainerSession::pump_logs(Clock::time_point until) {
    while (m_log_stream) {
        auto piece = m_log_stream->read_some(until);
        if (!piece.ok()) {
            note_log_problem(piece.error());
            m_log_stream.reset();
            break;
        }
        if (piece->end) {
            m_log_stream.reset();
            break;
        }
        if (!piece->data.empty()) {
            if (auto fed = m_logs.feed(piece->data); !fed.ok()) {
                note_log_problem(fed.error());  // an in-band daemon error: the stream is over
                m_log_stream.reset();
                break;
            }
        }
        if (piece->pending || Clock::now() >= until) {
            return false;
        }
    }
    return true;
}

bool ContainerSession::pump_wait(Clock::time_point until) {
    while (m_wait) {
        auto piece = m_wait->read_some(until);
        if (!piece.ok()) {
            m_wait_problem = piece.error().to_string();
            m_wait.reset();
            break;
        }
        if (piece->end) {
            m_wait.reset();
            auto parsed = DockerClient::parse_wait_result(m_wait_body);
            if (parsed.ok()) {
                m_exit = *parsed;
            } else {
                m_wait_problem = parsed.error().to_string();
            }
            break;
        }
        m_wait_body.append(piece->data);
        if (piece->pending || Clock::now() >= until) {
            return false;
        }
    }
    return true;
}

void ContainerSession::abandon() {
    m_abandoned = true;
    m_log_stream.reset();
    m_wait.reset();
}

void ContainerSession::finish(bool catch_up, Clock::time_point until) {
    if (catch_up && !m_abandoned) {
        // The follow stream may have ended before the last records (moby/moby#43860); the log
        // file is complete once the container has exited. Fetch what the stream did not deliver.
        auto rest = m_client.open_logs(m_id, /*follow=*/false, /*timestamps=*/true,
                                       m_logs.begin_catch_up());
        if (!rest.ok()) {
            note_log_problem(rest.error());
        } else {
            m_log_stream = std::move(*rest);
            if (!pump_logs(until)) {
                note_log_problem(base::make_error(base::ErrorKind::Docker,
                                                  "the log catch-up did not end in time",
                                                  m_log_stream->call()));
                m_log_stream.reset();
            }
        }
    }
    if (auto finished = m_logs.finish(); !finished.ok() && !m_abandoned) {
        note_log_problem(finished.error());
    }
}

}  // namespace kfrun::docker
