// A report full of hostile step output, opened in headless Chromium: if any payload ran, it
// would mark <body> (data-owned) or log to the console. Needs only /usr/bin/chromium.
#include <gtest/gtest.h>

#include <fstream>

#include "base/random_id.hpp"
#include "base/strings.hpp"
#include "child_process.hpp"
#include "report/run_reports.hpp"
#include "store/file_artifact_store.hpp"

namespace kfrun::report::testing {
namespace {

const std::string k_mark = "document.body.setAttribute('data-owned','yes')";
const std::string k_evil = "<script>" + k_mark + "</script>\"><img src=x onerror=\"" + k_mark +
                           "\">'><svg onload=\"" + k_mark + "\"></svg></script><!--";

nlohmann::json hostile_report(const std::string& log_file) {
    std::string cell = "\"" + base::replace_all(k_evil, "\"", "\"\"") + "\"";
    nlohmann::json viewers = nlohmann::json::array({
        {{"type", "markdown"},
         {"storage", "inline"},
         {"source", "# " + k_evil + "\n\n[x](javascript:" + k_mark + ") " + k_evil}},
        {{"type", "web-app"}, {"storage", "inline"}, {"source", k_evil}},
        {{"type", "table"}, {"storage", "inline"}, {"header", {k_evil}}, {"source", cell + "\n"}},
        {{"type", "confusion_matrix"},
         {"storage", "inline"},
         {"labels", {k_evil}},
         {"schema", {{{"name", k_evil}}, {{"name", k_evil}}, {{"name", "n"}}}},
         {"source", cell + "," + cell + ",1\n"}},
        {{"type", "roc"},
         {"storage", "inline"},
         {"schema", {{{"name", "fpr"}}, {{"name", "tpr"}}, {{"name", "threshold"}}}},
         {"source", "0,0," + cell + "\n1,1,x\n"}},
        {{"type", "tensorboard"}, {"source", k_evil}},
    });
    nlohmann::json step = {
        {"id", "wf-1"},
        {"name", k_evil},
        {"label", k_evil},
        {"type", "Pod"},
        {"phase", "Failed"},
        {"message", k_evil},
        {"template", k_evil},
        {"image", k_evil},
        {"logFile", log_file},
        {"startedAt", "2026-01-01T00:00:00.000Z"},
        {"finishedAt", "2026-01-01T00:00:01.000Z"},
        {"inputs", {{"parameters", {{k_evil, k_evil}}}, {"artifacts", nlohmann::json::array()}}},
        {"outputs",
         {{"parameters", {{k_evil, k_evil}}},
          {"artifacts", nlohmann::json::array()},
          {"result", k_evil}}},
        {"metrics", {{{"name", k_evil}, {"numberValue", 0.5}, {"format", "PERCENTAGE"}}}},
        {"uiMetadata", viewers},
        {"warnings", {k_evil}},
        {"command", {k_evil}},
        {"timings", {{"runMs", 900}}},
        {"cache", "miss"}};
    return {
        {"schemaVersion", 1},
        {"runId", k_evil},
        {"workflowName", "wf"},
        {"pipeline", {{"name", k_evil}, {"file", k_evil}}},
        {"status", "Failed"},
        {"message", k_evil},
        {"parameters", {{k_evil, k_evil}}},
        {"startedAt", "2026-01-01T00:00:00.000Z"},
        {"finishedAt", "2026-01-01T00:00:01.000Z"},
        {"durationMs", 1000},
        {"counts", {{"failed", 1}}},
        {"steps", {step}},
        {"metrics", {{{"step", k_evil}, {"nodeId", "wf-1"}, {"name", k_evil}, {"numberValue", 1}}}},
        {"nodes",
         {{{"id", "wf"}, {"displayName", k_evil}, {"type", "DAG"}, {"phase", "Failed"}},
          {{"id", "wf-1"},
           {"displayName", k_evil},
           {"type", "Pod"},
           {"phase", "Failed"},
           {"parent", "wf"}}}},
        {"warnings", {k_evil}}};
}

TEST(HostileReportInBrowser, NothingAStepWroteRunsInThePage) {
    if (!std::filesystem::exists("/usr/bin/chromium")) {
        GTEST_SKIP() << "no /usr/bin/chromium; scripts/setup.sh installs Debian's chromium";
    }
    std::filesystem::path work =
        std::filesystem::temp_directory_path() / ("kfrun-hostile-" + base::random_suffix(8));
    std::filesystem::path run_dir = work / "run";
    std::filesystem::create_directories(run_dir / "logs");
    std::ofstream(run_dir / "logs/evil.log") << k_evil << "\n" << k_evil << "\n";
    auto store = store::FileArtifactStore::open(work / "store");
    ASSERT_TRUE(store);
    auto written = write_run_reports(hostile_report("logs/evil.log"), **store, run_dir);
    ASSERT_TRUE(written) << written.error().to_string();

    ProcessResult dom =
        run_process({"/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-quic",
                     "--user-data-dir=" + (work / "profile").string(), "--enable-logging=stderr",
                     "--v=0", "--dump-dom", "file://" + written->html.string()},
                    std::chrono::seconds(120), work);
    ASSERT_EQ(dom.exit_code, 0) << dom.err;
    std::string body = dom.out.substr(dom.out.find("<body"), 200);
    body = body.substr(0, body.find('>'));
    EXPECT_EQ(body.find("data-owned"), std::string::npos) << body;
    EXPECT_NE(body.find("data-js=\"ready\""), std::string::npos) << body;  // our script did run
    // Console: only the sandboxed web-app frame, refused its script and its file:// image.
    bool blocked_in_frame = false;
    for (const std::string& line : base::split(dom.err, '\n')) {
        if (line.find(":CONSOLE") == std::string::npos) {
            continue;
        }
        EXPECT_NE(line.find("source: about:srcdoc"), std::string::npos) << line;
        if (line.find("Blocked script execution in 'about:srcdoc'") != std::string::npos) {
            blocked_in_frame = true;
        }
    }
    EXPECT_TRUE(blocked_in_frame) << dom.err;
    std::error_code ignored;
    std::filesystem::remove_all(work, ignored);
}

}  // namespace
}  // namespace kfrun::report::testing
