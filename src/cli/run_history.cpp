#include "cli/run_history.hpp"

#include <fstream>

#include "base/json_fields.hpp"
#include "base/json_text.hpp"
#include "cli/report_writer.hpp"

namespace kfrun::cli {

// The run index may be damaged or edited: a field of another type reads as absent.
using base::json_fields::string_of;

std::filesystem::path kept_report_path(const AppPaths& paths, const std::string& run_id) {
    return paths.data_dir / "history" / "reports" / (run_id + ".json");
}

base::Result<void> keep_report_copy(const AppPaths& paths, const nlohmann::json& report) {
    return write_file_atomically(kept_report_path(paths, string_of(report, "runId")),
                                 base::json_text(report) + "\n");
}

base::Result<nlohmann::json> load_run_report(const AppPaths& paths, const store::RunRecord& run) {
    std::vector<std::filesystem::path> candidates;
    std::string run_dir = string_of(run.summary, "runDir");
    if (!run_dir.empty()) {
        candidates.push_back(std::filesystem::path(run_dir) / "report.json");
    }
    candidates.push_back(kept_report_path(paths, run.run_id));
    for (const auto& candidate : candidates) {
        std::ifstream in(candidate);
        if (!in) {
            continue;
        }
        nlohmann::json report = nlohmann::json::parse(in, nullptr, false);
        if (!report.is_discarded() && report.is_object()) {
            return report;
        }
    }
    return base::make_error(base::ErrorKind::Io,
                            "no report is kept for run " + run.run_id +
                                (string_of(run.summary, "status") == "Running"
                                     ? " (it has not finished, or it was interrupted)"
                                     : ""),
                            kept_report_path(paths, run.run_id).string());
}

base::Result<store::RunRecord> find_run(store::RunIndex& runs, const std::string& id_or_prefix) {
    auto found = runs.get(id_or_prefix);
    KFRUN_TRY(found);
    if (!*found) {
        return base::make_error(base::ErrorKind::Input,
                                "no run has the ID `" + id_or_prefix + "` (see `kfrun runs list`)");
    }
    return std::move(**found);
}

}  // namespace kfrun::cli
