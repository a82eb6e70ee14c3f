// report.html in a real browser: run examples/train-evaluate.yaml with the kfrun binary (it
// writes every viewer type), load the report.html kfrun wrote in headless Chromium and check the
// DOM after the page's script ran, the console, and take a screenshot
// (<build dir>/report-screenshot.png). Needs Docker and /usr/bin/chromium (both installed by
// scripts/setup.sh); skips with a message when either is missing.
#include <gtest/gtest.h>

#include <regex>

#include "base/random_id.hpp"
#include "base/strings.hpp"
#include "browser_page.hpp"
#include "report/csv.hpp"
#include "report/metric_format.hpp"

namespace kfrun::report::testing {
namespace {

class ReportInBrowser : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_skip = browser_test_skip_reason();
        if (!s_skip.empty()) {
            return;
        }
        s_work = std::filesystem::temp_directory_path() /
                 ("kfrun-report-browser-" + base::random_suffix(8));
        s_run_dir = k_build / "report-browser-run";
        KfrunRun run = run_kfrun(k_source / "examples/train-evaluate.yaml", s_run_dir, s_work);
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
        // The page opened at a step, as a click on a graph node does (href="#step-N").
        s_target = std::to_string(s_report["steps"].size() - 3);
        s_jump_dom = load_page(url + "#step-" + s_target, s_work, "profile-jump").dom;
        s_screenshot = k_build / "report-screenshot.png";
        s_failure = take_screenshot(url, s_screenshot, s_work, 3000);
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

    // The viewer entry of type `type` in the evaluate step's ui metadata.
    static const nlohmann::json& viewer(const std::string& type) {
        for (const nlohmann::json& step : s_report["steps"]) {
            for (const nlohmann::json& entry : step["uiMetadata"]) {
                if (entry.value("type", "") == type) {
                    return entry;
                }
            }
        }
        static const nlohmann::json k_none;
        ADD_FAILURE() << "the run wrote no " << type << " viewer";
        return k_none;
    }
    static std::string figure(const std::string& type) {
        return section(s_dom, "<figure class=\"viewer viewer-" + type + "\"", "</figure>");
    }

    static inline std::string s_skip;
    static inline std::string s_failure;
    static inline std::filesystem::path s_work;
    static inline std::filesystem::path s_run_dir;
    static inline std::filesystem::path s_screenshot;
    static inline nlohmann::json s_report;
    static inline std::string s_dom;
    static inline std::string s_console;
    static inline std::string s_target;
    static inline std::string s_jump_dom;
};

TEST_F(ReportInBrowser, ThePageScriptRanWithoutConsoleMessages) {
    EXPECT_NE(s_dom.find("data-js=\"ready\""), std::string::npos);
    EXPECT_GE(count(s_dom, "data-sortable=\"ready\""), 2u);  // the metrics and the table viewer
    std::vector<std::string> problems = console_problems(s_console, false);
    EXPECT_TRUE(problems.empty()) << base::join(problems, "\n");
}

TEST_F(ReportInBrowser, TableViewerShowsEveryCell) {
    std::string html = figure("table");
    ASSERT_FALSE(html.empty());
    for (const nlohmann::json& title : viewer("table")["header"]) {
        EXPECT_NE(html.find(">" + title.get<std::string>() + "</th>"), std::string::npos) << title;
    }
    CsvTable rows = parse_csv(viewer("table")["source"].get<std::string>());
    ASSERT_FALSE(rows.rows.empty());
    for (const CsvRow& row : rows.rows) {
        for (const std::string& cell : row) {
            EXPECT_NE(html.find(">" + std::string(base::trim(cell)) + "</td>"), std::string::npos)
                << cell;
        }
    }
    EXPECT_NE(html.find("table class=\"data sortable\" data-sortable=\"ready\""),
              std::string::npos);
}

TEST_F(ReportInBrowser, ConfusionMatrixShowsTheCounts) {
    std::string html = figure("confusion_matrix");
    ASSERT_FALSE(html.empty());
    EXPECT_NE(html.find(">target</span>"), std::string::npos);
    EXPECT_NE(html.find(">predicted</div>"), std::string::npos);
    CsvTable rows = parse_csv(viewer("confusion_matrix")["source"].get<std::string>());
    ASSERT_EQ(rows.rows.size(), 4u);
    for (const CsvRow& row : rows.rows) {
        std::string tip = "target " + row[0] + ", predicted " + row[1] + ": " + row[2];
        EXPECT_NE(html.find("title=\"" + tip + "\">" + row[2] + "</td>"), std::string::npos) << tip;
    }
}

TEST_F(ReportInBrowser, RocCurveHasAPathAndAPointPerRow) {
    std::string html = figure("roc");
    ASSERT_FALSE(html.empty());
    EXPECT_TRUE(std::regex_search(html, std::regex("<path class=\"roc-curve\" d=\"M[0-9. L]+\"")));
    CsvTable rows = parse_csv(viewer("roc")["source"].get<std::string>());
    EXPECT_EQ(count(html, "<circle "), rows.rows.size());
    for (const CsvRow& row : rows.rows) {
        EXPECT_NE(html.find("<title>threshold " + row[2] + " "), std::string::npos) << row[2];
    }
}

TEST_F(ReportInBrowser, MarkdownWebAppAndTensorboardRender) {
    EXPECT_NE(figure("markdown").find("<h1>Evaluation</h1>"), std::string::npos);
    std::string web_app = figure("web-app");
    EXPECT_NE(web_app.find("sandbox=\"\""), std::string::npos);
    EXPECT_TRUE(std::regex_search(web_app, std::regex("srcdoc=\"[^\"]*Best model[^\"]*\"")));
    EXPECT_EQ(web_app.find("allow-same-origin"), std::string::npos);
    std::string tensorboard = figure("tensorboard");
    EXPECT_NE(tensorboard.find("tensorboard --logdir " +
                               viewer("tensorboard")["source"].get<std::string>()),
              std::string::npos);
}

TEST_F(ReportInBrowser, MetricsAreFormattedAsKfpDoes) {
    std::string run_output = section(s_dom, "<section id=\"run-output\"", "</section>");
    ASSERT_FALSE(s_report["metrics"].empty());
    for (const nlohmann::json& metric : s_report["metrics"]) {
        std::string shown =
            format_metric(metric["numberValue"].get<double>(), metric.value("format", ""));
        if (metric.value("format", "") == "PERCENTAGE") {
            EXPECT_EQ(shown.back(), '%');
        }
        EXPECT_NE(run_output.find(">" + shown + "</td>"), std::string::npos) << shown;
    }
}

TEST_F(ReportInBrowser, GraphHasOneLinkedNodePerStep) {
    std::string graph = section(s_dom, "<section id=\"graph\"", "</section>");
    ASSERT_NE(graph.find("<svg"), std::string::npos);
    std::size_t steps = s_report["steps"].size();
    EXPECT_EQ(count(graph, "<g id=\"dag-step-"), steps);
    for (std::size_t i = 0; i < steps; ++i) {
        EXPECT_EQ(count(graph, "<g id=\"dag-step-" + std::to_string(i) + "\""), 1u);
        EXPECT_NE(s_dom.find("id=\"step-" + std::to_string(i) + "\""), std::string::npos);
    }
    EXPECT_EQ(count(graph, "class=\"node dag-step phase-succeeded"), steps);
}

std::size_t open_steps(const std::string& dom) {
    std::size_t open = 0;
    std::regex tag("<details class=\"step [^>]*>");
    for (auto it = std::sregex_iterator(dom.begin(), dom.end(), tag); it != std::sregex_iterator();
         ++it) {
        open += it->str().find(" open=\"\"") != std::string::npos ? 1 : 0;
    }
    return open;
}

TEST_F(ReportInBrowser, AGraphLinkOpensAndHighlightsItsStep) {
    ASSERT_FALSE(s_jump_dom.empty());
    std::string tag = section(
        s_jump_dom,
        "<details class=\"step phase-succeeded highlight\" id=\"step-" + s_target + "\"", ">");
    ASSERT_FALSE(tag.empty()) << "step-" << s_target << " is not highlighted";
    EXPECT_NE(tag.find(" open=\"\""), std::string::npos) << tag;
    EXPECT_EQ(open_steps(s_jump_dom), 1u);
    EXPECT_EQ(open_steps(s_dom), 0u);  // all succeeded: collapsed unless asked for
    EXPECT_NE(s_jump_dom.find("<g id=\"dag-step-" + s_target +
                              "\" class=\"node dag-step phase-succeeded selected\""),
              std::string::npos);
}

TEST_F(ReportInBrowser, TimelineAndStepsAreThere) {
    std::string timeline = section(s_dom, "<section id=\"timeline\"", "</section>");
    EXPECT_EQ(count(timeline, "<g class=\"tl-row"), s_report["steps"].size());
    EXPECT_EQ(count(s_dom, "<details class=\"step "), s_report["steps"].size());
}

TEST_F(ReportInBrowser, ArtifactLinksPointAtFilesInTheRunDirectory) {
    std::regex link("href=\"(artifacts/[^\"#]+)\"");
    std::size_t links = 0;
    for (auto it = std::sregex_iterator(s_dom.begin(), s_dom.end(), link);
         it != std::sregex_iterator(); ++it) {
        ++links;
        EXPECT_TRUE(std::filesystem::exists(s_run_dir / (*it)[1].str())) << (*it)[1];
    }
    EXPECT_GT(links, 10u);
    std::regex log("href=\"(logs/[^\"]+)\"");
    for (auto it = std::sregex_iterator(s_dom.begin(), s_dom.end(), log);
         it != std::sregex_iterator(); ++it) {
        EXPECT_TRUE(std::filesystem::exists(s_run_dir / (*it)[1].str())) << (*it)[1];
    }
}

TEST_F(ReportInBrowser, ScreenshotIsSaved) {
    ASSERT_TRUE(std::filesystem::exists(s_screenshot));
    EXPECT_GT(std::filesystem::file_size(s_screenshot), 50000u);
    std::string png = read_text(s_screenshot);  // read back: a PNG, not an error page
    EXPECT_EQ(png.substr(1, 3), "PNG");
    EXPECT_TRUE(std::filesystem::exists(s_run_dir / "junit.xml"));
    EXPECT_TRUE(std::filesystem::exists(s_run_dir / "summary.md"));
}

}  // namespace
}  // namespace kfrun::report::testing
