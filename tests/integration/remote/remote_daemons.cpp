#include "remote_daemons.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

namespace kfrun::testing {
namespace {

namespace fs = std::filesystem;

fs::path make_temp_dir(const std::string& prefix) {
    std::string pattern = "/tmp/" + prefix + "XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        return {};
    }
    return pattern;
}

pid_t spawn(const std::vector<std::string>& args, const fs::path& log) {
    std::vector<char*> argv;
    for (const auto& arg : args) {
        argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = -1;
    const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    return spawned == 0 ? pid : -1;
}

void end_process(pid_t& pid) {
    if (pid <= 0) {
        return;
    }
    ::kill(pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 300; ++i) {  // dockerd stops its containers first: up to 30 s
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            pid = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    pid = -1;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

ShellResult shell(const std::string& command) {
    ShellResult result;
    FILE* pipe = ::popen(("(" + command + ") 2>&1").c_str(), "r");
    if (pipe == nullptr) {
        return result;
    }
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
        result.output.append(buffer, n);
    }
    const int status = ::pclose(pipe);
    result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t size = sizeof(address);
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
        port = ntohs(address.sin_port);
    }
    ::close(fd);
    return port;
}

std::string TlsDockerd::start() {
    m_dir = make_temp_dir("kfrun-tlsd-");
    if (m_dir.empty()) {
        return "mkdtemp failed";
    }
    const std::string d = m_dir.string();
    // Certificates: a CA, the server's (SAN IP:127.0.0.1), a client's; and a CA of no one.
    const std::string pki = d + "/pki";
    const std::string make_certs =
        "set -e; mkdir -p " + pki + " " + d + "/client " + d + "/wrong-ca " + d + "/no-cert; cd " +
        pki +
        "; openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 2 "
        "-subj /CN=kfrun-test-ca"
        "; openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr "
        "-subj /CN=127.0.0.1"
        "; printf 'subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > server.ext"
        "; openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial "
        "-out server-cert.pem -days 2 -extfile server.ext"
        "; openssl req -newkey rsa:2048 -nodes -keyout key.pem -out client.csr -subj /CN=client"
        "; printf 'extendedKeyUsage=clientAuth\\n' > client.ext"
        "; openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial "
        "-out cert.pem -days 2 -extfile client.ext"
        "; cp ca.pem cert.pem key.pem " +
        d +
        "/client/"
        "; cp ca.pem " +
        d +
        "/no-cert/"
        "; openssl req -x509 -newkey rsa:2048 -nodes -keyout other-key.pem -out other-ca.pem "
        "-days 2 -subj /CN=kfrun-other-ca"
        "; cp other-ca.pem " +
        d + "/wrong-ca/ca.pem; cp cert.pem key.pem " + d + "/wrong-ca/";
    if (auto made = shell(make_certs); made.code != 0) {
        return "making certificates failed: " + made.output;
    }
    // Its own bridge: never --bridge none (that deletes the host's docker0).
    m_bridge = "kfrunbr" + std::to_string(::getpid() % 100000);
    const std::string subnet = "10." + std::to_string(200 + ::getpid() % 50) + ".77";
    shell("ip link del " + m_bridge);
    if (auto made = shell("ip link add " + m_bridge + " type bridge && ip addr add " + subnet +
                          ".1/24 dev " + m_bridge + " && ip link set " + m_bridge + " up");
        made.code != 0) {
        m_bridge.clear();
        return "making the bridge failed: " + made.output;
    }
    m_port = free_port();
    m_pid = spawn({"/usr/sbin/dockerd",
                   "--data-root",
                   d + "/data",
                   "--exec-root",
                   d + "/exec",
                   "--pidfile",
                   d + "/dockerd.pid",
                   "-H",
                   "unix://" + socket(),
                   "-H",
                   "tcp://127.0.0.1:" + std::to_string(m_port),
                   "--tlsverify",
                   "--tlscacert",
                   pki + "/ca.pem",
                   "--tlscert",
                   pki + "/server-cert.pem",
                   "--tlskey",
                   pki + "/server-key.pem",
                   "--bridge",
                   m_bridge,
                   "--iptables=false",
                   "--ip-masq=false"},
                  m_dir / "dockerd.log");
    if (m_pid <= 0) {
        return "cannot start /usr/sbin/dockerd";
    }
    // Ready when its socket answers (it takes seconds: containerd starts first).
    const std::string cli = "docker -H unix://" + socket();
    bool ready = false;
    for (int i = 0; i < 600 && !ready; ++i) {
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return "dockerd exited: " + read_file(m_dir / "dockerd.log");
        }
        ready = shell(cli + " version >/dev/null").code == 0;
        if (!ready) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }
    if (!ready) {
        return "the second dockerd did not answer: " + read_file(m_dir / "dockerd.log");
    }
    if (auto loaded = shell("docker save kfrun-fixtures/busybox:1 | " + cli + " load && " + cli +
                            " tag kfrun-fixtures/busybox:1 kfrun-remote-only/busybox:1");
        loaded.code != 0) {
        return "loading the fixture image failed: " + loaded.output;
    }
    return {};
}

void TlsDockerd::stop() {
    end_process(m_pid);
    if (!m_bridge.empty()) {
        shell("ip link del " + m_bridge);
        m_bridge.clear();
    }
    if (!m_dir.empty()) {
        // Mounts dockerd left behind (it unmounts on a clean stop) would make rm fail.
        shell("grep -o ' " + m_dir.string() +
              "[^ ]*' /proc/self/mounts | sort -r | "
              "xargs -r -n1 umount -l");
        std::error_code ignored;
        fs::remove_all(m_dir, ignored);
        m_dir.clear();
    }
}

std::string SshServer::start() {
    m_dir = make_temp_dir("kfrun-sshd-");
    if (m_dir.empty()) {
        return "mkdtemp failed";
    }
    const std::string d = m_dir.string();
    if (auto made = shell("set -e; ssh-keygen -q -t ed25519 -N '' -f " + d +
                          "/host_key; ssh-keygen -q -t ed25519 -N '' -f " + d + "/client_key; cp " +
                          d + "/client_key.pub " + d +
                          "/authorized_keys; mkdir -p /run/sshd; mkdir -m 0700 " + d + "/ctl");
        made.code != 0) {
        return "ssh-keygen failed: " + made.output;
    }
    m_port = free_port();
    std::ofstream(m_dir / "sshd_config") << "ListenAddress 127.0.0.1\n"
                                         << "HostKey " << d << "/host_key\n"
                                         << "AuthorizedKeysFile " << d << "/authorized_keys\n"
                                         << "PermitRootLogin prohibit-password\n"
                                         << "PasswordAuthentication no\n"
                                         << "KbdInteractiveAuthentication no\n"
                                         << "UsePAM no\n"
                                         << "StrictModes no\n"
                                         << "MaxSessions 100\n"
                                         << "MaxStartups 100:30:200\n"
                                         << "PidFile " << d << "/sshd.pid\n";
    m_pid = spawn(
        {"/usr/sbin/sshd", "-D", "-e", "-f", d + "/sshd_config", "-p", std::to_string(m_port)},
        m_dir / "sshd.log");
    if (m_pid <= 0) {
        return "cannot start /usr/sbin/sshd";
    }
    for (int i = 0; i < 100; ++i) {
        if (shell("ssh " + client_options() + " -p " + std::to_string(m_port) +
                  " root@127.0.0.1 true")
                .code == 0) {
            return {};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return "sshd does not let the test key in: " + read_file(m_dir / "sshd.log");
}

std::string SshServer::client_options() const {
    const std::string d = m_dir.string();
    return "-i " + d +
           "/client_key -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new "
           "-o UserKnownHostsFile=" +
           d + "/known_hosts -o BatchMode=yes";
}

void SshServer::stop() {
    if (m_pid > 0) {
        // The ControlPersist master kfrun left: ask it to exit.
        shell("ssh " + client_options() + " -o ControlPath=" + control_dir().string() + "/%C -p " +
              std::to_string(m_port) + " -O exit root@127.0.0.1");
    }
    end_process(m_pid);
    if (!m_dir.empty()) {
        std::error_code ignored;
        fs::remove_all(m_dir, ignored);
        m_dir.clear();
    }
}

}  // namespace kfrun::testing
