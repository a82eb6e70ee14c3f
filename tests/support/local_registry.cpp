#include "support/local_registry.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace kfrun::test_support {
namespace {

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
        port = ntohs(address.sin_port);
    }
    ::close(fd);
    return port;
}

bool answers(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

std::string shell_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

}  // namespace

int run_shell(const std::string& command, std::string* output) {
    std::string text;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) {
        return -1;
    }
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        text.append(buffer, n);
    }
    const int status = ::pclose(pipe);
    if (output != nullptr) {
        *output = text;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool LocalRegistry::available() {
    return ::access("/usr/bin/docker-registry", X_OK) == 0 &&
           ::access("/usr/bin/htpasswd", X_OK) == 0;
}

LocalRegistry::LocalRegistry(std::string user, std::string password)
    : m_user(std::move(user)), m_password(std::move(password)) {
    char pattern[] = "/tmp/kfrun-registry-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) {
        m_problem = "mkdtemp failed";
        return;
    }
    m_dir = pattern;
    std::string out;
    if (run_shell("htpasswd -Bbn " + shell_quoted(m_user) + " " + shell_quoted(m_password) + " > " +
                      shell_quoted((m_dir / "htpasswd").string()),
                  &out) != 0) {
        m_problem = "htpasswd: " + out;
        return;
    }
    m_port = free_port();
    std::ofstream(m_dir / "config.yml")
        << "version: 0.1\n"
        << "log: {level: info, accesslog: {disabled: false}}\n"
        << "storage:\n  filesystem: {rootdirectory: " << (m_dir / "storage").string() << "}\n"
        << "  delete: {enabled: true}\n"
        << "http: {addr: '127.0.0.1:" << m_port << "'}\n"
        << "auth:\n  htpasswd: {realm: kfrun-test, path: " << (m_dir / "htpasswd").string()
        << "}\n";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = (m_dir / "registry.log").string();
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const std::string config = (m_dir / "config.yml").string();
    char* argv[] = {const_cast<char*>("/usr/bin/docker-registry"), const_cast<char*>("serve"),
                    const_cast<char*>(config.c_str()), nullptr};
    if (::posix_spawn(&m_pid, argv[0], &actions, nullptr, argv, environ) != 0) {
        m_pid = -1;
        m_problem = "docker-registry could not be started";
    }
    posix_spawn_file_actions_destroy(&actions);
    // Ready when it accepts connections (it binds before it serves; one try every 50 ms).
    for (int attempt = 0; m_problem.empty() && attempt < 400; ++attempt) {
        if (answers(m_port)) {
            return;
        }
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            m_problem = "docker-registry exited: " + this->log();
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (m_problem.empty()) {
        m_problem = "docker-registry does not answer on " + host() + ": " + this->log();
    }
}

LocalRegistry::~LocalRegistry() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
    }
    if (!m_dir.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
    }
}

bool LocalRegistry::login(const std::filesystem::path& docker_config, const std::string& user,
                          const std::string& password) const {
    std::filesystem::create_directories(docker_config);
    std::string out;
    return run_shell("printf '%s' " + shell_quoted(password) +
                         " | DOCKER_CONFIG=" + shell_quoted(docker_config.string()) +
                         " docker login -u " + shell_quoted(user) + " --password-stdin " + host(),
                     &out) == 0;
}

std::string LocalRegistry::push(const std::string& local_image, const std::string& remote,
                                const std::filesystem::path& docker_config) const {
    std::string out;
    const std::string env = "DOCKER_CONFIG=" + shell_quoted(docker_config.string()) + " ";
    if (run_shell(env + "docker tag " + shell_quoted(local_image) + " " + shell_quoted(remote), &out) != 0 ||
        run_shell(env + "docker push " + shell_quoted(remote), &out) != 0 ||
        run_shell(env + "docker rmi " + shell_quoted(remote), &out) != 0) {
        return out.empty() ? "failed" : out;
    }
    return "";
}

std::string LocalRegistry::log() const {
    std::ifstream in(m_dir / "registry.log");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

}  // namespace kfrun::test_support
