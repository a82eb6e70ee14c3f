#pragma once
// ScopeGuard: runs a cleanup when the scope ends, unless dismissed (container removal on every
// path out of run_step).
#include <utility>

namespace kfrun::docker {

template <class Cleanup>
class [[nodiscard]] ScopeGuard {
  public:
    explicit ScopeGuard(Cleanup cleanup) : m_cleanup(std::move(cleanup)) {}
    ScopeGuard(const ScopeGuard&) = delete;
    ScopeGuard& operator=(const ScopeGuard&) = delete;
    ~ScopeGuard() {
        if (m_active) {
            m_cleanup();
        }
    }
    // Runs the cleanup now (once).
    void run_now() {
        if (m_active) {
            m_active = false;
            m_cleanup();
        }
    }
    void dismiss() { m_active = false; }

  private:
    Cleanup m_cleanup;
    bool m_active = true;
};

}  // namespace kfrun::docker
