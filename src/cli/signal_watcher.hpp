#pragma once
// SignalWatcher: Ctrl-C and SIGTERM stop the running steps instead of killing kfrun, so the
// containers are removed and the report is written. Blocks the signals for the process while
// it lives (create it before other threads start).
#include <signal.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace kfrun::cli {

class SignalWatcher {
public:
    explicit SignalWatcher(std::function<void(const std::string& reason)> on_signal);
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

    bool signalled() const { return m_signalled.load(); }

private:
    sigset_t m_set{};
    sigset_t m_previous{};
    std::atomic<bool> m_done{false};
    std::atomic<bool> m_signalled{false};
    std::thread m_thread;
};

}  // namespace kfrun::cli
