// report_render: writes report.html, junit.xml and summary.md for a finished run, as
// `kfrun run` will once it calls report::write_run_reports (not a test).
// Usage: report_render <run dir with report.json> <data dir (holds store/)>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "report/run_reports.hpp"
#include "store/file_artifact_store.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: report_render <run dir> <data dir>\n";
        return 2;
    }
    std::filesystem::path run_dir = argv[1];
    std::ifstream in(run_dir / "report.json");
    nlohmann::json report = nlohmann::json::parse(in, nullptr, false);
    if (report.is_discarded()) {
        std::cerr << "report_render: cannot parse " << (run_dir / "report.json") << "\n";
        return 1;
    }
    auto store = kfrun::store::FileArtifactStore::open(std::filesystem::path(argv[2]) / "store");
    if (!store) {
        std::cerr << "report_render: " << store.error().to_string() << "\n";
        return 1;
    }
    auto written = kfrun::report::write_run_reports(report, **store, run_dir);
    if (!written) {
        std::cerr << "report_render: " << written.error().to_string() << "\n";
        return 1;
    }
    for (const std::string& warning : written->warnings) {
        std::cerr << "warning: " << warning << "\n";
    }
    std::cout << written->html.string() << "\n";
    return 0;
}
