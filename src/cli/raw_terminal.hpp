#pragma once
// The local terminal while `kfrun shell` is attached: raw mode (keys go to the container
// as typed, Ctrl-C included) restored on every way out, the window size, and signals turned
// into a readable descriptor so the attach loop can wait on them with poll().
#include <csignal>
#include <optional>
#include <vector>

#include <termios.h>

namespace kfrun::cli {

// Puts a terminal into raw mode; the destructor restores the saved settings.
class RawTerminal {
  public:
    // nullopt when `fd` is not a terminal or its settings cannot be changed.
    static std::optional<RawTerminal> enter(int fd);
    RawTerminal(RawTerminal&& other) noexcept;
    RawTerminal& operator=(RawTerminal&&) = delete;
    RawTerminal(const RawTerminal&) = delete;
    ~RawTerminal();

  private:
    RawTerminal(int fd, const termios& saved) : m_fd(fd), m_saved(saved) {}
    int m_fd = -1;
    termios m_saved{};
};

struct WindowSize {
    unsigned rows = 0;
    unsigned columns = 0;
};
std::optional<WindowSize> window_size(int fd);

// While it lives, the given signals are caught and written (one byte each) to a pipe whose
// read end is fd(). The previous handlers come back in the destructor. One at a time.
class SignalPipe {
  public:
    explicit SignalPipe(std::vector<int> signals);
    ~SignalPipe();
    SignalPipe(const SignalPipe&) = delete;
    SignalPipe& operator=(const SignalPipe&) = delete;

    int fd() const { return m_read; }
    // The signals that arrived since the last call (the pipe is drained).
    std::vector<int> drain();

  private:
    int m_read = -1;
    int m_write = -1;
    std::vector<std::pair<int, struct sigaction>> m_previous;
};

}  // namespace kfrun::cli
