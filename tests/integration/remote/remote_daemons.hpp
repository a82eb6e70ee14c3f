#pragma once
// The real remote daemons the remote-daemon tests talk to, each started in a temp directory
// and stopped (with everything it made) at the end of the test binary:
//   TlsDockerd  a second dockerd on 127.0.0.1:<free port> with --tlsverify and certificates
//               made here with the openssl CLI (a CA, a server certificate for IP:127.0.0.1, a
//               client certificate), its own data-root, exec-root, pidfile, unix socket and
//               bridge; the fixture busybox image is loaded into it.
//   SshServer   Debian's sshd on 127.0.0.1:<free port> with a host key and an authorized key
//               made here with ssh-keygen; `docker system dial-stdio` there reaches this
//               machine's main daemon.
#include <sys/types.h>

#include <filesystem>
#include <string>

namespace kfrun::testing {

// `sh -c command`; the exit code and the combined output.
struct ShellResult {
    int code = -1;
    std::string output;
};
ShellResult shell(const std::string& command);
// A TCP port on 127.0.0.1 nothing listens on (now).
int free_port();

class TlsDockerd {
  public:
    // Empty when it runs; else why not.
    std::string start();
    void stop();

    int port() const { return m_port; }
    std::string url() const { return "tcp://127.0.0.1:" + std::to_string(m_port); }
    std::string socket() const { return (m_dir / "d.sock").string(); }
    // DOCKER_CERT_PATH folders: the right CA with a client certificate; a CA that did not sign
    // the server's certificate; the right CA without a client certificate.
    std::filesystem::path client_dir() const { return m_dir / "client"; }
    std::filesystem::path wrong_ca_dir() const { return m_dir / "wrong-ca"; }
    std::filesystem::path no_cert_dir() const { return m_dir / "no-cert"; }
    std::filesystem::path pki_dir() const { return m_dir / "pki"; }

  private:
    std::filesystem::path m_dir;
    std::string m_bridge;
    pid_t m_pid = -1;
    int m_port = 0;
};

class SshServer {
  public:
    std::string start();
    void stop();

    int port() const { return m_port; }
    std::string url() const { return "ssh://root@127.0.0.1:" + std::to_string(m_port); }
    // KFRUN_SSH_OPTS for kfrun: the key, a private known_hosts, no other identities.
    std::string client_options() const;
    std::filesystem::path control_dir() const { return m_dir / "ctl"; }

  private:
    std::filesystem::path m_dir;
    pid_t m_pid = -1;
    int m_port = 0;
};

}  // namespace kfrun::testing
