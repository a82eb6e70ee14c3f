#pragma once
// ResponseStream: a Docker response whose body is read as it arrives (logs, wait, archives,
// pulls). Owns its connection; destroying it closes the connection, which makes the daemon
// abandon context-aware work (a wait, a log follow, a pull).
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "engine/byte_source.hpp"

namespace kfrun::docker {

class HttpConnection;

class ResponseStream : public engine::ByteSource {
  public:
    using Clock = std::chrono::steady_clock;

    struct Piece {
        std::string_view data;  // valid until the next read
        bool end = false;       // the body is complete
        bool pending = false;   // `until` passed first; the read continues at the next call
    };

    // `call` names the request in errors; `idle_timeout` bounds ByteSource::read.
    ResponseStream(std::unique_ptr<HttpConnection> connection, std::string call,
                   std::chrono::milliseconds idle_timeout);
    ResponseStream(const ResponseStream&) = delete;
    ResponseStream& operator=(const ResponseStream&) = delete;
    ~ResponseStream() override;

    unsigned status() const;
    // A response header ("" when absent); names are case-insensitive.
    std::string header(std::string_view name) const;
    const std::string& call() const { return m_call; }

    // The next bytes of the body, waiting at most until `until`. A pending read is not lost:
    // the next call goes on with it. Lets a caller poll a cancel token while it waits.
    base::Result<Piece> read_some(Clock::time_point until);
    // The rest of the body, failing when it passes `max_bytes` or `deadline`.
    base::Result<std::string> read_all(std::size_t max_bytes, Clock::time_point deadline);
    // ByteSource: the next bytes; fails when none arrive within the idle timeout.
    base::Result<std::size_t> read(char* buffer, std::size_t capacity) override;

    // Closes the connection now (reads fail afterwards).
    void close();

  private:
    std::unique_ptr<HttpConnection> m_connection;
    std::string m_call;
    std::chrono::milliseconds m_idle_timeout;
    std::string_view m_unread;  // what read_some returned that read() has not handed out yet
    bool m_closed = false;
};

}  // namespace kfrun::docker
