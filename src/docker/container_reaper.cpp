#include "docker/container_reaper.hpp"

#include <exception>

namespace kfrun::docker {

ContainerReaper::~ContainerReaper() {
    drain();
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void ContainerReaper::remove(std::string id, std::filesystem::path folder) {
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(Removal{std::move(id), std::move(folder)});
        if (!m_thread.joinable()) {
            m_thread = std::thread([this] { loop(); });
        }
    }
    m_wake.notify_one();
}

std::vector<std::string> ContainerReaper::drain() {
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_queue.empty() && !m_busy; });
    std::vector<std::string> problems;
    problems.swap(m_problems);
    return problems;
}

void ContainerReaper::wait_idle() {
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_queue.empty() && !m_busy; });
}

void ContainerReaper::loop() {
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
        if (m_queue.empty()) {
            return;  // stopping, nothing left
        }
        Removal removal = std::move(m_queue.front());
        m_queue.pop_front();
        const std::string& id = removal.id;
        m_busy = true;
        lock.unlock();
        // No exception may leave the reaper's thread: it becomes a problem drain() reports (the
        // run's sweep of labelled containers then removes the container).
        std::string problem;
        try {
            auto removed = m_client.remove_container(id, true, true);
            problem = removed.ok() ? std::string() : removed.error().to_string();
            if (!removal.folder.empty()) {
                std::error_code error;
                std::filesystem::remove_all(removal.folder, error);
                if (error) {
                    problem += (problem.empty() ? "" : "; ") + ("removing " +
                               removal.folder.string() + " failed: " + error.message());
                }
            }
        } catch (const std::exception& e) {
            problem = std::string("kfrun internal error: ") + e.what();
        } catch (...) {
            problem = "kfrun internal error: unknown exception";
        }
        lock.lock();
        m_busy = false;
        if (!problem.empty()) {
            m_problems.push_back("removing container " + id.substr(0, 12) + " failed: " + problem);
        }
        if (m_queue.empty()) {
            m_idle.notify_all();
        }
    }
}

}  // namespace kfrun::docker
