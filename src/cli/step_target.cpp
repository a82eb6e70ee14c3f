#include "cli/step_target.hpp"

#include "base/json_fields.hpp"
#include "cli/run_history.hpp"
#include "cli/run_sweeper.hpp"
#include "cli/step_lookup.hpp"
#include "store/run_index.hpp"

namespace kfrun::cli {

// The report and the run index are kfrun's files, but they may be damaged or edited: fields are
// read with defaults (value() threw on a field of another type).
using base::json_fields::string_of;

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
    target.run_dir = string_of(record->summary, "runDir");
    target.report = std::move(*report);
    target.step = std::move(*found);
    return target;
}

base::Result<StepSpecFile> load_step_spec(const StepTarget& target) {
    const nlohmann::json& step = target.step;
    const std::string label = string_of(step, "label", string_of(step, "name"));
    if (string_of(step, "cache") == "reused") {
        return base::make_error(base::ErrorKind::Input,
                                "step " + label +
                                    " did not run in this run: its result was "
                                    "reused from run " +
                                    string_of(step, "reusedFromRun") + " (look at the step there)");
    }
    if (!step.contains("container") || string_of(step, "type", "Pod") != "Pod") {
        std::string message = string_of(step, "message");
        return base::make_error(base::ErrorKind::Input,
                                "step " + label + " ran no container: it was " +
                                    string_of(step, "phase") +
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
    auto path = step_spec_path(target.run_dir, string_of(step, "id"));
    if (!std::filesystem::exists(path, ec)) {
        return base::make_error(base::ErrorKind::Input,
                                "run " + target.run_id + " kept no spec for step " + label +
                                    " (it was made by an older kfrun, or it was interrupted)",
                                path.string());
    }
    return read_step_spec_file(path);
}

}  // namespace kfrun::cli
