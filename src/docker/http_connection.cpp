#include "docker/http_connection.hpp"

#include <cstdint>
#include <limits>

#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

namespace kfrun::docker {

namespace asio = boost::asio;

HttpConnection::HttpConnection(std::string socket_path, std::size_t chunk_size)
    : m_socket_path(std::move(socket_path)), m_socket(m_context), m_chunk(chunk_size) {
    // Not boost::none: Boost 1.74 compares a Content-Length with the empty optional and fails
    // every sized body with body_limit. Bodies are read piece by piece, so no limit is needed.
    m_parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    m_parser.header_limit(std::uint32_t{64} * 1024);
}

HttpConnection::~HttpConnection() {
    close();
    // Let a cancelled read finish so no handler refers to this object afterwards. Our handlers
    // do not throw, so neither does run(); the catch only keeps the destructor noexcept.
    try {
        m_context.restart();
        m_context.run();
    } catch (...) {
    }
}

bool HttpConnection::run_until(const bool& done, Clock::time_point until) {
    while (!done) {
        if (Clock::now() >= until) {
            return false;
        }
        m_context.restart();
        if (m_context.run_one_until(until) == 0 && m_context.stopped() && !done) {
            return false;  // no work left although the operation did not complete: give up
        }
    }
    return true;
}

void HttpConnection::abort(const bool& done) {
    close();
    while (!done) {
        m_context.restart();
        if (m_context.run_one() == 0) {
            break;
        }
    }
}

template <class Start>
ErrorCode HttpConnection::run_operation(Start&& start, Clock::time_point deadline) {
    bool done = false;
    ErrorCode result;
    start([&done, &result](ErrorCode error, auto&&...) {
        result = error;
        done = true;
    });
    if (!run_until(done, deadline)) {
        abort(done);
        return asio::error::timed_out;
    }
    return result;
}

ErrorCode HttpConnection::connect(Clock::time_point deadline) {
    const asio::local::stream_protocol::endpoint endpoint(m_socket_path);
    return run_operation(
        [&](auto handler) { m_socket.async_connect(endpoint, std::move(handler)); }, deadline);
}

ErrorCode HttpConnection::write(const http::request<http::string_body>& request,
                                Clock::time_point deadline) {
    return run_operation(
        [&](auto handler) { http::async_write(m_socket, request, std::move(handler)); }, deadline);
}

ErrorCode HttpConnection::write_chunked(http::request<http::empty_body>& request,
                                        engine::ByteSource& body, Clock::duration idle,
                                        base::Error& source_error) {
    request.chunked(true);
    http::request_serializer<http::empty_body> serializer(request);
    ErrorCode error = run_operation(
        [&](auto handler) { http::async_write_header(m_socket, serializer, std::move(handler)); },
        Clock::now() + idle);
    std::vector<char> buffer(m_chunk.size());
    while (!error) {
        auto count = body.read(buffer.data(), buffer.size());
        if (!count.ok()) {
            source_error = count.error();
            close();
            return asio::error::operation_aborted;
        }
        if (*count == 0) {
            return run_operation(
                [&](auto handler) {
                    asio::async_write(m_socket, http::make_chunk_last(), std::move(handler));
                },
                Clock::now() + idle);
        }
        error = run_operation(
            [&](auto handler) {
                asio::async_write(m_socket, http::make_chunk(asio::buffer(buffer.data(), *count)),
                                  std::move(handler));
            },
            Clock::now() + idle);
    }
    return error;
}

ErrorCode HttpConnection::read_header(bool head_request, Clock::time_point deadline) {
    if (head_request) {
        m_parser.skip(true);
    }
    return run_operation(
        [&](auto handler) {
            http::async_read_header(m_socket, m_buffer, m_parser, std::move(handler));
        },
        deadline);
}

HttpConnection::BodyPiece HttpConnection::read_body(Clock::time_point until) {
    if (!m_reading) {
        if (m_parser.is_done()) {
            BodyPiece piece;
            piece.end = true;
            return piece;
        }
        auto& body = m_parser.get().body();
        body.data = m_chunk.data();
        body.size = m_chunk.size();
        m_reading = true;
        m_read_done = false;
        http::async_read_some(m_socket, m_buffer, m_parser, [this](ErrorCode error, std::size_t) {
            m_read_error = error;
            m_read_done = true;
        });
    }
    if (!run_until(m_read_done, until)) {
        BodyPiece piece;
        piece.pending = true;
        return piece;
    }
    m_reading = false;
    ErrorCode error = m_read_error;
    if (error == http::error::need_buffer) {
        error = {};
    }
    BodyPiece piece;
    piece.error = error;
    if (!error) {
        const std::size_t size = m_chunk.size() - m_parser.get().body().size;
        piece.data = std::string_view(m_chunk.data(), size);
        piece.end = size == 0 && m_parser.is_done();
    }
    return piece;
}

void HttpConnection::close() {
    ErrorCode ignored;
    m_socket.shutdown(asio::socket_base::shutdown_both, ignored);
    m_socket.close(ignored);
}

}  // namespace kfrun::docker
