#pragma once
// Throttle: a template-level `parallelism` limit — at most N active children of one DAG or
// steps invocation (loop iterations count against their enclosing DAG, as in Argo).
#include <deque>
#include <functional>

namespace kfrun::engine {

class Throttle {
public:
    explicit Throttle(int limit = 0) : m_limit(limit) {}

    // Runs `start` now if a slot is free (or there is no limit), else when one frees up.
    void submit(std::function<void()> start) {
        if (m_limit <= 0 || m_active < m_limit) {
            ++m_active;
            start();
        } else {
            m_waiting.push_back(std::move(start));
        }
    }
    // A child started through submit() is fulfilled.
    void release() {
        if (m_active > 0) {
            --m_active;
        }
        while (!m_waiting.empty() && (m_limit <= 0 || m_active < m_limit)) {
            auto next = std::move(m_waiting.front());
            m_waiting.pop_front();
            ++m_active;
            next();
        }
    }
    int limit() const { return m_limit; }

private:
    int m_limit;
    int m_active = 0;
    std::deque<std::function<void()>> m_waiting;
};

}  // namespace kfrun::engine
