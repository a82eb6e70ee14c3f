#include "engine/executor.hpp"

#include <algorithm>
#include <limits>

#include "base/integers.hpp"
#include "base/time.hpp"
#include "engine/output_collector.hpp"

namespace kfrun::engine {

using Clock = std::chrono::steady_clock;

namespace {

// An Error run whose DAG says nothing (Argo gives a failed DAG no message): the first step that
// ended in Error, by its end, says why ("long: docker GET ...: cannot connect ...").
std::string first_error_of_a_step(const RunState& state) {
    const Node* first = nullptr;
    for (const Node& node : state.nodes()) {
        if (node.type == NodeType::Pod && node.phase == NodePhase::Error && !node.message.empty() &&
            (first == nullptr ||
             (node.finished_at != base::SystemTime{} &&
              (first->finished_at == base::SystemTime{} || node.finished_at < first->finished_at)))) {
            first = &node;
        }
    }
    return first == nullptr ? std::string() : step_label(state, *first) + ": " + first->message;
}

}  // namespace

Executor::Executor(const model::Workflow& workflow, RunOptions options, ContainerRuntime* runtime,
                   ArtifactStore& store, RunObserver& observer, StepCache* cache)
    : m_workflow(workflow),
      m_options(std::move(options)),
      m_runtime(runtime),
      m_store(store),
      m_observer(observer),
      m_planner(m_workflow, m_options, m_globals, m_store, m_resources) {
    m_state.run_id = m_options.run_id;
    m_state.workflow_name = m_options.workflow_name;
    for (const model::Template& tmpl : m_workflow.templates) {
        m_state.task_path_labels = m_state.task_path_labels || tmpl.launcher.has_value();
    }
    if (m_runtime != nullptr) {
        m_images = std::make_unique<ImageResolver>(
            *m_runtime,
            [this](const PullProgress& progress) { m_observer.on_pull_progress(progress); });
        m_resource_runner = std::make_unique<ResourceRunner>(*m_runtime, m_resources, m_options);
        m_runner = std::make_unique<StepRunner>(*m_runtime, m_store, *m_images, m_observer,
                                                *m_resource_runner, cache, m_options);
    }
}

Executor::~Executor() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_work_ready.notify_all();
    for (std::thread& worker : m_workers) {
        if (worker.joinable()) {
            worker.join();
        }
    }
}

void Executor::cancel(const std::string& reason) {
    m_cancel.cancel(reason);
    // Under the scheduler's lock: it cannot check the token, miss this wake-up and then wait,
    // and run() cannot return (and its owner destroy the executor) while this notifies (TSan
    // saw pthread_cond_broadcast race with ~Executor's pthread_cond_destroy).
    std::lock_guard lock(m_mutex);
    m_work_done.notify_all();
}

int Executor::pod_limit() const {
    int limit = std::max(1, m_options.parallelism);
    if (m_workflow.parallelism) {
        int own = base::saturating_atoi(*m_workflow.parallelism);
        if (own > 0) {
            limit = std::min(limit, own);
        }
    }
    return limit;
}

const RunState& Executor::run() {
    m_state.started_at = std::chrono::system_clock::now();
    m_state.phase = NodePhase::Running;
    auto now = Clock::now();
    if (m_workflow.active_deadline_seconds) {
        // Validation refused anything but an int64; seconds → ms saturates, then the add.
        long long seconds = base::parse_k8s_int64(*m_workflow.active_deadline_seconds).value_or(0);
        long long ms = 0;
        if (__builtin_mul_overflow(seconds, 1000LL, &ms)) {
            ms = std::numeric_limits<long long>::max();
        }
        m_run_deadline = base::deadline_after(now, Millis(ms));
    }
    if (m_options.timeout) {
        m_timeout_at = base::deadline_after(now, *m_options.timeout);
    }
    m_observer.on_run_started(m_state);

    if (m_runtime != nullptr && !m_options.dry_run) {
        RunContext context;
        context.run_id = m_options.run_id;
        context.network = m_options.network;
        context.scratch_dir = m_options.scratch_dir;
        context.keep_containers = m_options.keep_containers;
        context.labels = m_options.labels;
        context.host_paths = m_options.allowed_host_paths;
        auto begun = m_runtime->begin_run(context);
        if (!begun.ok()) {
            m_state.phase = NodePhase::Error;
            m_state.message = begun.error().to_string();
            m_state.finished_at = std::chrono::system_clock::now();
            (void)m_runtime->end_run();
            m_observer.on_run_finished(m_state);
            return m_state;
        }
    }

    CallRequest entry;
    entry.node_name = m_options.workflow_name;
    entry.display_name = m_options.workflow_name;
    entry.template_name = m_workflow.entrypoint;
    entry.parameters = m_parameters;
    for (const auto& [name, artifact] : m_options.input_artifacts) {
        entry.artifacts.push_back(ArgumentArtifact{name, artifact, std::nullopt});
    }
    // A bug (an exception) ends the run as Error; the cleanup below and the report still happen.
    std::optional<std::string> internal_error;
    try {
        m_state.root = call(std::move(entry));
        run_until_fulfilled(m_state.root);

        const Node& root = m_state.node(m_state.root);
        NodePhase phase = root.phase == NodePhase::Failed || root.phase == NodePhase::Error
                              ? root.phase
                              : NodePhase::Succeeded;
        m_state.phase = phase;
        m_state.message = root.message;
        if (phase == NodePhase::Error && m_state.message.empty()) {
            m_state.message = first_error_of_a_step(m_state);
        }

        if (!m_workflow.on_exit.empty() && !m_cancel.cancelled()) {
            m_in_exit_handler = true;
            set_workflow_status_globals();
            CallRequest handler;
            handler.node_name = m_options.workflow_name + ".onExit";
            handler.display_name = m_options.workflow_name + ".onExit";
            handler.template_name = m_workflow.on_exit;
            m_state.exit_handler = call(std::move(handler));
            run_until_fulfilled(m_state.exit_handler);
            const Node& exit_node = m_state.node(m_state.exit_handler);
            if (phase == NodePhase::Succeeded && is_failed_or_error(exit_node.phase)) {
                m_state.phase = exit_node.phase;
                m_state.message = exit_node.message;
            }
        }
    } catch (const std::exception& e) {
        internal_error = e.what();
    } catch (...) {
        internal_error = "unknown exception";
    }
    if (internal_error) {
        // Running steps are stopped (their containers killed) and waited for; queued ones
        // never start; every unfinished node ends as Error.
        const std::string message = "kfrun internal error: " + *internal_error;
        m_cancel.cancel(message);
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
            m_jobs.clear();
        }
        m_work_ready.notify_all();
        for (std::thread& worker : m_workers) {
            if (worker.joinable()) {
                worker.join();
            }
        }
        m_ready.clear();
        m_timers.clear();
        auto now = std::chrono::system_clock::now();
        for (std::size_t i = 0; i < m_state.size(); ++i) {
            Node& node = m_state.node(i);
            if (!node.fulfilled()) {
                node.phase = NodePhase::Error;
                node.message = message;
                node.finished_at = now;
                if (node.started_at == base::SystemTime{}) {
                    node.started_at = now;
                }
            }
        }
        m_state.phase = NodePhase::Error;
        m_state.message = message;
        warn(message);
    }
    if (m_cancel.cancelled() && m_state.message.empty()) {
        m_state.message = m_cancel.reason();
    }
    if (m_runtime != nullptr && !m_options.dry_run) {
        auto ended = m_runtime->end_run();
        if (!ended.ok()) {
            warn("cleaning up the run: " + ended.error().to_string());
        }
    }
    if (m_runner) {
        m_runner->flush_cache();
    }
    m_state.finished_at = std::chrono::system_clock::now();
    m_observer.on_run_finished(m_state);
    return m_state;
}

void Executor::finish(NodeIndex index, NodePhase phase, std::string message) {
    Node& node = m_state.node(index);
    node.phase = phase;
    node.message = std::move(message);
    node.finished_at = std::chrono::system_clock::now();
    if (node.started_at == base::SystemTime{}) {
        node.started_at = node.finished_at;
    }
    m_events.push_back(index);
    m_observer.on_node_finished(m_state, node);
}

NodeIndex Executor::add_fulfilled(std::string name, std::string display_name, NodeType type,
                                  std::string template_name, NodeIndex parent, NodeIndex boundary,
                                  NodePhase phase, std::string message) {
    Node& node = m_state.add_node(std::move(name), std::move(display_name), type,
                                  std::move(template_name), parent, boundary);
    finish(node.index, phase, std::move(message));
    return node.index;
}

void Executor::attach_controller(NodeIndex node, std::unique_ptr<NodeController> controller) {
    m_controllers[node] = std::move(controller);
}

void Executor::after(Clock::time_point when, std::function<void()> action) {
    m_timers.push_back(Timer{when, std::move(action)});
}

std::string Executor::relative_name(const Node& node) const {
    const std::string& workflow = m_options.workflow_name;
    if (node.name.size() > workflow.size() + 1 &&
        node.name.compare(0, workflow.size(), workflow) == 0) {
        return node.name.substr(workflow.size() + 1);
    }
    return node.name;
}

bool Executor::is_fresh(const Node& node) const {
    const Replay& replay = m_options.replay;
    if (replay.mode == Replay::Mode::None || replay.mode == Replay::Mode::Resume) {
        return false;
    }
    std::string relative = relative_name(node);
    std::string label = step_label(m_state, node);
    for (const std::string& wanted : replay.selected) {
        if (wanted == node.display_name || wanted == relative || wanted == label ||
            wanted == node.template_name) {
            return true;
        }
    }
    // Inside a selected DAG or loop.
    if (node.parent != k_no_node && m_state.node(node.parent).fresh) {
        return true;
    }
    if (replay.mode != Replay::Mode::From) {
        return false;
    }
    // --from: downstream of a selected step runs too.
    for (NodeIndex dependency : node.depends_on) {
        if (m_state.node(dependency).fresh) {
            return true;
        }
    }
    return false;
}

bool Executor::downstream_of_fresh(const Node& node) const {
    if (auto known = m_downstream_of_fresh.find(node.index); known != m_downstream_of_fresh.end()) {
        return known->second;
    }
    bool downstream = false;
    for (NodeIndex dependency : node.depends_on) {
        const Node& upstream = m_state.node(dependency);
        downstream = downstream || upstream.fresh || downstream_of_fresh(upstream);
    }
    downstream =
        downstream || (node.parent != k_no_node && downstream_of_fresh(m_state.node(node.parent)));
    m_downstream_of_fresh[node.index] = downstream;
    return downstream;
}

bool Executor::replay_instead(std::unique_ptr<PodJob>& job) {
    const Replay& replay = m_options.replay;
    Node& node = m_state.node(job->node);
    bool run = replay.mode == Replay::Mode::Resume ? false : node.fresh;
    if (m_in_exit_handler && !run) {
        // The exit handler reports this run's status: resume and --from run it again;
        // --only runs just what it names.
        if (replay.mode != Replay::Mode::Only) {
            return false;
        }
        finish(job->node, NodePhase::Omitted, "not run: --only runs just the tasks it names");
        return true;
    }
    if (run) {
        return false;
    }
    if (replay.mode == Replay::Mode::Only && downstream_of_fresh(node)) {
        // Its earlier result was made from inputs this run has just changed.
        finish(job->node, NodePhase::Omitted,
               "not run: downstream of a step --only ran again (--from runs it too)");
        return true;
    }
    auto previous = replay.previous.find(relative_name(node));
    bool usable =
        previous != replay.previous.end() && previous->second.phase == NodePhase::Succeeded;
    if (usable) {
        for (const NamedArtifact& artifact : previous->second.outputs.artifacts) {
            usable = usable && (!artifact.artifact.has_content() ||
                                m_store.contains(artifact.artifact, false));
        }
    }
    if (!usable) {
        if (replay.mode == Replay::Mode::Resume) {
            return false;  // it did not succeed before: it runs now
        }
        finish(job->node, NodePhase::Omitted,
               "not run: not selected, and run " + replay.source_run_id.substr(0, 8) +
                   " has no successful result of this step");
        return true;
    }
    Completion completion;
    completion.node = job->node;
    completion.result.phase = NodePhase::Succeeded;
    completion.result.outputs = previous->second.outputs;
    completion.result.record.exit_code = previous->second.outputs.exit_code.value_or(0);
    completion.result.record.cache = CacheOutcome::Reused;
    completion.result.record.reused_from_run = replay.source_run_id;
    for (const NamedArtifact& artifact : previous->second.outputs.artifacts) {
        if (artifact.name == "mlpipeline-metrics" || artifact.name == "mlpipeline-ui-metadata") {
            read_kfp_outputs(artifact, m_store, completion.result);
        }
    }
    node.phase = NodePhase::Running;
    node.started_at = std::chrono::system_clock::now();
    ++m_running;
    completion.job = std::move(job);
    std::lock_guard lock(m_mutex);
    m_completions.push_back(std::move(completion));
    return true;
}

std::string Executor::stop_reason() const {
    return m_cancel.cancelled() ? m_cancel.reason() : std::string();
}

void Executor::warn(std::string message) {
    m_observer.on_warning(message);
    m_state.warnings.push_back(std::move(message));
}

}  // namespace kfrun::engine
