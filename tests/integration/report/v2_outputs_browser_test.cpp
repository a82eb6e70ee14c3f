// KFP v2 outputs in the report, end to end: tests/integration/report/data/v2-outputs.yaml (an
// IR whose task writes metrics, classification metrics with hostile metadata and an HTML
// artifact) run with the kfrun binary; report.html loaded in headless Chromium. A screenshot is
// left at <build dir>/report-v2-screenshot.png.
#include <gtest/gtest.h>

#include "base/random_id.hpp"
#include "browser_page.hpp"

namespace kfrun::report::testing {
namespace {

TEST(V2OutputsInBrowser, DrawsTypedArtifactsAndThePipelineOutputs) {
    std::string skip = browser_test_skip_reason();
    if (!skip.empty()) {
        GTEST_SKIP() << skip;
    }
    std::filesystem::path work =
        std::filesystem::temp_directory_path() / ("kfrun-report-v2-" + base::random_suffix(8));
    std::filesystem::path run_dir = k_build / "report-v2-run";
    KfrunRun run =
        run_kfrun(k_source / "tests/integration/report/data/v2-outputs.yaml", run_dir, work);
    ASSERT_TRUE(run.failure.empty()) << run.failure << run.output;
    EXPECT_EQ(run.report["outputs"]["parameters"]["best"], "cat<script>");
    ASSERT_EQ(run.report["outputs"]["artifacts"].size(), 1u);
    EXPECT_EQ(run.report["outputs"]["artifacts"][0]["metadata"]["accuracy"], 0.93);

    std::string url = "file://" + (run_dir / "report.html").string();
    LoadedPage page = load_page(url, work, "profile-dom");
    ASSERT_TRUE(page.failure.empty()) << page.failure;
    std::string outputs = section(page.dom, "<section id=\"pipeline-outputs\"", "</section>");
    EXPECT_NE(outputs.find("cat&lt;script&gt;"), std::string::npos) << outputs;
    EXPECT_NE(outputs.find("data-schema-title=\"system.Metrics\""), std::string::npos);

    std::string output = section(page.dom, "<section id=\"run-output\"", "</section>");
    EXPECT_NE(output.find("<span>True label</span>"), std::string::npos) << output;
    EXPECT_EQ(count(output, "<table class=\"cm-grid\">"), 1u);
    EXPECT_EQ(count(output, "<svg class=\"roc\""), 1u);
    EXPECT_NE(output.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
    EXPECT_NE(output.find("<iframe class=\"web-app\" sandbox=\"\""), std::string::npos);
    EXPECT_NE(body_tag(page.dom).find("data-js=\"ready\""), std::string::npos);
    EXPECT_EQ(page.dom.find("<img src=\"x\""), std::string::npos);
    for (const std::string& problem : console_problems(page.console, true)) {
        ADD_FAILURE() << problem;
    }
    EXPECT_TRUE(take_screenshot(url, k_build / "report-v2-screenshot.png", work, 2600).empty());
    std::error_code ignored;
    std::filesystem::remove_all(work, ignored);
}

}  // namespace
}  // namespace kfrun::report::testing
