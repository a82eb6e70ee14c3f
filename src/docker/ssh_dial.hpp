#pragma once
// SshDial: the docker CLI's ssh transport. `ssh [-l user] [-p port] <options> -- host docker
// system dial-stdio` runs with its stdin and stdout on one end of a socketpair(AF_UNIX,
// SOCK_STREAM); the other end carries the HTTP exchange as if it were the daemon's socket.
// Connections are multiplexed (ControlMaster=auto, ControlPath=<private 0700 dir>/%C,
// ControlPersist=60), so only the first exchange pays for the ssh handshake. BatchMode=yes:
// keys or an agent, never a password prompt. $KFRUN_SSH_OPTS adds options (split on blanks,
// e.g. "-F /path/config -i key"); ssh's own ~/.ssh/config applies as for the CLI.
// Internal to src/docker.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "docker/daemon_endpoint.hpp"

namespace kfrun::docker {

// The argv of the ssh client for `endpoint` (kind Ssh). `control_dir` empty: no multiplexing.
std::vector<std::string> ssh_dial_command(const DaemonEndpoint& endpoint,
                                          const std::string& control_dir,
                                          const std::string& extra_options);

// The folder for ssh's control sockets: $KFRUN_SSH_CONTROL_DIR, else /tmp/kfrun-ssh-<uid>;
// created 0700, and refused unless it is a real directory owned by this user with no access
// for others.
base::Result<std::string> ssh_control_dir();

class SshChild {
  public:
    // Spawns `argv` (argv[0] looked up in PATH) with stdin/stdout on a socketpair; fd() is our
    // end (close-on-exec). Its stderr goes to a pipe read by problem().
    static base::Result<SshChild> spawn(const std::vector<std::string>& argv);
    SshChild() = default;
    SshChild(SshChild&& other) noexcept;
    SshChild& operator=(SshChild&& other) noexcept;
    ~SshChild();

    // Gives the socket end away (to an Asio socket); the child is still reaped by this object.
    int release_fd();
    // After a failed exchange: what ssh said on stderr (waits up to `grace` for it to exit),
    // e.g. "root@host: Permission denied (publickey)". Bounded; empty when it said nothing.
    std::string problem(std::chrono::milliseconds grace);
    // Ends the child: SIGTERM, SIGKILL after a second, reaped.
    void stop();

  private:
    pid_t m_pid = -1;
    int m_fd = -1;
    int m_stderr = -1;
};

}  // namespace kfrun::docker
