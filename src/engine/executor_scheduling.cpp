// Executor, part four: the scheduler loop — events to the node controllers, ready pods to the
// worker threads within the parallelism limit, completions applied, timers and deadlines fired.
#include <algorithm>

#include "base/time.hpp"
#include "engine/executor.hpp"

namespace kfrun::engine {

using Clock = std::chrono::steady_clock;

std::optional<Clock::time_point> Executor::next_wakeup() const {
    std::optional<Clock::time_point> wake;
    auto consider = [&wake](Clock::time_point t) {
        if (!wake || t < *wake) {
            wake = t;
        }
    };
    for (const Timer& timer : m_timers) {
        consider(timer.when);
    }
    if (m_run_deadline && !m_in_exit_handler) {
        consider(*m_run_deadline);
    }
    if (m_timeout_at) {
        consider(*m_timeout_at);
    }
    return wake;
}

void Executor::run_until_fulfilled(NodeIndex target) {
    while (true) {
        drain_events();
        dispatch_ready();
        drain_events();
        if (m_state.node(target).fulfilled() && m_events.empty() && m_running == 0) {
            return;
        }
        if (m_running == 0 && m_ready.empty() && m_timers.empty() && m_events.empty()) {
            // Nothing can make progress: a bug, or a graph validation should have refused.
            for (std::size_t i = 0; i < m_state.size(); ++i) {
                Node& node = m_state.node(i);
                if (!node.fulfilled()) {
                    node.phase = NodePhase::Error;
                    node.message = "kfrun could not make progress on this node";
                    node.finished_at = std::chrono::system_clock::now();
                }
            }
            warn("the run stopped making progress; unfinished nodes were marked Error");
            return;
        }
        std::deque<Completion> completions;
        {
            std::unique_lock lock(m_mutex);
            auto has_work = [this] { return !m_completions.empty() || m_cancel.cancelled(); };
            if (!has_work()) {
                auto wake = next_wakeup();
                if (m_running > 0 || !m_ready.empty()) {
                    // Wake at least every 100 ms so cancellation is noticed.
                    auto limit = Clock::now() + std::chrono::milliseconds(100);
                    wake = wake ? std::min(*wake, limit) : limit;
                }
                if (wake) {
                    m_work_done.wait_until(lock, *wake, has_work);
                } else {
                    m_work_done.wait(lock, has_work);
                }
            }
            completions.swap(m_completions);
        }
        for (Completion& completion : completions) {
            apply(std::move(completion));
        }
        auto now = Clock::now();
        if (m_timeout_at && now >= *m_timeout_at && !m_cancel.cancelled()) {
            cancel("kfrun --timeout exceeded");
        }
        if (m_cancel.cancelled()) {
            fail_queued(m_cancel.reason());
            fire_timers_now();  // a waiting retry finishes instead of starting another attempt
        }
        if (past_run_deadline()) {
            fail_queued("Step exceeded its deadline");
            fire_timers_now();
        }
        std::vector<Timer> due;
        for (auto it = m_timers.begin(); it != m_timers.end();) {
            if (it->when <= now) {
                due.push_back(std::move(*it));
                it = m_timers.erase(it);
            } else {
                ++it;
            }
        }
        for (Timer& timer : due) {
            timer.action();
        }
    }
}

void Executor::drain_events() {
    while (!m_events.empty()) {
        NodeIndex index = m_events.front();
        m_events.pop_front();
        NodeIndex parent = m_state.node(index).parent;
        if (parent == k_no_node) {
            continue;
        }
        auto it = m_controllers.find(parent);
        if (it != m_controllers.end()) {
            it->second->on_child_fulfilled(*this, index);
        }
    }
}

void Executor::fail_queued(const std::string& message) {
    while (!m_ready.empty()) {
        std::unique_ptr<PodJob> job = std::move(m_ready.front());
        m_ready.pop_front();
        finish(job->node, NodePhase::Failed, message);
    }
}

void Executor::dispatch_ready() {
    int limit = pod_limit();
    while (!m_ready.empty() && m_running < limit) {
        std::unique_ptr<PodJob> job = std::move(m_ready.front());
        m_ready.pop_front();
        Node& node = m_state.node(job->node);
        if (m_cancel.cancelled()) {
            finish(job->node, NodePhase::Failed, m_cancel.reason());
            continue;
        }
        auto now = Clock::now();
        std::optional<Clock::time_point> deadline;
        if (job->template_deadline) {
            deadline = base::deadline_after(now, *job->template_deadline);
        }
        if (m_run_deadline && !m_in_exit_handler) {
            if (*m_run_deadline <= now) {
                finish(job->node, NodePhase::Failed, "Step exceeded its deadline");
                continue;
            }
            if (!deadline || *m_run_deadline < *deadline) {
                deadline = *m_run_deadline;
                job->deadline_message = "Step exceeded its deadline";
            }
        }
        job->spec.deadline = deadline;
        if (m_options.replay.mode != Replay::Mode::None && replay_instead(job)) {
            continue;
        }
        node.phase = NodePhase::Running;
        node.started_at = std::chrono::system_clock::now();
        m_observer.on_node_started(m_state, node);
        ++m_running;
        if (m_options.dry_run || m_runner == nullptr) {
            Completion completion;
            completion.node = job->node;
            completion.result = dry_run_result(*job);
            completion.job = std::move(job);
            std::lock_guard lock(m_mutex);
            m_completions.push_back(std::move(completion));
            continue;
        }
        {
            std::lock_guard lock(m_mutex);
            m_jobs.push_back(std::move(job));
            if (static_cast<int>(m_workers.size()) < limit &&
                static_cast<int>(m_workers.size()) < m_running) {
                m_workers.emplace_back([this] { worker_loop(); });
            }
        }
        m_work_ready.notify_one();
    }
}

void Executor::worker_loop() {
    while (true) {
        std::unique_ptr<PodJob> job;
        {
            std::unique_lock lock(m_mutex);
            m_work_ready.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_jobs.empty()) {
                return;
            }
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        Completion completion;
        completion.node = job->node;
        // No exception may leave a worker thread: a bug while running one step ends that step
        // as Error (its container goes with the run's sweep), and the run goes on.
        std::string problem;
        try {
            completion.result = m_runner->run(*job, m_cancel);
        } catch (const std::exception& e) {
            problem = e.what();
        } catch (...) {
            problem = "unknown exception";
        }
        if (!problem.empty()) {
            completion.result = PodResult{};
            completion.result.phase = NodePhase::Error;
            completion.result.message = "kfrun internal error while running the step: " + problem;
        }
        completion.job = std::move(job);
        {
            std::lock_guard lock(m_mutex);
            m_completions.push_back(std::move(completion));
        }
        m_work_done.notify_one();
    }
}

void Executor::apply(Completion completion) {
    --m_running;
    Node& node = m_state.node(completion.node);
    PodResult& result = completion.result;
    const PodJob& job = *completion.job;
    StepRecord& record = result.record;
    record.image = job.spec.image;
    record.original_image = job.original_image;
    record.command = job.spec.command;
    record.args = job.spec.args;
    record.env = job.spec.env;
    record.working_dir = job.spec.working_dir;
    record.input_artifacts = job.input_artifacts;
    if (!job.resource && record.cache != CacheOutcome::Reused) {
        record.spec = job.spec;
    }
    if (record.container_name.empty() && !m_options.dry_run && record.cache != CacheOutcome::Hit &&
        !job.resource) {
        record.container_name = job.spec.container_name;
    }
    node.outputs = std::move(result.outputs);
    node.step = std::move(record);
    finish(completion.node, result.phase, std::move(result.message));
}

bool Executor::past_run_deadline() const {
    return m_run_deadline && !m_in_exit_handler && Clock::now() >= *m_run_deadline;
}

void Executor::fire_timers_now() {
    std::vector<Timer> timers;
    timers.swap(m_timers);
    for (Timer& timer : timers) {
        timer.action();
    }
}

}  // namespace kfrun::engine
