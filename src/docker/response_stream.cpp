#include "docker/response_stream.hpp"

#include <algorithm>
#include <cstring>

#include "base/time.hpp"
#include "docker/docker_error.hpp"
#include "docker/http_connection.hpp"

namespace kfrun::docker {

ResponseStream::ResponseStream(std::unique_ptr<HttpConnection> connection, std::string call,
                               std::chrono::milliseconds idle_timeout)
    : m_connection(std::move(connection)), m_call(std::move(call)), m_idle_timeout(idle_timeout) {}

ResponseStream::~ResponseStream() = default;

unsigned ResponseStream::status() const {
    return m_connection->header().result_int();
}

std::string ResponseStream::header(std::string_view name) const {
    const auto& fields = m_connection->header();
    const auto found = fields.find(boost::beast::string_view(name.data(), name.size()));
    if (found == fields.end()) {
        return {};
    }
    return std::string(found->value());
}

base::Result<ResponseStream::Piece> ResponseStream::read_some(Clock::time_point until) {
    if (m_closed) {
        return make_transport_error(m_call, "the connection was closed");
    }
    const auto piece = m_connection->read_body(until);
    if (piece.error) {
        return make_transport_error(m_call,
                                    "reading the response failed: " + piece.error.message());
    }
    return Piece{piece.data, piece.end, piece.pending};
}

base::Result<std::string> ResponseStream::read_all(std::size_t max_bytes,
                                                   Clock::time_point deadline) {
    std::string body;
    while (true) {
        auto piece = read_some(deadline);
        if (!piece.ok()) {
            return piece.error();
        }
        if (piece->pending) {
            close();
            return make_transport_error(m_call, "timed out reading the response");
        }
        if (piece->end) {
            return body;
        }
        if (body.size() + piece->data.size() > max_bytes) {
            close();
            return make_transport_error(
                m_call, "the response is larger than " + std::to_string(max_bytes) + " bytes");
        }
        body.append(piece->data);
    }
}

base::Result<std::size_t> ResponseStream::read(char* buffer, std::size_t capacity) {
    while (m_unread.empty()) {
        auto piece = read_some(Clock::now() + m_idle_timeout);
        if (!piece.ok()) {
            return piece.error();
        }
        if (piece->pending) {
            close();
            return make_transport_error(
                m_call, "no data for " + base::format_duration(m_idle_timeout) + "; gave up");
        }
        if (piece->end) {
            return std::size_t{0};
        }
        m_unread = piece->data;
    }
    const std::size_t count = std::min(capacity, m_unread.size());
    std::memcpy(buffer, m_unread.data(), count);
    m_unread.remove_prefix(count);
    return count;
}

void ResponseStream::close() {
    m_closed = true;
    m_unread = {};
    m_connection->close();
}

}  // namespace kfrun::docker
