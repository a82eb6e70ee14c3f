#include "report/run_reports.hpp"

#include <unistd.h>

#include <fstream>

#include "report/artifact_export.hpp"
#include "report/html_page.hpp"
#include "report/junit_report.hpp"
#include "report/run_files.hpp"
#include "report/summary_markdown.hpp"

namespace kfrun::report {

base::Result<void> write_file_atomically(const std::filesystem::path& path,
                                         std::string_view content) {
    std::error_code ec;
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) {
            return base::make_error(base::ErrorKind::Io,
                                    "cannot create the directory: " + ec.message(),
                                    path.parent_path().string());
        }
    }
    std::filesystem::path temporary = path;
    temporary += ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            out.close();
            std::filesystem::remove(temporary, ec);
            return base::make_error(base::ErrorKind::Io, "cannot write the file",
                                    temporary.string());
        }
    }
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::filesystem::remove(temporary, ec);
        return base::make_error(base::ErrorKind::Io, "cannot rename into place: " + ec.message(),
                                path.string());
    }
    return base::ok();
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
