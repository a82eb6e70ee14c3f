#include "docker/credential_helper.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

#include "base/time.hpp"
#include "base/unique_fd.hpp"

extern char** environ;

namespace kfrun::docker {
namespace {

using Clock = std::chrono::steady_clock;

base::Error helper_error(const std::string& program, std::string message) {
    return base::make_error(base::ErrorKind::Io, std::move(message), program + " get");
}

int exit_status_of(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
}

// Waits for the child until `deadline`; kills it then. Returns its exit status, or -1 when it
// had to be killed.
int reap(pid_t pid, Clock::time_point deadline) {
    int status = 0;
    while (true) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            return exit_status_of(status);
        }
        if (done < 0 && errno != EINTR) {
            return -1;
        }
        if (Clock::now() >= deadline) {
            ::kill(pid, SIGKILL);
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace

base::Result<HelperAnswer> run_credential_helper(const std::string& program,
                                                 const std::string& argument,
                                                 std::string_view input,
                                                 const HelperLimits& limits) {
    // stdin is one end of a socket pair: send(MSG_NOSIGNAL) cannot raise SIGPIPE when the
    // helper exits without reading.
    int in_pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair) != 0) {
        return helper_error(program, std::string("socketpair: ") + std::strerror(errno));
    }
    base::UniqueFd in_ours(in_pair[0]);
    base::UniqueFd in_theirs(in_pair[1]);
    int out_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
        return helper_error(program, std::string("pipe: ") + std::strerror(errno));
    }
    base::UniqueFd out_ours(out_pipe[0]);
    base::UniqueFd out_theirs(out_pipe[1]);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_theirs.get(), STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out_theirs.get(), STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    // Nothing else of kfrun's: not the daemon connections other threads hold open (Asio's
    // sockets are not close-on-exec), nor a log file.
    if (const int failed = posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
        failed != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return helper_error(program, std::string("posix_spawn: ") + std::strerror(failed));
    }
    std::vector<char*> argv{const_cast<char*>(program.c_str()), const_cast<char*>(argument.c_str()),
                            nullptr};
    pid_t pid = 0;
    const int spawned =
        ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        return helper_error(program, spawned == ENOENT
                                         ? "not found on PATH"
                                         : std::string("cannot be run: ") + std::strerror(spawned));
    }
    in_theirs.reset();
    out_theirs.reset();
    const auto deadline = Clock::now() + limits.timeout;

    std::size_t sent = 0;
    while (sent < input.size()) {
        const ssize_t n = ::send(in_ours.get(), input.data() + sent, input.size() - sent,
                                 MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;  // the helper does not read (or its buffer is full): it answers anyway
        }
        sent += static_cast<std::size_t>(n);
    }
    in_ours.reset();  // EOF on the helper's stdin

    HelperAnswer answer;
    std::string problem;
    char buffer[4096];
    while (problem.empty()) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            problem = "did not answer within " + base::format_duration(limits.timeout) + "; killed";
            break;
        }
        pollfd poller{out_ours.get(), POLLIN, 0};
        const int ready = ::poll(&poller, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            continue;  // the deadline is checked above
        }
        const ssize_t n = ::read(out_ours.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;  // EOF
        }
        if (answer.output.size() + static_cast<std::size_t>(n) > limits.max_output) {
            problem =
                "answered more than " + std::to_string(limits.max_output / 1024) + " KiB; killed";
            break;
        }
        answer.output.append(buffer, static_cast<std::size_t>(n));
    }
    out_ours.reset();
    const int status = reap(pid, problem.empty() ? deadline : Clock::now());
    if (!problem.empty()) {
        return helper_error(program, problem);
    }
    if (status < 0) {
        return helper_error(
            program, "did not exit within " + base::format_duration(limits.timeout) + "; killed");
    }
    answer.exit_status = status;
    return answer;
}

}  // namespace kfrun::docker
