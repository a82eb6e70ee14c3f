#include "cli/raw_terminal.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace kfrun::cli {

namespace {

std::atomic<int> g_signal_write{-1};

extern "C" void forward_signal(int signal) {
    int saved = errno;
    int fd = g_signal_write.load();
    if (fd >= 0) {
        unsigned char byte = static_cast<unsigned char>(signal);
        [[maybe_unused]] ssize_t ignored = ::write(fd, &byte, 1);
    }
    errno = saved;
}

}  // namespace

std::optional<RawTerminal> RawTerminal::enter(int fd) {
    termios saved{};
    if (::isatty(fd) == 0 || ::tcgetattr(fd, &saved) != 0) {
        return std::nullopt;
    }
    termios raw = saved;
    ::cfmakeraw(&raw);
    if (::tcsetattr(fd, TCSADRAIN, &raw) != 0) {
        return std::nullopt;
    }
    return RawTerminal(fd, saved);
}

RawTerminal::RawTerminal(RawTerminal&& other) noexcept : m_fd(other.m_fd), m_saved(other.m_saved) {
    other.m_fd = -1;
}

RawTerminal::~RawTerminal() {
    if (m_fd >= 0) {
        ::tcsetattr(m_fd, TCSADRAIN, &m_saved);
    }
}

std::optional<WindowSize> window_size(int fd) {
    winsize size{};
    if (::ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) {
        return std::nullopt;
    }
    return WindowSize{size.ws_row, size.ws_col};
}

SignalPipe::SignalPipe(std::vector<int> signals) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        return;
    }
    m_read = fds[0];
    m_write = fds[1];
    g_signal_write.store(m_write);
    for (int signal : signals) {
        struct sigaction action {};
        action.sa_handler = forward_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        struct sigaction previous {};
        if (::sigaction(signal, &action, &previous) == 0) {
            m_previous.emplace_back(signal, previous);
        }
    }
}

SignalPipe::~SignalPipe() {
    for (const auto& [signal, previous] : m_previous) {
        ::sigaction(signal, &previous, nullptr);
    }
    g_signal_write.store(-1);
    if (m_read >= 0) {
        ::close(m_read);
        ::close(m_write);
    }
}

std::vector<int> SignalPipe::drain() {
    std::vector<int> out;
    unsigned char buffer[64];
    while (m_read >= 0) {
        ssize_t n = ::read(m_read, buffer, sizeof(buffer));
        if (n <= 0) {
            break;
        }
        out.insert(out.end(), buffer, buffer + n);
    }
    return out;
}

}  // namespace kfrun::cli
