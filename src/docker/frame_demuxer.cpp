#include "docker/frame_demuxer.hpp"

#include <algorithm>

namespace kfrun::docker {
namespace {

// 0 (stdin) and 1 (stdout) both go to stdout.
constexpr std::uint8_t k_stderr = 2;
constexpr std::uint8_t k_system = 3;
constexpr std::size_t k_max_system_message = std::size_t{64} * 1024;

}  // namespace

base::Result<void> FrameDemuxer::fail(std::string message) {
    m_failure = message;
    return base::make_error(base::ErrorKind::Docker, std::move(message), "docker log stream");
}

base::Result<void> FrameDemuxer::feed(std::string_view data) {
    if (!m_failure.empty()) {
        return base::make_error(base::ErrorKind::Docker, m_failure, "docker log stream");
    }
    while (!data.empty()) {
        if (m_header_size < m_header.size()) {
            const std::size_t take = std::min(m_header.size() - m_header_size, data.size());
            std::copy_n(data.data(), take, m_header.begin() + static_cast<long>(m_header_size));
            m_header_size += take;
            data.remove_prefix(take);
            if (m_header_size < m_header.size()) {
                return {};
            }
            m_type = m_header[0];
            m_remaining = (std::uint32_t{m_header[4]} << 24) | (std::uint32_t{m_header[5]} << 16) |
                          (std::uint32_t{m_header[6]} << 8) | std::uint32_t{m_header[7]};
            if (m_type > k_system) {
                return fail("unknown frame type " + std::to_string(m_type) +
                            " in the multiplexed stream (was the container created with a TTY?)");
            }
            m_system_message.clear();
            m_frame_start = true;
        }
        const std::size_t take = std::min<std::size_t>(m_remaining, data.size());
        const std::string_view payload = data.substr(0, take);
        data.remove_prefix(take);
        m_remaining -= static_cast<std::uint32_t>(take);
        if (m_type == k_system) {
            const std::size_t room = k_max_system_message - m_system_message.size();
            m_system_message.append(payload.substr(0, std::min(room, payload.size())));
        } else if (!payload.empty()) {
            m_sink(m_type == k_stderr ? OutputStream::Stderr : OutputStream::Stdout, payload,
                   m_frame_start);
            m_frame_start = false;
        }
        if (m_remaining == 0) {
            m_header_size = 0;
            if (m_type == k_system) {
                return fail("the daemon reported: " + m_system_message);
            }
        }
    }
    return {};
}

void FrameDemuxer::reset() {
    m_header_size = 0;
    m_remaining = 0;
    m_type = 0;
    m_frame_start = false;
    m_system_message.clear();
    m_failure.clear();
}

base::Result<void> FrameDemuxer::finish() const {
    if (!m_failure.empty()) {
        return base::make_error(base::ErrorKind::Docker, m_failure, "docker log stream");
    }
    if (m_header_size != 0) {
        return base::make_error(
            base::ErrorKind::Docker,
            "the stream ended inside a frame (" +
                std::to_string(m_header_size < m_header.size() ? m_header.size() - m_header_size
                                                               : m_remaining) +
                " bytes missing)",
            "docker log stream");
    }
    return {};
}

}  // namespace kfrun::docker
