#pragma once
// FakeDaemon: a scripted HTTP/1.1 server on a unix socket, so the Docker client's transport
// (framing, headers, timeouts, streaming) is tested without Docker. One connection at a time.
#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kfrun::docker::testing {

struct FakeRequest {
    std::string head;  // request line and headers
    std::string body;  // de-chunked
    std::string line() const { return head.substr(0, head.find("\r\n")); }
    bool has_header(const std::string& header_line) const {
        return head.find("\r\n" + header_line + "\r\n") != std::string::npos;
    }
};

struct FakeReply {
    std::string bytes;        // written as is
    bool hang_after = false;  // then keep the connection open, silent, until the server stops
};

// "HTTP/1.1 <status> X\r\n<headers>Content-Length: n\r\n\r\n<body>"
FakeReply http_reply(int status, const std::string& body, const std::string& headers = {});
// The same with the body sent in chunks (Transfer-Encoding: chunked).
FakeReply chunked_reply(int status, const std::vector<std::string>& chunks,
                        const std::string& headers = {});
// A /_ping answer with the given Api-Version header (none when empty).
FakeReply ping_reply(const std::string& api_version = "1.41");

class FakeDaemon {
  public:
    using Handler = std::function<FakeReply(const FakeRequest&)>;

    explicit FakeDaemon(Handler handler);
    FakeDaemon(const FakeDaemon&) = delete;
    FakeDaemon& operator=(const FakeDaemon&) = delete;
    ~FakeDaemon();

    std::string host() const { return "unix://" + m_socket.string(); }
    std::vector<FakeRequest> requests() const;

  private:
    void serve();
    void handle(int connection);

    Handler m_handler;
    std::filesystem::path m_dir;
    std::filesystem::path m_socket;
    int m_listener = -1;
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    std::vector<FakeRequest> m_requests;
    std::thread m_thread;
};

}  // namespace kfrun::docker::testing
