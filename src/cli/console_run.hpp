#pragma once
// A run in the terminal: execute_run with a ConsoleObserver printing each step (and writing its
// log file), and Ctrl-C / SIGTERM cancelling it — the running containers are stopped and
// removed and the report is still written. Shared by `kfrun run`, `resume` and `run-component`.
#include "base/result.hpp"
#include "cli/console_observer.hpp"
#include "cli/run_execution.hpp"

namespace kfrun::cli {

struct ConsoleRun {
    base::Result<RunResult> result;
    bool interrupted = false;  // a signal cancelled the run
};

// `request.on_executor` is set here.
ConsoleRun execute_console_run(Workspace& workspace, RunRequest& request,
                               ConsoleObserver& observer);

}  // namespace kfrun::cli
