#pragma once
// ContainerReaper: removes finished step containers on a thread of its own, so that removing
// one (~100 ms on a loaded daemon) is not on the path from a step's exit to its dependents'
// start; a step's scratch folder (its staged inputs) goes after it, off that path too.
// DockerRuntime::end_run drains it before the run's sandbox and volumes go, so a run
// still leaves no container behind. The thread starts with the first removal.
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "docker/docker_client.hpp"

namespace kfrun::docker {

class ContainerReaper {
public:
    explicit ContainerReaper(const DockerClient& client) : m_client(client) {}
    ~ContainerReaper();
    ContainerReaper(const ContainerReaper&) = delete;
    ContainerReaper& operator=(const ContainerReaper&) = delete;

    // Queues the container for removal (forced, with its anonymous volumes), then that of
    // `folder` (a step's scratch folder, moved out of the way by the caller) when not empty.
    void remove(std::string id, std::filesystem::path folder = {});
    // Waits until every queued container is removed; the problems met since the last drain.
    std::vector<std::string> drain();
    // Waits until every queued container is removed, leaving the problems for drain().
    void wait_idle();

private:
    void loop();

    const DockerClient& m_client;
    std::mutex m_mutex;
    std::condition_variable m_wake;  // work queued, or stopping
    std::condition_variable m_idle;  // the queue ran empty
    struct Removal {
        std::string id;
        std::filesystem::path folder;
    };
    std::deque<Removal> m_queue;
    bool m_busy = false;
    bool m_stop = false;
    std::vector<std::string> m_problems;
    std::thread m_thread;
};

}  // namespace kfrun::docker
