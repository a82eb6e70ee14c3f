#include "fake_daemon.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace kfrun::docker::testing {
namespace {

bool wait_readable(int fd, const std::atomic<bool>& stop) {
    while (!stop) {
        pollfd entry{fd, POLLIN, 0};
        const int ready = ::poll(&entry, 1, 20);
        if (ready > 0) {
            return true;
        }
    }
    return false;
}

// Reads until `buffer` holds `needed` bytes or the peer closes.
bool read_until(int fd, std::string& buffer, const std::function<bool()>& complete,
                const std::atomic<bool>& stop) {
    char chunk[65536];
    while (!complete()) {
        if (!wait_readable(fd, stop)) {
            return false;
        }
        const ssize_t count = ::read(fd, chunk, sizeof chunk);
        if (count <= 0) {
            return false;
        }
        buffer.append(chunk, static_cast<std::size_t>(count));
    }
    return true;
}

std::string header_value(const std::string& head, const std::string& name) {
    std::string lower = head;
    for (auto& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    const auto at = lower.find("\r\n" + name + ":");
    if (at == std::string::npos) {
        return {};
    }
    const auto start = at + 3 + name.size();
    const auto end = head.find("\r\n", start);
    std::string value = head.substr(start, end - start);
    value.erase(0, value.find_first_not_of(' '));
    return value;
}

// Decodes a complete chunked body; false while incomplete.
bool dechunk(const std::string& raw, std::string& out) {
    out.clear();
    std::size_t at = 0;
    while (true) {
        const auto line_end = raw.find("\r\n", at);
        if (line_end == std::string::npos) {
            return false;
        }
        const std::size_t size = std::stoul(raw.substr(at, line_end - at), nullptr, 16);
        at = line_end + 2;
        if (size == 0) {
            return raw.find("\r\n", at) != std::string::npos;
        }
        if (raw.size() < at + size + 2) {
            return false;
        }
        out.append(raw, at, size);
        at += size + 2;
    }
}

}  // namespace

FakeReply http_reply(int status, const std::string& body, const std::string& headers) {
    return FakeReply{"HTTP/1.1 " + std::to_string(status) + " X\r\n" + headers +
                     "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body};
}

FakeReply chunked_reply(int status, const std::vector<std::string>& chunks,
                        const std::string& headers) {
    std::string bytes = "HTTP/1.1 " + std::to_string(status) + " X\r\n" + headers +
                        "Transfer-Encoding: chunked\r\n\r\n";
    char size[32];
    for (const auto& chunk : chunks) {
        std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
        bytes += size + chunk + "\r\n";
    }
    return FakeReply{bytes + "0\r\n\r\n"};
}

FakeReply ping_reply(const std::string& api_version) {
    return http_reply(200, "OK", api_version.empty() ? "" : "Api-Version: " + api_version + "\r\n");
}

FakeDaemon::FakeDaemon(Handler handler) : m_handler(std::move(handler)) {
    std::string pattern = (std::filesystem::temp_directory_path() / "kfrun-fake-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    m_dir = pattern;
    m_socket = m_dir / "docker.sock";
    m_listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, m_socket.c_str(), sizeof address.sun_path - 1);
    if (::bind(m_listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(m_listener, 16) != 0) {
        throw std::runtime_error("cannot listen on " + m_socket.string());
    }
    m_thread = std::thread([this] { serve(); });
}

FakeDaemon::~FakeDaemon() {
    m_stop = true;
    m_thread.join();
    ::close(m_listener);
    std::filesystem::remove_all(m_dir);
}

std::vector<FakeRequest> FakeDaemon::requests() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
}

void FakeDaemon::serve() {
    while (wait_readable(m_listener, m_stop)) {
        const int connection = ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (connection >= 0) {
            handle(connection);
            ::close(connection);
        }
    }
}

void FakeDaemon::handle(int connection) {
    std::string raw;
    if (!read_until(
            connection, raw, [&] { return raw.find("\r\n\r\n") != std::string::npos; }, m_stop)) {
        return;
    }
    FakeRequest request;
    const auto head_end = raw.find("\r\n\r\n") + 4;
    request.head = raw.substr(0, head_end);
    std::string rest = raw.substr(head_end);
    if (header_value(request.head, "transfer-encoding") == "chunked") {
        if (!read_until(
                connection, rest, [&] { return dechunk(rest, request.body); }, m_stop)) {
            return;
        }
    } else {
        const std::string length = header_value(request.head, "content-length");
        const std::size_t size = length.empty() ? 0 : std::stoul(length);
        if (!read_until(
                connection, rest, [&] { return rest.size() >= size; }, m_stop)) {
            return;
        }
        request.body = rest.substr(0, size);
    }
    {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(request);
    }
    const FakeReply reply = m_handler(request);
    std::size_t written = 0;
    while (written < reply.bytes.size()) {
        const ssize_t count = ::send(connection, reply.bytes.data() + written,
                                     reply.bytes.size() - written, MSG_NOSIGNAL);
        if (count <= 0) {
            return;
        }
        written += static_cast<std::size_t>(count);
    }
    while (reply.hang_after && !m_stop) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace kfrun::docker::testing
