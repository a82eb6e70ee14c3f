#include "docker/http_connection.hpp"

#include <cstdint>
#include <limits>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

namespace kfrun::docker {

namespace asio = boost::asio;

HttpConnection::HttpConnection(std::shared_ptr<const Transport> transport, std::size_t chunk_size)
    : m_transport(std::move(transport)), m_socket(m_context), m_tcp(m_context), m_chunk(chunk_size) {
    reset();
}

void HttpConnection::reset() {
    m_parser.emplace();
    // Not boost::none: Boost 1.74 compares a Content-Length with the empty optional and fails
    // every sized body with body_limit. Bodies are read piece by piece, so no limit is needed.
    m_parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    m_parser->header_limit(std::uint32_t{64} * 1024);
    m_reading = false;
    m_read_done = false;
    m_read_error = {};
}

bool HttpConnection::reusable() const {
    return !m_failed && !m_reading && m_parser->is_done() && m_parser->get().keep_alive() &&
           m_buffer.size() == 0 &&
           (m_socket.is_open() || m_tcp.is_open() || (m_tls && m_tls->next_layer().is_open()));
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
        m_failed = true;
        return asio::error::timed_out;
    }
    if (result) {
        m_failed = true;
    }
    return result;
}

template <class F>
void HttpConnection::with_stream(F&& f) {
    if (m_tls) {
        f(*m_tls);
    } else if (m_transport->endpoint().kind == DaemonEndpoint::Kind::Tcp) {
        f(m_tcp);
    } else {
        f(m_socket);
    }
}

ErrorCode HttpConnection::connect(Clock::time_point deadline) {
    const DaemonEndpoint& endpoint = m_transport->endpoint();
    switch (endpoint.kind) {
        case DaemonEndpoint::Kind::Unix: {
            const asio::local::stream_protocol::endpoint path(endpoint.path);
            return run_operation(
                [&](auto handler) { m_socket.async_connect(path, std::move(handler)); }, deadline);
        }
        case DaemonEndpoint::Kind::Ssh: {
            auto child = SshChild::spawn(m_transport->ssh_command());
            if (!child.ok()) {
                m_spawn_problem = child.error().message;
                return asio::error::connection_refused;
            }
            m_ssh = std::move(*child);
            ErrorCode error;
            m_socket.assign(asio::local::stream_protocol(), m_ssh.release_fd(), error);
            return error;
        }
        case DaemonEndpoint::Kind::Tcp:
            return connect_tcp(deadline);
    }
    return asio::error::operation_not_supported;
}

ErrorCode HttpConnection::connect_tcp(Clock::time_point deadline) {
    const DaemonEndpoint& endpoint = m_transport->endpoint();
    // Name resolution is synchronous (getaddrinfo; Asio's async resolver would start a thread).
    ErrorCode error;
    asio::ip::tcp::resolver resolver(m_context);
    const auto addresses = resolver.resolve(endpoint.host, endpoint.port,
                                            asio::ip::tcp::resolver::numeric_service, error);
    if (error) {
        return error;
    }
    if (m_transport->tls() == nullptr) {
        return run_operation(
            [&](auto handler) {
                asio::async_connect(m_tcp, addresses,
                                    [handler = std::move(handler)](ErrorCode e, const auto&) mutable {
                                        handler(e);
                                    });
            },
            deadline);
    }
    m_tls.emplace(m_context, *m_transport->tls());
    SSL* ssl = m_tls->native_handle();
    ErrorCode parsed;
    const auto address = asio::ip::make_address(endpoint.host, parsed);
    if (endpoint.tls_verify) {
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        const int set = parsed ? X509_VERIFY_PARAM_set1_host(param, endpoint.host.c_str(), 0)
                               : X509_VERIFY_PARAM_set1_ip_asc(param, endpoint.host.c_str());
        if (set != 1) {
            return asio::error::invalid_argument;
        }
    }
    if (parsed) {
        SSL_set_tlsext_host_name(ssl, endpoint.host.c_str());  // SNI for names only
    }
    error = run_operation(
        [&](auto handler) {
            asio::async_connect(m_tls->next_layer(), addresses,
                                [handler = std::move(handler)](ErrorCode e, const auto&) mutable {
                                    handler(e);
                                });
        },
        deadline);
    if (error) {
        return error;
    }
    error = run_operation(
        [&](auto handler) {
            m_tls->async_handshake(asio::ssl::stream_base::client, std::move(handler));
        },
        deadline);
    m_tls_verify_result = SSL_get_verify_result(ssl);
    return error;
}

std::string HttpConnection::problem() {
    if (!m_spawn_problem.empty()) {
        return m_spawn_problem;
    }
    if (m_transport->endpoint().kind == DaemonEndpoint::Kind::Ssh) {
        const std::string said = m_ssh.problem(std::chrono::milliseconds(2000));
        return said.empty() ? std::string{} : "ssh said: " + said;
    }
    if (m_tls && m_tls_verify_result != X509_V_OK) {
        return std::string("the daemon's certificate was refused: ") +
               X509_verify_cert_error_string(m_tls_verify_result);
    }
    return {};
}

ErrorCode HttpConnection::write(const http::request<http::string_body>& request,
                                Clock::time_point deadline) {
    return run_operation(
        [&](auto handler) {
            with_stream([&](auto& stream) { http::async_write(stream, request, std::move(handler)); });
        },
        deadline);
}

ErrorCode HttpConnection::write_chunked(http::request<http::empty_body>& request,
                                        engine::ByteSource& body, Clock::duration idle,
                                        base::Error& source_error) {
    request.chunked(true);
    http::request_serializer<http::empty_body> serializer(request);
    ErrorCode error = run_operation(
        [&](auto handler) {
            with_stream([&](auto& stream) {
                http::async_write_header(stream, serializer, std::move(handler));
            });
        },
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
                    with_stream([&](auto& stream) {
                        asio::async_write(stream, http::make_chunk_last(), std::move(handler));
                    });
                },
                Clock::now() + idle);
        }
        error = run_operation(
            [&](auto handler) {
                with_stream([&](auto& stream) {
                    asio::async_write(stream,
                                      http::make_chunk(asio::buffer(buffer.data(), *count)),
                                      std::move(handler));
                });
            },
            Clock::now() + idle);
    }
    return error;
}

ErrorCode HttpConnection::read_header(bool head_request, Clock::time_point deadline) {
    if (head_request) {
        m_parser->skip(true);
    }
    return run_operation(
        [&](auto handler) {
            with_stream([&](auto& stream) {
                http::async_read_header(stream, m_buffer, *m_parser, std::move(handler));
            });
        },
        deadline);
}

HttpConnection::BodyPiece HttpConnection::read_body(Clock::time_point until) {
    if (!m_reading) {
        if (m_parser->is_done()) {
            BodyPiece piece;
            piece.end = true;
            return piece;
        }
        auto& body = m_parser->get().body();
        body.data = m_chunk.data();
        body.size = m_chunk.size();
        m_reading = true;
        m_read_done = false;
        with_stream([&](auto& stream) {
            http::async_read_some(stream, m_buffer, *m_parser, [this](ErrorCode error, std::size_t) {
                m_read_error = error;
                m_read_done = true;
            });
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
    m_failed = m_failed || static_cast<bool>(error);
    if (!error) {
        const std::size_t size = m_chunk.size() - m_parser->get().body().size;
        piece.data = std::string_view(m_chunk.data(), size);
        piece.end = size == 0 && m_parser->is_done();
    }
    return piece;
}

void HttpConnection::close() {
    ErrorCode ignored;
    m_socket.shutdown(asio::socket_base::shutdown_both, ignored);
    m_socket.close(ignored);
    m_tcp.shutdown(asio::socket_base::shutdown_both, ignored);
    m_tcp.close(ignored);
    if (m_tls) {
        // No TLS close_notify: the exchange is over (Connection: close) or abandoned.
        m_tls->next_layer().shutdown(asio::socket_base::shutdown_both, ignored);
        m_tls->next_layer().close(ignored);
    }
    m_ssh.stop();
}

}  // namespace kfrun::docker
