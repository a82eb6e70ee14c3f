#include "docker/ssh_dial.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <thread>

extern char** environ;

namespace kfrun::docker {
namespace {

constexpr std::size_t k_max_problem = 4096;

std::string errno_text(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

}  // namespace

std::vector<std::string> ssh_dial_command(const DaemonEndpoint& endpoint,
                                          const std::string& control_dir,
                                          const std::string& extra_options) {
    std::vector<std::string> argv{"ssh", "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=30"};
    if (!endpoint.user.empty()) {
        argv.insert(argv.end(), {"-l", endpoint.user});
    }
    if (!endpoint.port.empty()) {
        argv.insert(argv.end(), {"-p", endpoint.port});
    }
    if (!control_dir.empty()) {
        argv.insert(argv.end(), {"-o", "ControlMaster=auto", "-o",
                                 "ControlPath=" + control_dir + "/%C", "-o", "ControlPersist=60"});
    }
    std::istringstream words(extra_options);
    for (std::string word; words >> word;) {
        argv.push_back(word);
    }
    argv.insert(argv.end(), {"--", endpoint.host, "docker", "system", "dial-stdio"});
    return argv;
}

base::Result<std::string> ssh_control_dir() {
    const char* configured = std::getenv("KFRUN_SSH_CONTROL_DIR");
    const std::string dir = configured != nullptr && *configured != '\0'
                                ? std::string(configured)
                                : "/tmp/kfrun-ssh-" + std::to_string(::getuid());
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        return base::make_error(base::ErrorKind::Io, errno_text("creating " + dir), "ssh");
    }
    struct stat info {};
    if (::lstat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != ::getuid() ||
        (info.st_mode & 077) != 0) {
        return base::make_error(base::ErrorKind::Input,
                                dir +
                                    " (ssh control sockets) must be a directory owned by this "
                                    "user with mode 0700; refusing to use it",
                                "ssh");
    }
    return dir;
}

base::Result<SshChild> SshChild::spawn(const std::vector<std::string>& argv) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        return base::make_error(base::ErrorKind::Io, errno_text("socketpair"), "ssh");
    }
    int errors[2];
    if (::pipe2(errors, O_CLOEXEC) != 0) {
        ::close(pair[0]);
        ::close(pair[1]);
        return base::make_error(base::ErrorKind::Io, errno_text("pipe"), "ssh");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pair[1], 0);
    posix_spawn_file_actions_adddup2(&actions, pair[1], 1);
    posix_spawn_file_actions_adddup2(&actions, errors[1], 2);
    // Nothing else of kfrun's: a ControlPersist master outlives kfrun, and must not keep the
    // daemon connections of other threads (Asio's sockets are not close-on-exec) or log files.
    if (const int failed = posix_spawn_file_actions_addclosefrom_np(&actions, 3); failed != 0) {
        posix_spawn_file_actions_destroy(&actions);
        ::close(pair[0]);
        ::close(pair[1]);
        ::close(errors[0]);
        ::close(errors[1]);
        errno = failed;
        return base::make_error(base::ErrorKind::Io, errno_text("posix_spawn"), "ssh");
    }
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // Its own process group: a Ctrl-C at the terminal reaches kfrun, which ends the exchange.
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    std::vector<char*> args;
    for (const auto& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    pid_t pid = -1;
    const int spawned = ::posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(pair[1]);
    ::close(errors[1]);
    if (spawned != 0) {
        ::close(pair[0]);
        ::close(errors[0]);
        errno = spawned;
        return base::make_error(
            base::ErrorKind::Input,
            errno_text("cannot run " + argv[0] + " (the ssh client, needed for ssh:// daemons)"),
            "ssh");
    }
    ::fcntl(errors[0], F_SETFL, O_NONBLOCK);
    SshChild child;
    child.m_pid = pid;
    child.m_fd = pair[0];
    child.m_stderr = errors[0];
    return child;
}

SshChild::SshChild(SshChild&& other) noexcept
    : m_pid(other.m_pid), m_fd(other.m_fd), m_stderr(other.m_stderr) {
    other.m_pid = -1;
    other.m_fd = -1;
    other.m_stderr = -1;
}

SshChild& SshChild::operator=(SshChild&& other) noexcept {
    if (this != &other) {
        stop();
        m_pid = other.m_pid;
        m_fd = other.m_fd;
        m_stderr = other.m_stderr;
        other.m_pid = -1;
        other.m_fd = -1;
        other.m_stderr = -1;
    }
    return *this;
}

SshChild::~SshChild() {
    stop();
}

int SshChild::release_fd() {
    const int fd = m_fd;
    m_fd = -1;
    return fd;
}

std::string SshChild::problem(std::chrono::milliseconds grace) {
    if (m_stderr < 0) {
        return {};
    }
    // ssh writes its complaint before it exits; a ControlPersist master it forked may keep the
    // pipe open, so wait for the child itself, then read what is there.
    const auto until = std::chrono::steady_clock::now() + grace;
    while (m_pid > 0 && std::chrono::steady_clock::now() < until) {
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::string text;
    char buffer[1024];
    while (text.size() < k_max_problem) {
        const ssize_t n = ::read(m_stderr, buffer, sizeof(buffer));
        if (n <= 0) {
            break;
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
    text.resize(std::min(text.size(), k_max_problem));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    for (char& c : text) {
        if (c == '\n' || c == '\r') {
            c = ' ';
        } else if (static_cast<unsigned char>(c) < 0x20) {
            c = '?';
        }
    }
    return text;
}

void SshChild::stop() {
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        bool reaped = false;
        for (int i = 0; i < 100 && !reaped; ++i) {
            const pid_t done = ::waitpid(m_pid, &status, WNOHANG);
            reaped = done == m_pid || (done < 0 && errno == ECHILD);
            if (!reaped) {
                std::this_thread::sleep_for(std::chrono::milliseconds(i < 10 ? 1 : 10));
            }
        }
        if (!reaped) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, &status, 0);
        }
        m_pid = -1;
    }
    if (m_stderr >= 0) {
        ::close(m_stderr);
        m_stderr = -1;
    }
}

}  // namespace kfrun::docker
