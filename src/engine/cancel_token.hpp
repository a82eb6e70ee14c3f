#pragma once
// CancelToken: lets the engine stop running steps (Ctrl-C, --timeout, a workflow deadline).
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

namespace kfrun::engine {

class CancelToken {
public:
    void cancel(std::string reason) {
        {
            std::lock_guard lock(m_mutex);
            if (m_cancelled) {
                return;
            }
            m_cancelled = true;
            m_reason = std::move(reason);
        }
        m_changed.notify_all();
    }
    bool cancelled() const {
        std::lock_guard lock(m_mutex);
        return m_cancelled;
    }
    std::string reason() const {
        std::lock_guard lock(m_mutex);
        return m_reason;
    }
    // Blocks until cancelled (returns true) or until `deadline` passes (returns false).
    bool wait_until(std::chrono::steady_clock::time_point deadline) const {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_until(lock, deadline, [this] { return m_cancelled; });
    }

private:
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    bool m_cancelled = false;
    std::string m_reason;
};

}  // namespace kfrun::engine
