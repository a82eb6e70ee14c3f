// The report's hard cases, end to end: tests/integration/report/data/viewer-sources.yaml run
// with the kfrun binary writes viewers whose data lives in minio://, s3:// and gs:// URIs of its
// own outputs and in files of an output directory, URIs that are not available offline,
// invalid mlpipeline-ui-metadata and mlpipeline-metrics files, and parameters, logs and viewers
// that try to run script. The report.html kfrun wrote is loaded in headless Chromium; a
// screenshot is left at <build dir>/report-sources-screenshot.png.
#include <gtest/gtest.h>

#include <regex>

#include "base/random_id.hpp"
#include "base/strings.hpp"
#include "browser_page.hpp"

namespace kfrun::report::testing {
namespace {

class ViewerSourcesInBrowser : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_skip = browser_test_skip_reason();
        if (!s_skip.empty()) {
            return;
        }
        s_work = std::filesystem::temp_directory_path() /
                 ("kfrun-report-sources-" + base::random_suffix(8));
        s_run_dir = k_build / "report-sources-run";
        KfrunRun run = run_kfrun(k_source / "tests/integration/report/data/viewer-sources.yaml",
                                 s_run_dir, s_work);
        if (!run.failure.empty()) {
            s_failure = run.failure;
            return;
        }
        s_report = run.report;
        std::string url = "file://" + (s_run_dir / "report.html").string();
        LoadedPage page = load_page(url, s_work, "profile-dom");
        if (!page.failure.empty()) {
            s_failure = page.failure;
            return;
        }
        s_dom = page.dom;
        s_console = page.console;
        s_failure = take_screenshot(url, k_build / "report-sources-screenshot.png", s_work, 3600);
    }

    static void TearDownTestSuite() {
        std::error_code ignored;
        if (!s_work.empty()) {
            std::filesystem::remove_all(s_work, ignored);
        }
    }

    void SetUp() override {
        if (!s_skip.empty()) {
            GTEST_SKIP() << s_skip;
        }
        ASSERT_TRUE(s_failure.empty()) << s_failure;
    }

    // The visualizations of step `name` in the Run output section.
    static std::string visualizations_of(const std::string& name) {
        std::size_t index = 0;
        for (const nlohmann::json& step : s_report["steps"]) {
            if (step.value("name", "") == name) {
                break;
            }
            ++index;
        }
        std::string start = "id=\"viz-step-" + std::to_string(index) + "\"";
        std::size_t from = s_dom.find(start);
        if (from == std::string::npos) {
            return {};
        }
        std::size_t to = s_dom.find("id=\"viz-step-", from + start.size());
        std::size_t end = s_dom.find("</section>", from);
        return s_dom.substr(from, std::min(to, end) - from);
    }
    // The figures of `html` of viewer type `type`, in order.
    static std::vector<std::string> figures(const std::string& html, const std::string& type) {
        std::vector<std::string> found;
        std::string start = "<figure class=\"viewer viewer-" + type + "\"";
        for (std::size_t at = html.find(start); at != std::string::npos;
             at = html.find(start, at + 1)) {
            found.push_back(section(html.substr(at), start, "</figure>"));
        }
        return found;
    }
    // The <details> section of step `name`.
    static std::string step_section(const std::string& name) {
        std::size_t at = s_dom.find("<span class=\"step-name\">" + name + "</span>");
        if (at == std::string::npos) {
            return {};
        }
        std::size_t from = s_dom.rfind("<details class=\"step ", at);
        std::size_t to = s_dom.find("<details class=\"step ", at);
        return s_dom.substr(from, to == std::string::npos ? std::string::npos : to - from);
    }

    static inline std::string s_skip;
    static inline std::string s_failure;
    static inline std::filesystem::path s_work;
    static inline std::filesystem::path s_run_dir;
    static inline nlohmann::json s_report;
    static inline std::string s_dom;
    static inline std::string s_console;
};

TEST_F(ViewerSourcesInBrowser, StorageUrisOfTheRunsOwnOutputsShowTheStoredData) {
    std::string viz = visualizations_of("make-outputs");
    ASSERT_FALSE(viz.empty());
    std::vector<std::string> tables = figures(viz, "table");
    ASSERT_EQ(tables.size(), 2u);  // minio:// and https://
    EXPECT_NE(tables[0].find("artifact `make-outputs-table` of step make-outputs"),
              std::string::npos)
        << tables[0];
    EXPECT_NE(tables[0].find(">alpha</td>"), std::string::npos) << tables[0];
    EXPECT_NE(tables[0].find(">0.87</td>"), std::string::npos) << tables[0];
    EXPECT_NE(tables[0].find(">&lt;img src=x onerror=alert(1)&gt;</td>"), std::string::npos);

    std::vector<std::string> matrices = figures(viz, "confusion_matrix");  // s3://
    ASSERT_EQ(matrices.size(), 1u);
    for (const char* cell : {"actual cat, guess cat: 41\">41<", "actual cat, guess dog: 3\">3<",
                             "actual dog, guess cat: 5\">5<", "actual dog, guess dog: 51\">51<"}) {
        EXPECT_NE(matrices[0].find(cell), std::string::npos) << cell << "\n" << matrices[0];
    }
    EXPECT_NE(matrices[0].find(">actual</span>"), std::string::npos) << matrices[0];
    EXPECT_NE(matrices[0].find(">guess</div>"), std::string::npos) << matrices[0];

    std::vector<std::string> rocs = figures(viz, "roc");  // gs://
    ASSERT_EQ(rocs.size(), 1u);
    EXPECT_EQ(count(rocs[0], "<circle "), 4u) << rocs[0];
    EXPECT_NE(rocs[0].find("<title>threshold 0.6 "), std::string::npos) << rocs[0];
}

TEST_F(ViewerSourcesInBrowser, AnotherStepsOutputIsFoundByItsArtifactName) {
    std::vector<std::string> tables = figures(visualizations_of("read-table"), "table");
    ASSERT_EQ(tables.size(), 1u);
    EXPECT_NE(tables[0].find("artifact `make-outputs-table` of step make-outputs"),
              std::string::npos);
    EXPECT_NE(tables[0].find(">beta</td>"), std::string::npos) << tables[0];
}

TEST_F(ViewerSourcesInBrowser, FilesOfAnOutputDirectoryFeedMarkdownWebAppAndTensorboard) {
    std::string viz = visualizations_of("make-outputs");
    std::vector<std::string> markdown = figures(viz, "markdown");
    ASSERT_EQ(markdown.size(), 3u);  // a file, a wildcard URI, inline
    EXPECT_NE(markdown[0].find("<h1>Notes from a file</h1>"), std::string::npos) << markdown[0];
    std::vector<std::string> web_app = figures(viz, "web-app");
    ASSERT_EQ(web_app.size(), 1u);
    EXPECT_NE(web_app[0].find("sandbox=\"\""), std::string::npos);
    EXPECT_TRUE(std::regex_search(web_app[0], std::regex("srcdoc=\"[^\"]*Served page[^\"]*\"")));
    std::vector<std::string> tensorboard = figures(viz, "tensorboard");
    ASSERT_EQ(tensorboard.size(), 1u);
    std::regex command("tensorboard --logdir (artifacts/[^<]+/make-outputs-logs)</pre>");
    std::smatch match;
    ASSERT_TRUE(std::regex_search(tensorboard[0], match, command)) << tensorboard[0];
    EXPECT_TRUE(std::filesystem::exists(s_run_dir / match[1].str() / "events.out.tfevents.1"));
}

TEST_F(ViewerSourcesInBrowser, OtherSourcesAreANoticeWithTheUri) {
    std::string viz = visualizations_of("make-outputs");
    EXPECT_EQ(count(viz, "Not available offline"), 2u);
    EXPECT_NE(viz.find("https://example.com/data.csv"), std::string::npos);
    EXPECT_NE(viz.find("gs://other-bucket/reports/*.md"), std::string::npos);
}

TEST_F(ViewerSourcesInBrowser, InvalidFilesAreReportedOnTheirStep) {
    std::string bad = step_section("bad-metadata");
    ASSERT_FALSE(bad.empty());
    for (const char* problem :
         {"unknown viewer type `visualization-creator`", "(confusion_matrix) has 3 rows",
          "(table) lacks `header`", "mlpipeline-metrics has an unknown field `extra`"}) {
        EXPECT_NE(bad.find(problem), std::string::npos) << problem;
    }
    EXPECT_NE(step_section("not-json").find("mlpipeline-ui-metadata is not a JSON object"),
              std::string::npos);
    EXPECT_NE(step_section("make-outputs").find("metric name `2-bad-name` does not match"),
              std::string::npos);
    EXPECT_EQ(s_report["status"], "Succeeded");  // never fatal
}

TEST_F(ViewerSourcesInBrowser, MetricsAreFormattedAsKfpDoes) {
    std::string run_output = section(s_dom, "<section id=\"run-output\"", "</section>");
    EXPECT_NE(run_output.find(">87.650%</td>"), std::string::npos);  // PERCENTAGE 0.8765
    EXPECT_NE(run_output.find(">0.123</td>"), std::string::npos);    // RAW 0.1234567
    EXPECT_EQ(run_output.find("2-bad-name"), std::string::npos);
}

TEST_F(ViewerSourcesInBrowser, NothingTheStepsWroteRanAsScript) {
    EXPECT_EQ(body_tag(s_dom).find("data-owned"), std::string::npos) << body_tag(s_dom);
    EXPECT_NE(body_tag(s_dom).find("data-js=\"ready\""), std::string::npos);  // ours ran
    // The page's own script and data are the only script elements; javascript: links are gone.
    std::regex script("<script[^>]*>");
    std::vector<std::string> scripts;
    for (auto it = std::sregex_iterator(s_dom.begin(), s_dom.end(), script);
         it != std::sregex_iterator(); ++it) {
        scripts.push_back(it->str());
    }
    EXPECT_EQ(scripts, (std::vector<std::string>{
                           "<script type=\"application/json\" id=\"kfrun-data\">", "<script>"}));
    EXPECT_EQ(s_dom.find("href=\"javascript:"), std::string::npos);
    EXPECT_EQ(s_dom.find("<img"), std::string::npos);
    // The hostile parameter, log line and output parameter are shown as text.
    std::string evil = "&lt;script&gt;document.body.dataset.owned=1&lt;/script&gt;";
    std::string step = step_section("make-outputs");
    EXPECT_GE(count(step, evil), 4u);
    EXPECT_NE(step.find("<pre class=\"log\">title: " + evil), std::string::npos);
    EXPECT_NE(step.find("&lt;b&gt;" + evil + "&lt;/b&gt;"), std::string::npos);
    // The only console line is the sandboxed web-app frame refusing the page's script.
    std::vector<std::string> problems = console_problems(s_console, true);
    EXPECT_TRUE(problems.empty()) << base::join(problems, "\n");
    EXPECT_NE(s_console.find("Blocked script execution in 'about:srcdoc'"), std::string::npos);
}

TEST_F(ViewerSourcesInBrowser, ScreenshotIsSaved) {
    std::filesystem::path png = k_build / "report-sources-screenshot.png";
    ASSERT_TRUE(std::filesystem::exists(png));
    EXPECT_GT(std::filesystem::file_size(png), 50000u);
    EXPECT_EQ(read_text(png).substr(1, 3), "PNG");
}

}  // namespace
}  // namespace kfrun::report::testing
