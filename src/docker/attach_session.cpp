#include "docker/attach_session.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "docker/docker_error.hpp"
#include "docker/frame_demuxer.hpp"

namespace kfrun::docker {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t k_max_header = 64 * 1024;
constexpr std::size_t k_chunk = 32 * 1024;

std::string errno_text(const char* what) {
    return std::string(what) + ": " + std::strerror(errno);
}

base::Result<void> write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd wait{fd, POLLOUT, 0};
            ::poll(&wait, 1, 1000);
            continue;
        }
        if (n <= 0) {
            return base::make_error(base::ErrorKind::Io, errno_text("writing the output"));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

// Waits for `fd` to be readable until `deadline`; false on timeout.
bool wait_readable(int fd, Clock::time_point deadline) {
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            return false;
        }
        pollfd wait{fd, POLLIN, 0};
        int ready = ::poll(&wait, 1, static_cast<int>(left.count()));
        if (ready > 0) {
            return true;
        }
        if (ready < 0 && errno != EINTR) {
            return false;
        }
    }
}

}  // namespace

base::Result<std::unique_ptr<AttachSession>> AttachSession::open(const DockerClient& client,
                                                                 std::string_view container_id,
                                                                 bool tty) {
    DockerRequest request("POST", "/containers/" + encode_path(container_id) + "/attach",
                          client.config().quick_timeout);
    request.query.add("stream", true).add("stdin", true).add("stdout", true).add("stderr", true);
    const std::string call = docker_call_name("POST", request.path);
    const auto deadline = Clock::now() + client.config().quick_timeout;

    if (client.remote()) {
        return base::make_error(base::ErrorKind::Input,
                                "kfrun shell needs the Docker daemon on this host's unix socket; " +
                                    client.endpoint().url() + " is remote",
                                call);
    }
    const std::string& socket_path = client.endpoint().path;
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return make_transport_error(call, errno_text("socket"));
    }
    auto fail = [fd](base::Error error) {
        ::close(fd);
        return error;
    };
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_path.size() >= sizeof(address.sun_path)) {
        return fail(make_transport_error(call, "socket path too long: " + socket_path));
    }
    std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        return fail(make_transport_error(
            call, errno_text(("connecting to " + socket_path).c_str())));
    }
    std::string head = "POST " + client.target(request) +
                       " HTTP/1.1\r\nHost: docker\r\nUser-Agent: kfrun\r\n"
                       "Content-Type: text/plain\r\nContent-Length: 0\r\n"
                       "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
    if (::send(fd, head.data(), head.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(head.size())) {
        return fail(make_transport_error(call, errno_text("sending the request")));
    }

    // The status line and headers; anything after them is already the stream.
    std::string received;
    std::size_t end = std::string::npos;
    char buffer[4096];
    while ((end = received.find("\r\n\r\n")) == std::string::npos) {
        if (received.size() > k_max_header) {
            return fail(make_transport_error(call, "the response header is too long"));
        }
        if (!wait_readable(fd, deadline)) {
            return fail(make_transport_error(call, "no response from the daemon in time"));
        }
        ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return fail(make_transport_error(call, "the daemon closed the connection"));
        }
        received.append(buffer, static_cast<std::size_t>(n));
    }
    unsigned status = 0;
    if (received.compare(0, 5, "HTTP/") == 0) {
        std::size_t space = received.find(' ');
        if (space != std::string::npos) {
            status = static_cast<unsigned>(std::strtoul(received.c_str() + space + 1, nullptr, 10));
        }
    }
    std::string rest = received.substr(end + 4);
    if (status != 101 && status != 200) {
        // A small error body ({"message": ...}); read what comes within the deadline.
        while (rest.size() < k_max_header && wait_readable(fd, deadline)) {
            ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
            if (n <= 0) {
                break;
            }
            rest.append(buffer, static_cast<std::size_t>(n));
            if (rest.find('}') != std::string::npos) {
                break;
            }
        }
        if (status == 0) {
            return fail(make_transport_error(call, "not an HTTP response"));
        }
        return fail(make_docker_error(call, status, rest));
    }
    return std::unique_ptr<AttachSession>(new AttachSession(fd, tty, std::move(rest), call));
}

AttachSession::~AttachSession() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

base::Result<void> AttachSession::pump(const AttachStreams& streams, int wake_fd,
                                       const std::function<bool()>& on_wake) {
    base::Result<void> output_error;
    FrameDemuxer demuxer([&](OutputStream stream, std::string_view payload, bool) {
        if (output_error.ok()) {
            output_error =
                write_all(stream == OutputStream::Stderr ? streams.error : streams.output, payload);
        }
    });
    auto deliver = [&](std::string_view data) -> base::Result<void> {
        if (m_tty) {
            return write_all(streams.output, data);
        }
        auto fed = demuxer.feed(data);
        if (!fed.ok()) {
            return make_transport_error(m_call, fed.error().message);
        }
        return output_error;
    };
    if (!m_early.empty()) {
        KFRUN_TRY(deliver(m_early));
        m_early.clear();
    }
    int flags = ::fcntl(m_fd, F_GETFL);
    ::fcntl(m_fd, F_SETFL, flags | O_NONBLOCK);

    bool input_open = streams.input >= 0;
    bool write_closed = false;
    std::string pending;  // stdin bytes not yet accepted by the socket
    std::vector<char> buffer(k_chunk);
    auto close_write = [&] {
        if (!write_closed) {
            ::shutdown(m_fd, SHUT_WR);
            write_closed = true;
        }
    };
    if (!input_open) {
        close_write();
    }
    while (true) {
        pollfd fds[3];
        nfds_t count = 0;
        fds[count++] =
            pollfd{m_fd, static_cast<short>(POLLIN | (pending.empty() ? 0 : POLLOUT)), 0};
        int input_index = -1;
        if (input_open && pending.empty()) {
            input_index = static_cast<int>(count);
            fds[count++] = pollfd{streams.input, POLLIN, 0};
        }
        int wake_index = -1;
        if (wake_fd >= 0) {
            wake_index = static_cast<int>(count);
            fds[count++] = pollfd{wake_fd, POLLIN, 0};
        }
        int ready = ::poll(fds, count, -1);
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            return make_transport_error(m_call, errno_text("poll"));
        }
        if (wake_index >= 0 && (fds[wake_index].revents & POLLIN) != 0) {
            if (on_wake && !on_wake()) {
                return {};
            }
        }
        if (input_index >= 0 && fds[input_index].revents != 0) {
            ssize_t n = ::read(streams.input, buffer.data(), buffer.size());
            if (n > 0) {
                pending.append(buffer.data(), static_cast<std::size_t>(n));
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                input_open = false;  // EOF (or an unreadable stdin): the container's stdin closes
            }
        }
        if (!pending.empty() && !write_closed) {
            ssize_t n = ::send(m_fd, pending.data(), pending.size(), MSG_NOSIGNAL);
            if (n > 0) {
                pending.erase(0, static_cast<std::size_t>(n));
            } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                pending.clear();  // the container no longer reads its stdin
                input_open = false;
                write_closed = true;
            }
        }
        if (!input_open && pending.empty()) {
            close_write();
        }
        if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            ssize_t n = ::recv(m_fd, buffer.data(), buffer.size(), 0);
            if (n > 0) {
                KFRUN_TRY(deliver(std::string_view(buffer.data(), static_cast<std::size_t>(n))));
            } else if (n == 0) {
                break;  // the container's output ended
            } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                if (errno == ECONNRESET) {
                    break;
                }
                return make_transport_error(m_call, errno_text("reading the stream"));
            }
        }
    }
    if (!m_tty) {
        auto finished = demuxer.finish();
        if (!finished.ok()) {
            return make_transport_error(m_call, finished.error().message);
        }
    }
    return {};
}

base::Result<void> resize_tty(const DockerClient& client, std::string_view container_id,
                              unsigned rows, unsigned columns) {
    DockerRequest request("POST", "/containers/" + encode_path(container_id) + "/resize",
                          client.config().quick_timeout);
    request.query.add("h", static_cast<long long>(rows)).add("w", static_cast<long long>(columns));
    auto response = client.exchange(request);
    KFRUN_TRY(response);
    if (response->status < 200 || response->status >= 300) {
        return make_docker_error(docker_call_name("POST", request.path), response->status,
                                 response->body);
    }
    return {};
}

}  // namespace kfrun::docker
