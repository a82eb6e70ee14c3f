#pragma once
// AttachSession: the hijacked connection of POST /containers/{id}/attach (`kfrun shell`).
//
// The request carries `Connection: Upgrade` and `Upgrade: tcp`; the daemon answers
// `101 UPGRADED` and the socket then carries raw bytes both ways: what we write goes to the
// container's stdin, what we read is its output — unframed with a TTY, in 8-byte frames
// (FrameDemuxer) without one. Half-closing our side (shutdown SHUT_WR) closes the container's
// stdin when it was created with StdinOnce, so `echo 'ls; exit' | kfrun shell` ends.
//
// Open it before the container starts (output is not lost), start the container, then pump().
// The socket is a plain unix socket driven with poll(): the upgraded stream is not HTTP, and
// the pump needs to wait on stdin, the socket and a wake-up descriptor (SIGWINCH) at once.
// A remote daemon (tcp://, ssh://) is refused with a clear error: `kfrun shell` also
// bind-mounts the step's inputs from this host.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "docker/docker_client.hpp"

namespace kfrun::docker {

struct AttachStreams {
    int input = 0;   // read until EOF and sent to the container's stdin; -1: none
    int output = 1;  // the container's stdout (and everything, with a TTY)
    int error = 2;   // its stderr (without a TTY)
};

class AttachSession {
  public:
    // Connects to the daemon's socket and sends
    // POST /containers/{id}/attach?stream=1&stdin=1&stdout=1&stderr=1; the 101 (or 200) must
    // arrive within the client's quick timeout. Any other status is a Docker error naming the
    // call. `tty`: the container was created with Tty=true (no frames).
    static base::Result<std::unique_ptr<AttachSession>> open(const DockerClient& client,
                                                             std::string_view container_id,
                                                             bool tty);
    ~AttachSession();
    AttachSession(const AttachSession&) = delete;
    AttachSession& operator=(const AttachSession&) = delete;

    // Copies input → container and container → output/error until the container's output
    // ends (its process exited, or it was detached). When `wake_fd` is readable `on_wake` is
    // called (it must drain it); returning false ends the pump early. An error for a broken
    // connection or a daemon error frame.
    base::Result<void> pump(const AttachStreams& streams, int wake_fd = -1,
                            const std::function<bool()>& on_wake = {});

  private:
    AttachSession(int fd, bool tty, std::string early, std::string call)
        : m_fd(fd), m_tty(tty), m_early(std::move(early)), m_call(std::move(call)) {}

    int m_fd = -1;
    bool m_tty = false;
    std::string m_early;  // stream bytes that arrived with the response header
    std::string m_call;   // "docker POST /containers/<id>/attach", for errors
};

// POST /containers/{id}/resize?h=&w=: the TTY's size (after start).
base::Result<void> resize_tty(const DockerClient& client, std::string_view container_id,
                              unsigned rows, unsigned columns);

}  // namespace kfrun::docker
