#pragma once
// LocalRegistry: Debian's docker-registry on 127.0.0.1:<free port> with basic auth (an htpasswd
// file made with `htpasswd -B`), storage in a temp dir; started by the constructor, stopped by
// the destructor. Docker allows plain http for 127.0.0.0/8 registries. The docker CLI is used
// for test setup only (login, tag, push), each with its own DOCKER_CONFIG.
#include <sys/types.h>

#include <filesystem>
#include <string>

namespace kfrun::test_support {

class LocalRegistry {
  public:
    // True when /usr/bin/docker-registry and htpasswd are installed (scripts/setup.sh does).
    static bool available();

    LocalRegistry(std::string user, std::string password);
    ~LocalRegistry();
    LocalRegistry(const LocalRegistry&) = delete;
    LocalRegistry& operator=(const LocalRegistry&) = delete;

    // Empty when it is up; else what went wrong.
    const std::string& problem() const { return m_problem; }
    // "127.0.0.1:PORT"
    std::string host() const { return "127.0.0.1:" + std::to_string(m_port); }
    const std::filesystem::path& dir() const { return m_dir; }

    // `docker login` into a DOCKER_CONFIG folder; true on success.
    bool login(const std::filesystem::path& docker_config, const std::string& user,
               const std::string& password) const;
    // Tags `local_image` as `remote` (host()/…), pushes it with `docker_config`, and removes
    // the local tag `remote`. Returns "" or the CLI's output.
    std::string push(const std::string& local_image, const std::string& remote,
                     const std::filesystem::path& docker_config) const;
    // The registry's log so far (one line per request).
    std::string log() const;

  private:
    std::string m_user;
    std::string m_password;
    std::filesystem::path m_dir;
    int m_port = 0;
    pid_t m_pid = -1;
    std::string m_problem;
};

// Runs a shell command line (test setup only); returns its exit status and fills `output`.
int run_shell(const std::string& command, std::string* output = nullptr);

}  // namespace kfrun::test_support
