#pragma once
// HttpConnection: one HTTP/1.1 exchange with the Docker daemon (Boost.Beast), driven on the
// caller's thread by a private io_context so that every operation has a deadline. The stream is
// the daemon's unix socket, a TCP socket, TLS over TCP, or a socketpair to an
// `ssh … docker system dial-stdio` child (see Transport); the HTTP code is the same for all.
// Internal to src/docker: only .cpp files include it (Beast stays out of the public headers).
// Not thread-safe: one thread uses a connection at a time.
#include <utility>  // before any Boost.Asio header (Boost 1.74 + GCC 12)

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "base/error.hpp"
#include "docker/ssh_dial.hpp"
#include "docker/transport.hpp"
#include "engine/byte_source.hpp"

namespace kfrun::docker {

namespace http = boost::beast::http;
using ErrorCode = boost::system::error_code;
using Clock = std::chrono::steady_clock;

class HttpConnection {
  public:
    explicit HttpConnection(std::shared_ptr<const Transport> transport,
                            std::size_t chunk_size = std::size_t{64} * 1024);
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;
    ~HttpConnection();

    // Each of these gives up at `deadline` with asio::error::timed_out (the socket is then closed).
    ErrorCode connect(Clock::time_point deadline);
    ErrorCode write(const http::request<http::string_body>& request, Clock::time_point deadline);
    // Sends `request`'s header, then `body` with chunked transfer encoding; `idle` bounds each
    // write. When `body` fails, its error goes to `source_error` and the exchange is aborted.
    ErrorCode write_chunked(http::request<http::empty_body>& request, engine::ByteSource& body,
                            Clock::duration idle, base::Error& source_error);
    // Reads the status line and headers. A HEAD response has no body.
    ErrorCode read_header(bool head_request, Clock::time_point deadline);
    const http::response_header<>& header() const { return m_parser->get().base(); }

    struct BodyPiece {
        ErrorCode error;
        std::string_view data;  // valid until the next read_body call
        bool end = false;       // the body is complete
        bool pending = false;   // `until` came first; the read goes on at the next call
    };
    // Reads the next piece of the body as soon as some of it arrives. A pending read is not an
    // error and is not abandoned: call again to keep waiting, or close().
    BodyPiece read_body(Clock::time_point until);

    // Closes the socket (and ends an ssh child); an outstanding read is cancelled.
    void close();

    // Keep-alive: true when the response was read to its end, without error, and neither side
    // asked to close; then reset() makes the connection ready for the next exchange.
    bool reusable() const;
    void reset();

    // After a failure: what the transport can add, e.g. ssh's stderr ("Permission denied
    // (publickey)") or why the daemon's certificate was refused. Empty when nothing.
    std::string problem();

  private:
    template <class Start>
    ErrorCode run_operation(Start&& start, Clock::time_point deadline);
    // Runs handlers until `done` or until `until`; true when done.
    bool run_until(const bool& done, Clock::time_point until);
    // Closes the socket and runs the cancelled handler to completion.
    void abort(const bool& done);

    // Calls `f` with the stream this connection uses.
    template <class F>
    void with_stream(F&& f);
    ErrorCode connect_tcp(Clock::time_point deadline);

    std::shared_ptr<const Transport> m_transport;
    boost::asio::io_context m_context;
    boost::asio::local::stream_protocol::socket m_socket;  // unix, and ssh's socketpair
    boost::asio::ip::tcp::socket m_tcp;                    // plain tcp
    std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> m_tls;
    SshChild m_ssh;
    long m_tls_verify_result = 0;  // X509_V_OK
    std::string m_spawn_problem;   // ssh could not be started
    boost::beast::flat_buffer m_buffer;
    std::optional<http::response_parser<http::buffer_body>> m_parser;
    bool m_failed = false;  // an operation failed or timed out: never reused
    std::vector<char> m_chunk;
    bool m_reading = false;  // a read_body operation is outstanding
    bool m_read_done = false;
    ErrorCode m_read_error;
};

}  // namespace kfrun::docker
