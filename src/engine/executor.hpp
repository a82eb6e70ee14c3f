#pragma once
// Executor: runs a workflow — the one scheduler loop of the engine. It creates nodes as their
// inputs become known (loops and recursion grow the graph while it runs), hands pods to worker
// threads within the parallelism limit, and applies what comes back.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "engine/cancel_token.hpp"
#include "engine/container_runtime.hpp"
#include "engine/execution_context.hpp"
#include "engine/image_resolver.hpp"
#include "engine/local_resources.hpp"
#include "engine/resource_runner.hpp"
#include "engine/pod_job.hpp"
#include "engine/pod_planner.hpp"
#include "engine/run_observer.hpp"
#include "engine/step_runner.hpp"

namespace kfrun::engine {

class Executor : private ExecutionContext {
public:
    // `runtime` may be null for a dry run; `cache` may be null (no step cache).
    Executor(const model::Workflow& workflow, RunOptions options, ContainerRuntime* runtime,
             ArtifactStore& store, RunObserver& observer, StepCache* cache = nullptr);
    ~Executor() override;
    Executor(const Executor&) = delete;
    Executor& operator=(const Executor&) = delete;

    // Binds the run's parameters and the workflow's globals. An error here is the user's
    // input (a parameter without a value, an unknown one): nothing has run.
    base::Result<void> prepare();
    // Runs the workflow (and its exit handler) to the end.
    const RunState& run();
    // Thread-safe: stops the run; running steps are killed, the exit handler does not run.
    void cancel(const std::string& reason);
    const RunState& run_state() const { return m_state; }

private:
    struct Completion {
        NodeIndex node = k_no_node;
        std::unique_ptr<PodJob> job;
        PodResult result;
    };
    struct Timer {
        std::chrono::steady_clock::time_point when;
        std::function<void()> action;
    };

    // ExecutionContext
    RunState& state() override { return m_state; }
    const model::Workflow& workflow() const override { return m_workflow; }
    const RunOptions& options() const override { return m_options; }
    const Scope& globals() const override { return m_globals; }
    ArtifactStore& store() override { return m_store; }
    NodeIndex call(CallRequest request) override;
    NodeIndex add_fulfilled(std::string name, std::string display_name, NodeType type,
                            std::string template_name, NodeIndex parent, NodeIndex boundary,
                            NodePhase phase, std::string message) override;
    void finish(NodeIndex node, NodePhase phase, std::string message) override;
    void attach_controller(NodeIndex node, std::unique_ptr<NodeController> controller) override;
    void after(std::chrono::steady_clock::time_point when, std::function<void()> action) override;
    void warn(std::string message) override;
    std::string stop_reason() const override;
    bool past_run_deadline() const override;
    bool is_fresh(const Node& node) const override;
    // --only: a step below or after a selected one (its earlier result is stale).
    bool downstream_of_fresh(const Node& node) const;
    mutable std::map<NodeIndex, bool> m_downstream_of_fresh;
    // Replays: reuses an earlier result for a pod that need not run, or leaves it out.
    // True when the job was handled (it must not run).
    bool replay_instead(std::unique_ptr<PodJob>& job);
    std::string relative_name(const Node& node) const;
    void fire_timers_now();

    base::Result<void> bind_inputs(Node& node, const model::Template& tmpl,
                                   const CallRequest& request);
    void start_template(Node& node, const model::Template& tmpl, const CallRequest& request);
    void run_importer(Node& node, const model::Template& tmpl);  // executor_importer.cpp
    void run_until_fulfilled(NodeIndex target);
    void drain_events();
    void dispatch_ready();
    void apply(Completion completion);
    void fail_queued(const std::string& message);
    void worker_loop();
    int pod_limit() const;
    std::optional<std::chrono::steady_clock::time_point> next_wakeup() const;
    void set_workflow_status_globals();

    const model::Workflow& m_workflow;
    RunOptions m_options;
    ContainerRuntime* m_runtime;
    ArtifactStore& m_store;
    RunObserver& m_observer;
    RunState m_state;
    Scope m_globals;
    std::vector<std::pair<std::string, std::string>> m_parameters;
    LocalResources m_resources;
    PodPlanner m_planner;
    std::unique_ptr<ImageResolver> m_images;
    std::unique_ptr<ResourceRunner> m_resource_runner;
    std::unique_ptr<StepRunner> m_runner;
    std::unordered_map<NodeIndex, std::unique_ptr<NodeController>> m_controllers;
    std::deque<NodeIndex> m_events;
    std::deque<std::unique_ptr<PodJob>> m_ready;
    std::vector<Timer> m_timers;
    int m_running = 0;
    bool m_in_exit_handler = false;
    std::optional<std::chrono::steady_clock::time_point> m_run_deadline;
    std::optional<std::chrono::steady_clock::time_point> m_timeout_at;

    // Worker threads and the queues they share with the engine thread.
    CancelToken m_cancel;
    std::mutex m_mutex;
    std::condition_variable m_work_ready;
    std::condition_variable m_work_done;
    std::deque<std::unique_ptr<PodJob>> m_jobs;
    std::deque<Completion> m_completions;
    std::vector<std::thread> m_workers;
    bool m_stopping = false;
};

}  // namespace kfrun::engine
