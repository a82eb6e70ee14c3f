#include "cli/console_run.hpp"

#include <mutex>

#include "cli/signal_watcher.hpp"

namespace kfrun::cli {

ConsoleRun execute_console_run(Workspace& workspace, RunRequest& request,
                               ConsoleObserver& observer) {
    std::mutex executor_mutex;
    engine::Executor* running = nullptr;
    request.on_executor = [&](engine::Executor* executor) {
        std::lock_guard lock(executor_mutex);
        running = executor;
    };
    ConsoleRun run{base::make_error(base::ErrorKind::Internal, "not run")};
    SignalWatcher signals([&](const std::string& reason) {
        std::lock_guard lock(executor_mutex);
        if (running != nullptr) {
            running->cancel(reason);
        }
    });
    run.result = execute_run(workspace, request, observer,
                             [&observer](const std::string& id) { return observer.log_file(id); });
    run.interrupted = signals.signalled();
    request.on_executor = nullptr;
    return run;
}

}  // namespace kfrun::cli
