#include "cli/signal_watcher.hpp"

#include <iostream>

namespace kfrun::cli {

namespace {
constexpr int k_wake_signal = SIGUSR2;
}  // namespace

SignalWatcher::SignalWatcher(std::function<void(const std::string& reason)> on_signal) {
    sigemptyset(&m_set);
    sigaddset(&m_set, SIGINT);
    sigaddset(&m_set, SIGTERM);
    sigaddset(&m_set, k_wake_signal);  // sent by the destructor so the thread stops at once
    pthread_sigmask(SIG_BLOCK, &m_set, &m_previous);
    m_thread = std::thread([this, on_signal = std::move(on_signal)] {
        timespec wait{0, 200'000'000};
        while (!m_done.load()) {
            int signal = sigtimedwait(&m_set, nullptr, &wait);
            if (signal == SIGINT || signal == SIGTERM) {
                m_signalled = true;
                std::cerr << "\nkfrun: " << (signal == SIGINT ? "interrupted" : "terminated")
                          << "; stopping the running steps…\n";
                // No exception may leave this thread; the run's own stop is what matters.
                try {
                    on_signal(signal == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)");
                } catch (const std::exception& e) {
                    std::cerr << "kfrun: internal error while stopping the run: " << e.what()
                              << "\n";
                } catch (...) {
                    std::cerr << "kfrun: internal error while stopping the run\n";
                }
            }
        }
    });
}

SignalWatcher::~SignalWatcher() {
    m_done = true;
    pthread_kill(m_thread.native_handle(), k_wake_signal);
    m_thread.join();
    pthread_sigmask(SIG_SETMASK, &m_previous, nullptr);
}

}  // namespace kfrun::cli
