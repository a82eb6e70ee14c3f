#pragma once
// RunObserver: what the engine tells the outside world while a run goes (the CLI prints it,
// writes log files, ...). Node events come from the engine's thread; log lines from the
// threads that run steps.
#include <string>
#include <string_view>

#include "engine/container_runtime.hpp"
#include "engine/run_state.hpp"

namespace kfrun::engine {

class RunObserver {
public:
    virtual ~RunObserver() = default;
    virtual void on_run_started(const RunState& state) {}
    virtual void on_node_started(const RunState& state, const Node& node) {}
    virtual void on_node_finished(const RunState& state, const Node& node) {}
    // `node_id` is the Argo node ID of the pod; `label` its display name.
    virtual void on_log_line(const std::string& node_id, const std::string& label, LogStream stream,
                             std::string_view line) {}
    virtual void on_run_finished(const RunState& state) {}
    virtual void on_warning(const std::string& message) {}
    // A pull in progress (from the thread that pulls; throttled by the runtime).
    virtual void on_pull_progress(const PullProgress& progress) {}
};

}  // namespace kfrun::engine
