#include "report/run_reports.hpp"

#include "base/private_files.hpp"
#include "report/artifact_export.hpp"
#include "report/html_page.hpp"
#include "report/junit_report.hpp"
#include "report/run_files.hpp"
#include "report/summary_markdown.hpp"

namespace kfrun::report {

base::Result<void> write_file_atomically(const std::filesystem::path& path,
                                         std::string_view content) {
    // Random temp name, O_EXCL | O_NOFOLLOW, 0600, a rename: a link placed there is replaced.
    return base::write_file_atomically(path, content, base::k_private_file_mode);
}

base::Result<RunReportFiles> write_run_reports(const nlohmann::json& report,
                                               engine::ArtifactStore& store,
                                               const std::filesystem::path& run_dir) {
    ArtifactExport exported = export_artifacts(report, store, run_dir);
    RunFiles files(run_dir, &store, exported.artifacts);
    RunReportFiles written;
    written.html = run_dir / "report.html";
    written.junit = run_dir / "junit.xml";
    written.summary = run_dir / "summary.md";
    written.warnings = exported.warnings;
    HtmlOptions options;
    options.warnings = exported.warnings;
    KFRUN_TRY(write_file_atomically(written.html, render_html(report, files, options)));
    KFRUN_TRY(write_file_atomically(written.junit, render_junit(report, files)));
    KFRUN_TRY(write_file_atomically(written.summary, render_summary(report)));
    return written;
}

}  // namespace kfrun::report
