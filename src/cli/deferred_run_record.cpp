#include "cli/deferred_run_record.hpp"

#include <utility>

namespace kfrun::cli {

DeferredRunRecord::DeferredRunRecord(store::RunIndex& runs, store::RunRecord record,
                                     std::chrono::milliseconds delay)
    : DeferredRunRecord([&runs](const store::RunRecord& r) { return runs.put(r); },
                        std::move(record), delay) {}

DeferredRunRecord::DeferredRunRecord(Put put, store::RunRecord record,
                                     std::chrono::milliseconds delay)
    : m_put(std::move(put)), m_record(std::move(record)) {
    m_thread = std::thread([this, delay] {
        std::unique_lock lock(m_mutex);
        if (m_changed.wait_for(lock, delay, [this] { return m_cancelled; })) {
            return;
        }
        lock.unlock();
        // finish() waits for this thread, so the final record always comes after this one.
        // No exception may leave the thread: it becomes the problem finish() returns.
        std::string problem;
        try {
            auto put = m_put(m_record);
            if (!put.ok()) {
                problem = put.error().to_string();
            }
        } catch (const std::exception& e) {
            problem = std::string("kfrun internal error: ") + e.what();
        } catch (...) {
            problem = "kfrun internal error: unknown exception";
        }
        if (!problem.empty()) {
            lock.lock();
            m_problem = std::move(problem);
        }
    });
}

DeferredRunRecord::~DeferredRunRecord() {
    static_cast<void>(finish());
}

std::optional<std::string> DeferredRunRecord::finish() {
    {
        std::lock_guard lock(m_mutex);
        m_cancelled = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
    std::lock_guard lock(m_mutex);
    return std::exchange(m_problem, std::nullopt);
}

}  // namespace kfrun::cli
