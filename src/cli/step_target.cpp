#include "cli/step_target.hpp"

#include "cli/run_history.hpp"
#include "cli/run_sweeper.hpp"
#include "cli/step_lookup.hpp"
#include "store/run_index.hpp"

namespace kfrun::cli {

base::Result<StepTarget> find_step_target(const AppPaths& paths, const std::string& run,
                                          const std::string& step) {
    sweep_before_command(paths);
    store::RunIndex index(paths.data_dir / "history");
    auto record = find_run(index, run);
    KFRUN_TRY(record);
    auto report = load_run_report(paths, *record);
    KFRUN_TRY(report);
    auto found = find_report_step(*report, step);
    KFRUN_TRY(found);
    StepTarget target;
    target.run_id = record->run_id;
    target.run_dir = record->summary.value("runDir", "");
    target.report = std::move(*report);
    target.step = std::move(*found);
    return target;
}

base::Result<StepSpecFile> load_step_spec(const StepTarget& target) {
    const nlohmann::json& step = target.step;
    const std::string label = step.value("label", step.value("name", ""));
    if (step.value("cache", "") == "reused") {
        return base::make_error(base::ErrorKind::Input,
                                "step " + label +
                                    " did not run in this run: its result was "
                                    "reused from run " +
                                    step.value("reusedFromRun", "") + " (look at the step there)");
    }
    if (!step.contains("container") || step.value("type", "Pod") != "Pod") {
        std::string message = step.value("message", "");
        return base::make_error(base::ErrorKind::Input,
                                "step " + label + " ran no container: it was " +
                                    step.value("phase", "") +
                                    (message.empty() ? "" : " (" + message + ")"));
    }
    std::error_code ec;
    if (target.run_dir.empty() || !std::filesystem::is_directory(target.run_dir, ec)) {
        return base::make_error(base::ErrorKind::Input,
                                "the folder of run " + target.run_id + " (" +
                                    target.run_dir.string() +
                                    ") is gone, and with it what the step's container was made "
                                    "from");
    }
    auto path = step_spec_path(target.run_dir, step.value("id", ""));
    if (!std::filesystem::exists(path, ec)) {
        return base::make_error(base::ErrorKind::Input,
                                "run " + target.run_id + " kept no spec for step " + label +
                                    " (it was made by an older kfrun, or it was interrupted)",
                                path.string());
    }
    return read_step_spec_file(path);
}

}  // namespace kfrun::cli
