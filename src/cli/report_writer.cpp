#include "cli/report_writer.hpp"

#include <unistd.h>

#include <fstream>

#include "base/json_text.hpp"
#include "base/private_files.hpp"
#include "engine/report.hpp"
#include "report/run_reports.hpp"

namespace kfrun::cli {

base::Result<void> write_file_atomically(const std::filesystem::path& path,
                                         const std::string& content) {
    // Random temp name, O_EXCL | O_NOFOLLOW, 0600, a rename: a link placed there is replaced.
    return base::write_file_atomically(path, content, base::k_private_file_mode);
}

base::Result<nlohmann::json> write_run_report(const engine::RunState& state,
                                              const ReportInput& input,
                                              engine::ArtifactStore& store) {
    engine::ReportContext context;
    context.pipeline_file = input.pipeline_file;
    context.pipeline_name = input.pipeline_name;
    context.kfrun_version = KFRUN_VERSION;
    nlohmann::json report = engine::build_report(state, context);
    report["runDir"] = input.run_dir.string();
    if (!input.run_options.is_null()) {
        report["runOptions"] = input.run_options;
    }
    if (!input.resumed_from.empty()) {
        report["resumedFrom"] = input.resumed_from;
    }
    if (!input.experiment.empty()) {
        report["experiment"] = input.experiment;
    }
    if (input.log_file) {
        for (auto& step : report["steps"]) {
            std::filesystem::path log = input.log_file(step["id"].get<std::string>());
            std::error_code ec;
            if (!log.empty() && std::filesystem::exists(log, ec)) {
                step["logFile"] = std::filesystem::relative(log, input.run_dir, ec).string();
            }
        }
    }
    KFRUN_TRY(
        write_file_atomically(input.run_dir / "report.json", base::json_text(report, 2) + "\n"));
    auto files = report::write_run_reports(report, store, input.run_dir);
    KFRUN_TRY(files);
    return report;
}

}  // namespace kfrun::cli
