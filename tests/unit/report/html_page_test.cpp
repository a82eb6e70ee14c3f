#include "report/html_page.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "base/strings.hpp"
#include "report/artifact_export.hpp"
#include "report_test_support.hpp"

namespace kfrun::report {
namespace {

const std::string k_evil = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>'</script>";

// No element or attribute from the step's text: only tags the report itself writes, no event
// handler attributes, no script URLs, iframes only sandboxed, and exactly our two scripts.
void expect_inert(const std::string& html) {
    int scripts = 0;
    for (const testing::HtmlTag& tag : testing::html_tags(html)) {
        EXPECT_NE(tag.name, "img");
        EXPECT_NE(tag.name, "object");
        EXPECT_NE(tag.name, "embed");
        EXPECT_NE(tag.name, "base");
        if (tag.name == "script") {
            ++scripts;
            if (tag.attributes.count("type") > 0) {
                EXPECT_EQ(tag.attributes.at("type"), "application/json");
            }
        }
        if (tag.name == "iframe") {
            ASSERT_EQ(tag.attributes.count("sandbox"), 1u);
            EXPECT_EQ(tag.attributes.at("sandbox"), "");
        }
        for (const auto& [name, value] : tag.attributes) {
            EXPECT_NE(name.rfind("on", 0), 0u) << "<" << tag.name << " " << name << "=" << value;
            if (name == "href" || name == "src" || name == "xlink:href") {
                EXPECT_EQ(base::to_lower(value).find("javascript"), std::string::npos) << value;
            }
        }
    }
    EXPECT_EQ(scripts, 2);
}

TEST(HtmlPage, IsSelfContainedWithAllSections) {
    nlohmann::json report = testing::train_evaluate_report();
    std::string html = render_html(report, RunFiles("/nonexistent", nullptr));
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    for (const char* id : {"summary", "graph", "timeline", "run-output", "steps"}) {
        EXPECT_NE(html.find("id=\"" + std::string(id) + "\""), std::string::npos) << id;
    }
    for (std::size_t i = 0; i < 7; ++i) {
        EXPECT_EQ(testing::count(html, "<details class=\"step phase-succeeded\" id=\"step-" +
                                           std::to_string(i) + "\""),
                  1u);
    }
    // No network: nothing loads from elsewhere.
    EXPECT_EQ(html.find("src=\"http"), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
    EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
    EXPECT_NE(html.find("script-src " + script_hash_source()), std::string::npos);
    // Every viewer type of the example.
    for (const char* type :
         {"table", "confusion_matrix", "roc", "markdown", "web-app", "tensorboard"}) {
        EXPECT_EQ(testing::count(html, "data-viewer=\"" + std::string(type) + "\""), 1u) << type;
    }
    EXPECT_NE(html.find(">99.500%<"), std::string::npos);
    expect_inert(html);
}

TEST(HtmlPage, ScriptHashIsTheBase64Sha256OfTheScript) {
    std::string source = script_hash_source();
    EXPECT_TRUE(std::regex_match(source, std::regex("'sha256-[A-Za-z0-9+/]{43}='")));
}

TEST(HtmlPage, HostileStepOutputCannotRunScript) {
    testing::StoreFixture fixture;
    testing::write_file(fixture.run_dir() / "logs/evil.log", k_evil + "\n" + k_evil);
    nlohmann::json ui = nlohmann::json::array({
        {{"type", "markdown"},
         {"storage", "inline"},
         {"source",
          "# " + k_evil + "\n\n[click](javascript:alert(3)) <a href=\"javascript:x\">a</a>"}},
        {{"type", "web-app"},
         {"storage", "inline"},
         {"source", k_evil + "<iframe src=x></iframe>"}},
        {{"type", "table"},
         {"storage", "inline"},
         {"header", {k_evil}},
         {"source", "\"" + base::replace_all(k_evil, "\"", "\"\"") + "\"\n"}},
        {{"type", "tensorboard"}, {"source", k_evil}},
        {{"type", k_evil}, {"source", k_evil}},
        {{"type", "roc"}, {"source", "javascript:alert(1)"}},
    });
    nlohmann::json step = {
        {"name", k_evil},
        {"label", k_evil},
        {"phase", "Failed"},
        {"message", k_evil},
        {"image", k_evil},
        {"logFile", "logs/evil.log"},
        {"command", {k_evil}},
        {"warnings", {k_evil}},
        {"inputs", {{"parameters", {{k_evil, k_evil}}}}},
        {"outputs",
         {{"parameters", {{"p", k_evil}}},
          {"result", k_evil},
          {"artifacts", {fixture.file_artifact(k_evil, k_evil, k_evil)}}}},
        {"metrics", {{{"name", k_evil}, {"numberValue", 1}, {"format", k_evil}}}},
        {"uiMetadata", ui},
        {"cacheMissReasons", {k_evil}},
    };
    nlohmann::json report = testing::make_report({step});
    report["pipeline"]["name"] = k_evil;
    report["runId"] = k_evil;
    report["message"] = k_evil;
    report["warnings"] = {k_evil};
    report["parameters"] = {{k_evil, k_evil}};
    report["metrics"] = {
        {{"step", k_evil}, {"nodeId", k_evil}, {"name", k_evil}, {"numberValue", 1}}};
    report["nodes"][1]["displayName"] = k_evil;
    ArtifactExport exported = export_artifacts(report, fixture.store(), fixture.run_dir());
    ASSERT_EQ(exported.artifacts.size(), 1u);
    std::string html =
        render_html(report, RunFiles(fixture.run_dir(), &fixture.store(), exported.artifacts));
    expect_inert(html);
    // The embedded JSON cannot end its <script> element early.
    std::size_t data = html.find("<script type=\"application/json\" id=\"kfrun-data\">");
    ASSERT_NE(data, std::string::npos);
    std::size_t data_start = html.find('>', data) + 1;
    std::string json_text =
        html.substr(data_start, html.find("</script>", data_start) - data_start);
    EXPECT_EQ(json_text.find('<'), std::string::npos);
    nlohmann::json parsed = nlohmann::json::parse(json_text);
    EXPECT_EQ(parsed["steps"][0]["label"], k_evil);
    // The step's text is shown, escaped.
    EXPECT_NE(
        html.find(
            "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"),
        std::string::npos);
    EXPECT_NE(html.find("Not available offline"),
              std::string::npos);  // roc from a javascript: "URI"
}

TEST(HtmlPage, DetailsNameTheExperimentAndTheRunResumedFrom) {
    nlohmann::json report = testing::train_evaluate_report();
    std::string html = render_html(report, RunFiles("/nonexistent", nullptr));
    EXPECT_EQ(html.find("<dt>Experiment</dt>"), std::string::npos);
    report["experiment"] = "lr <sweep>";
    report["resumedFrom"] = "0123abcd";
    html = render_html(report, RunFiles("/nonexistent", nullptr));
    EXPECT_NE(html.find("<dt>Experiment</dt><dd>lr &lt;sweep&gt;</dd>"), std::string::npos);
    EXPECT_NE(html.find("<dt>Resumed from</dt><dd><code>0123abcd</code></dd>"), std::string::npos);
}

TEST(HtmlPage, LargeLogsShowTheirEndWithALink) {
    testing::StoreFixture fixture;
    std::string log;
    for (int i = 0; log.size() < 400 * 1024; ++i) {
        log += "log line " + std::to_string(i) + "\n";
    }
    log += "THE LAST LINE\n";
    testing::write_file(fixture.run_dir() / "logs/big.log", log);
    nlohmann::json report = testing::make_report({{{"logFile", "logs/big.log"}}});
    std::string html = render_html(report, RunFiles(fixture.run_dir(), nullptr));
    EXPECT_NE(html.find("THE LAST LINE"), std::string::npos);
    EXPECT_EQ(html.find("log line 0\n"), std::string::npos);
    EXPECT_NE(html.find("the whole log: <a href=\"logs/big.log\">"), std::string::npos);
}

// A damaged or edited report.json named /etc/shadow (or ../x) as a step's log, and `kfrun report`
// (root) put that file into report.html. Only logs/<name> of the run folder is read.
TEST(HtmlPage, ALogFileOutsideTheRunsLogsIsNotRead) {
    testing::StoreFixture fixture;
    testing::write_file(fixture.run_dir() / "secret.txt", "THE SECRET\n");
    for (const std::string& named :
         {(fixture.run_dir() / "secret.txt").string(), std::string("logs/../secret.txt"),
          std::string("secret.txt"), std::string("../secret.txt")}) {
        nlohmann::json report = testing::make_report({{{"logFile", named}}});
        std::string html = render_html(report, RunFiles(fixture.run_dir(), nullptr));
        EXPECT_EQ(html.find("THE SECRET"), std::string::npos) << named;
    }
}

TEST(HtmlPage, OutputArtifactsLinkToTheirCopiesAndInputsToTheProducer) {
    testing::StoreFixture fixture;
    nlohmann::json data =
        fixture.file_artifact("make-dataset-dataset", "1,2\n", "/tmp/outputs/dataset/data");
    nlohmann::json input = data;
    input["path"] = "/tmp/inputs/dataset/data";
    nlohmann::json report = testing::make_report(
        {{{"outputs", {{"artifacts", {data}}}}}, {{"inputs", {{"artifacts", {input}}}}}});
    ArtifactExport exported = export_artifacts(report, fixture.store(), fixture.run_dir());
    std::string html =
        render_html(report, RunFiles(fixture.run_dir(), &fixture.store(), exported.artifacts));
    std::string link = "href=\"artifacts/wf-abcde-100/make-dataset-dataset\"";
    EXPECT_EQ(testing::count(html, link), 2u);
    EXPECT_NE(html.find("from <a href=\"#step-0\">step-0</a>"), std::string::npos);
}

TEST(HtmlPage, SurvivesAnEmptyOrMalformedReport) {
    for (const nlohmann::json& report :
         {nlohmann::json::object(), nlohmann::json::array(), nlohmann::json("x"),
          nlohmann::json{{"steps", {1, "two", nullptr, {{"uiMetadata", "nope"}, {"metrics", 5}}}},
                         {"nodes", 3},
                         {"metrics", {{{"numberValue", "x"}}}},
                         {"counts", "many"}}}) {
        std::string html = render_html(report, RunFiles("/nonexistent", nullptr));
        EXPECT_NE(html.find("</html>"), std::string::npos);
    }
}

}  // namespace
}  // namespace kfrun::report
