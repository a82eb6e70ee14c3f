#include "docker/step_logs.hpp"

#include <algorithm>

#include "docker/log_timestamp.hpp"

namespace kfrun::docker {
namespace {

constexpr std::int64_t k_second = 1'000'000'000;
constexpr std::size_t k_max_timestamp = 64;

}  // namespace

StepLogs::StepLogs(LineSink sink, Options options)
    : m_sink(std::move(sink)),
      m_options(options),
      m_demuxer([this](OutputStream stream, std::string_view payload, bool frame_start) {
          on_piece(stream, payload, frame_start);
      }),
      m_stdout_lines([this](std::string_view line) { on_line(OutputStream::Stdout, line); }),
      m_stderr_lines([this](std::string_view line) { on_line(OutputStream::Stderr, line); }) {}

base::Result<void> StepLogs::feed(std::string_view bytes) {
    return m_demuxer.feed(bytes);
}

base::Result<void> StepLogs::finish() {
    m_stdout_lines.finish();
    m_stderr_lines.finish();
    return m_demuxer.finish();
}

std::string StepLogs::begin_catch_up() {
    m_demuxer.reset();
    m_in_timestamp = false;
    m_skip_frame = false;
    if (!m_newest) {
        m_skip_records = 0;
        return {};
    }
    const std::int64_t cutoff = *m_newest - k_second;
    m_skip_records = static_cast<std::size_t>(std::count_if(
        m_recent.begin(), m_recent.end(), [cutoff](std::int64_t time) { return time >= cutoff; }));
    return format_since(cutoff);
}

void StepLogs::on_piece(OutputStream stream, std::string_view payload, bool frame_start) {
    if (frame_start) {
        m_in_timestamp = m_options.timestamps;
        m_timestamp.clear();
        m_skip_frame = m_skip_records > 0;
        if (m_skip_frame) {
            --m_skip_records;
        }
    }
    if (m_in_timestamp) {
        const auto space = payload.find(' ');
        m_timestamp.append(payload.substr(0, space));
        if (space == std::string_view::npos && m_timestamp.size() <= k_max_timestamp) {
            return;  // the prefix continues in the next piece
        }
        m_in_timestamp = false;
        if (space == std::string_view::npos) {
            payload = m_timestamp;  // no timestamp after all: it is payload
        } else {
            on_record_timestamp(m_timestamp);
            payload.remove_prefix(space + 1);
        }
    }
    if (!m_skip_frame && !payload.empty()) {
        on_payload(stream, payload);
    }
}

void StepLogs::on_record_timestamp(std::string_view text) {
    const auto time = parse_log_timestamp(text);
    if (!time) {
        return;
    }
    m_newest = std::max(m_newest.value_or(*time), *time);
    m_recent.push_back(*time);
    while (!m_recent.empty() && m_recent.front() < *m_newest - 2 * k_second) {
        m_recent.pop_front();
    }
}

void StepLogs::on_payload(OutputStream stream, std::string_view payload) {
    if (stream == OutputStream::Stdout) {
        m_stdout_tail.append(payload);
        if (m_stdout_tail.size() > 2 * m_options.stdout_tail_bytes) {
            m_stdout_tail.erase(0, m_stdout_tail.size() - m_options.stdout_tail_bytes);
        }
        m_stdout_lines.feed(payload);
    } else {
        m_stderr_lines.feed(payload);
    }
}

void StepLogs::on_line(OutputStream stream, std::string_view line) {
    if (m_options.tail_lines > 0) {
        if (m_lines.size() == m_options.tail_lines) {
            m_lines.pop_front();
        }
        m_lines.emplace_back(line.substr(0, k_max_tail_line));
    }
    m_sink(stream, line);
}

std::string StepLogs::stdout_tail() const {
    if (m_stdout_tail.size() <= m_options.stdout_tail_bytes) {
        return m_stdout_tail;
    }
    return m_stdout_tail.substr(m_stdout_tail.size() - m_options.stdout_tail_bytes);
}

std::string StepLogs::log_tail() const {
    std::string out;
    for (const auto& line : m_lines) {
        out += line;
        out += '\n';
    }
    return out;
}

}  // namespace kfrun::docker
