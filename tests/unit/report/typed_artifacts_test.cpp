// KFP v2 typed artifacts in the report: each schema title drawn as KFP's UI draws it, with
// hostile metadata (markup, 10k entries, NaN-like strings, huge numbers, deep nesting).
#include "report/typed_artifacts.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "base/strings.hpp"
#include "report/html_page.hpp"
#include "report/summary_markdown.hpp"
#include "report_test_support.hpp"

namespace kfrun::report {
namespace {

const std::string k_evil = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";

nlohmann::json typed(const std::string& name, const std::string& title,
                     const nlohmann::json& metadata) {
    return {{"name", name},
            {"sha256", ""},
            {"size", 0},
            {"kind", "file"},
            {"uri", "/root/kfp/run/" + name},
            {"artifactId", "7"},
            {"type", {{"schemaTitle", title}, {"schemaVersion", "0.0.1"}}},
            {"metadata", metadata}};
}

std::string render(const nlohmann::json& artifact) {
    return render_typed_artifact(artifact, RunFiles("/nonexistent", nullptr));
}

// Nothing from the metadata became markup: no tag but the report's own, no event handler.
void expect_inert(const std::string& html) {
    for (const testing::HtmlTag& tag : testing::html_tags(html)) {
        EXPECT_NE(tag.name, "img");
        EXPECT_NE(tag.name, "script");
        for (const auto& [name, value] : tag.attributes) {
            EXPECT_NE(name.rfind("on", 0), 0u) << "<" << tag.name << " " << name << "=" << value;
        }
        if (tag.name == "iframe") {
            ASSERT_EQ(tag.attributes.count("sandbox"), 1u);
            EXPECT_EQ(tag.attributes.at("sandbox"), "");
        }
    }
    EXPECT_EQ(html.find("<script"), std::string::npos);
}

nlohmann::json classification_metadata() {
    return {{"confusionMatrix",
             {{"annotationSpecs", {{{"displayName", "cat"}}, {{"displayName", "dog"}}}},
              {"rows", {{{"row", {8, 2}}}, {{"row", {1, 9}}}}}}},
            {"confidenceMetrics",
             {{{"confidenceThreshold", 0.9}, {"recall", 0.2}, {"falsePositiveRate", 0.0}},
              {{"confidenceThreshold", 0.5}, {"recall", 0.8}, {"falsePositiveRate", 0.1}},
              {{"confidenceThreshold", 0.1}, {"recall", 1.0}, {"falsePositiveRate", 0.7}}}}};
}

std::vector<std::string> cell_texts(const std::string& html) {
    std::vector<std::string> found;
    std::regex cell("<td class=\"heat-[0-9]+[^\"]*\"[^>]*>([^<]*)</td>");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), cell);
         it != std::sregex_iterator(); ++it) {
        found.push_back((*it)[1]);
    }
    return found;
}

TEST(ScalarMetrics, ShowsEachMetadataEntryButDisplayNameAndSessionInfo) {
    std::string html = render(typed("metrics", "system.Metrics",
                                    {{"accuracy", 0.93},
                                     {"epochs", 3},
                                     {"display_name", "metrics"},
                                     {"store_session_info", "{}"},
                                     {"note", "ok"}}));
    EXPECT_NE(html.find("data-schema-title=\"system.Metrics\""), std::string::npos);
    EXPECT_NE(html.find("<code>accuracy</code></td><td class=\"metric-value\">0.93</td>"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("<code>epochs</code></td><td class=\"metric-value\">3</td>"),
              std::string::npos);
    // As KFP's UI: JSON.stringify of the value, so strings are quoted.
    EXPECT_NE(html.find("<td class=\"metric-value\">&quot;ok&quot;</td>"), std::string::npos);
    std::size_t table_end = html.find("</table>");
    EXPECT_EQ(html.substr(0, table_end).find("display_name"), std::string::npos);
    EXPECT_EQ(html.substr(0, table_end).find("store_session_info"), std::string::npos);
}

TEST(ScalarMetrics, EscapesHostileKeysAndValues) {
    std::string html = render(typed(k_evil, "system.Metrics", {{k_evil, k_evil}, {"x", 1}}));
    expect_inert(html);
    EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

TEST(ScalarMetrics, CapsTenThousandEntries) {
    nlohmann::json metadata = nlohmann::json::object();
    for (int i = 0; i < 10000; ++i) {
        metadata["m" + std::to_string(100000 + i)] = i;
    }
    std::string html = render(typed("metrics", "system.Metrics", metadata));
    std::size_t table_end = html.find("</table>");
    EXPECT_EQ(testing::count(html.substr(0, table_end), "<tr>"), 1 + k_max_metadata_entries);
    EXPECT_NE(html.find("showing the first 200 of 10000 metrics"), std::string::npos);
    EXPECT_NE(html.find("showing the first 200 of 10000 metadata entries"), std::string::npos);
    EXPECT_LT(html.size(), 200'000u);
}

TEST(MetadataValueText, NanLikeStringsStayStringsAndNumbersPrintAsJson) {
    EXPECT_EQ(metadata_value_text("NaN"), "\"NaN\"");
    EXPECT_EQ(metadata_value_text("-Infinity"), "\"-Infinity\"");
    EXPECT_EQ(metadata_value_text(1e308), "1e+308");
    EXPECT_EQ(metadata_value_text(18446744073709551615ULL), "18446744073709551615");
    EXPECT_EQ(metadata_value_text(std::numeric_limits<double>::infinity()), "null");
    EXPECT_EQ(metadata_value_text(nlohmann::json::parse(R"({"b":[1,true,null],"a":"x"})")),
              R"({"a":"x","b":[1,true,null]})");
}

TEST(MetadataValueText, HugeNumbersFromReportJsonDoNotBreakTheTable) {
    nlohmann::json metadata = nlohmann::json::parse(
        R"({"big": 1.7976931348623157e308, "long": 123456789012345678901234567890})");
    std::string html = render(typed("metrics", "system.Metrics", metadata));
    EXPECT_NE(html.find("<code>big</code>"), std::string::npos);
    EXPECT_NE(html.find("<code>long</code></td><td class=\"metric-value\">1.2345678901234568e+29<"),
              std::string::npos)
        << html;
}

TEST(MetadataValueText, LongStringsAndDeepNestingAreBounded) {
    std::string long_text(1'000'000, 'a');
    std::string text = metadata_value_text(long_text);
    EXPECT_LE(text.size(), k_max_metadata_value_chars + 3);
    EXPECT_TRUE(text.ends_with("\xE2\x80\xA6"));

    nlohmann::json deep = 1;
    for (int i = 0; i < 5000; ++i) {
        nlohmann::json outer = nlohmann::json::array();
        outer.push_back(std::move(deep));
        deep = std::move(outer);
    }
    std::string nested = metadata_value_text(deep);
    EXPECT_EQ(nested.rfind(std::string(k_max_metadata_depth, '[') + "[\xE2\x80\xA6]", 0), 0u)
        << nested;
    std::string html = render(typed("deep", "system.Dataset", {{"deep", deep}}));
    EXPECT_NE(html.find("<dt>deep</dt>"), std::string::npos);
}

TEST(ClassificationMetrics, DrawsTheConfusionMatrixWithKfpAxisTitles) {
    std::string html =
        render(typed("eval", "system.ClassificationMetrics", classification_metadata()));
    EXPECT_NE(html.find("<table class=\"cm-grid\">"), std::string::npos);
    EXPECT_NE(html.find("<span>True label</span>"), std::string::npos);
    EXPECT_NE(html.find("<div class=\"cm-x-title\">Predicted label</div>"), std::string::npos);
    EXPECT_NE(html.find("<th scope=\"col\">cat</th><th scope=\"col\">dog</th>"), std::string::npos);
    EXPECT_EQ(cell_texts(html), (std::vector<std::string>{"8", "2", "1", "9"}));
    EXPECT_NE(html.find("title=\"True label dog, Predicted label dog: 9\""), std::string::npos);
}

TEST(ClassificationMetrics, DrawsTheRocCurveFromConfidenceMetrics) {
    std::string html =
        render(typed("eval", "system.ClassificationMetrics", classification_metadata()));
    EXPECT_NE(html.find("<svg class=\"roc\""), std::string::npos);
    EXPECT_EQ(testing::count(html, "<circle "), 3u);
    EXPECT_NE(html.find("data-threshold=\"0.5\""), std::string::npos);
    EXPECT_NE(html.find("threshold 0.5 \xC2\xB7 fpr 0.10 \xC2\xB7 tpr 0.80"), std::string::npos);
    EXPECT_NE(html.find("3 points"), std::string::npos);
}

TEST(ClassificationMetrics, ReadsMlmdsWrappedListAndStructForms) {
    nlohmann::json plain = classification_metadata();
    nlohmann::json wrapped = {{"confusionMatrix", {{"struct", plain["confusionMatrix"]}}},
                              {"confidenceMetrics", {{"list", plain["confidenceMetrics"]}}}};
    std::string html = render(typed("eval", "system.ClassificationMetrics", wrapped));
    EXPECT_EQ(cell_texts(html), (std::vector<std::string>{"8", "2", "1", "9"}));
    EXPECT_EQ(testing::count(html, "<circle "), 3u);
}

TEST(ClassificationMetrics, BadDataIsANoticeAndTheOtherPartStillDraws) {
    nlohmann::json metadata = classification_metadata();
    metadata["confusionMatrix"]["rows"][1]["row"] = {1};
    std::string html = render(typed("eval", "system.ClassificationMetrics", metadata));
    EXPECT_NE(html.find("row 2 must be"), std::string::npos) << html;
    EXPECT_EQ(html.find("cm-grid"), std::string::npos);
    EXPECT_EQ(testing::count(html, "<circle "), 3u);

    metadata = classification_metadata();
    metadata["confusionMatrix"]["rows"][0]["row"][0] = "NaN";
    metadata["confidenceMetrics"][1]["recall"] = "Infinity";
    html = render(typed("eval", "system.ClassificationMetrics", metadata));
    EXPECT_NE(html.find("not a finite number: &quot;NaN&quot;"), std::string::npos) << html;
    EXPECT_NE(html.find("confidenceMetrics[1] needs finite numbers"), std::string::npos);
    EXPECT_EQ(html.find("<svg class=\"roc\""), std::string::npos);

    metadata = classification_metadata();
    metadata["confusionMatrix"]["annotationSpecs"].push_back({{"displayName", "bird"}});
    html = render(typed("eval", "system.ClassificationMetrics", metadata));
    EXPECT_NE(html.find("annotationSpecs has 3 labels but there are 2 rows"), std::string::npos);

    html = render(typed("eval", "system.ClassificationMetrics", {{"other", 1}}));
    EXPECT_NE(html.find("no confusionMatrix or confidenceMetrics"), std::string::npos);
}

TEST(ClassificationMetrics, EscapesHostileLabelsAndCapsPoints) {
    nlohmann::json metadata = classification_metadata();
    metadata["confusionMatrix"]["annotationSpecs"][0]["displayName"] = k_evil;
    nlohmann::json points = nlohmann::json::array();
    for (int i = 0; i < 20000; ++i) {
        points.push_back({{"confidenceThreshold", 1.0 - i / 20000.0},
                          {"recall", i / 20000.0},
                          {"falsePositiveRate", i / 20000.0}});
    }
    metadata["confidenceMetrics"] = points;
    std::string html = render(typed(k_evil, "system.ClassificationMetrics", metadata));
    expect_inert(html);
    EXPECT_EQ(testing::count(html, "<circle "), k_max_roc_points);
    EXPECT_NE(html.find("drawing the first 10000 of 20000 points"), std::string::npos);
}

TEST(SlicedClassificationMetrics, DrawsEachSlice) {
    nlohmann::json metadata = {
        {"evaluationSlices",
         {{{"slice", "overall"}, {"sliceClassificationMetrics", classification_metadata()}},
          {{"slice", k_evil},
           {"sliceClassificationMetrics",
            {{"confidenceMetrics", classification_metadata()["confidenceMetrics"]}}}}}}};
    std::string html = render(typed("sliced", "system.SlicedClassificationMetrics", metadata));
    expect_inert(html);
    EXPECT_EQ(testing::count(html, "<section class=\"slice\">"), 2u);
    EXPECT_NE(html.find("Slice <code>overall</code>"), std::string::npos);
    EXPECT_EQ(testing::count(html, "<table class=\"cm-grid\">"), 1u);
    EXPECT_EQ(testing::count(html, "<svg class=\"roc\""), 2u);

    html = render(typed("sliced", "system.SlicedClassificationMetrics", {{"x", 1}}));
    EXPECT_NE(html.find("no `evaluationSlices`"), std::string::npos);
}

TEST(HtmlArtifact, IsTheStoredFileInASandboxedFrame) {
    testing::StoreFixture fixture;
    nlohmann::json artifact = typed("page", "system.HTML", nlohmann::json::object());
    nlohmann::json stored = fixture.file_artifact("page", "<h1>Hi</h1>" + k_evil);
    artifact["sha256"] = stored["sha256"];
    artifact["size"] = stored["size"];
    RunFiles files(fixture.run_dir(), &fixture.store());
    std::string html = render_typed_artifact(artifact, files);
    expect_inert(html);
    EXPECT_NE(html.find("<iframe class=\"web-app\" sandbox=\"\""), std::string::npos) << html;
    EXPECT_NE(html.find("srcdoc=\"&lt;h1&gt;Hi&lt;/h1&gt;&lt;script&gt;"), std::string::npos);

    // Without the stored bytes: a notice, not an error.
    EXPECT_NE(render(typed("page", "system.HTML", {})).find("cannot read it"), std::string::npos);
}

TEST(MarkdownArtifact, IsRenderedWithoutRawHtml) {
    testing::StoreFixture fixture;
    std::string text = "# Results\n\n*good* <script>alert(1)</script> [x](javascript:alert(1))\n";
    nlohmann::json artifact = typed("notes", "system.Markdown", nlohmann::json::object());
    nlohmann::json stored = fixture.file_artifact("notes", text);
    artifact["sha256"] = stored["sha256"];
    artifact["size"] = stored["size"];
    RunFiles files(fixture.run_dir(), &fixture.store());
    std::string html = render_typed_artifact(artifact, files);
    expect_inert(html);
    EXPECT_NE(html.find("<h1>Results</h1>"), std::string::npos) << html;
    EXPECT_NE(html.find("<em>good</em>"), std::string::npos);
    EXPECT_EQ(html.find("javascript:"), std::string::npos);

    artifact["kind"] = "directory";
    EXPECT_NE(render_typed_artifact(artifact, files).find("the artifact is a directory"),
              std::string::npos);
}

TEST(OtherArtifact, ShowsTypeUriAndMetadataAsAKeyValueList) {
    std::string html = render(typed(
        "data", "system.Dataset", {{"rows", 10}, {"store_session_info", "{}"}, {k_evil, k_evil}}));
    expect_inert(html);
    EXPECT_NE(html.find("<dt>Type</dt><dd><code>system.Dataset 0.0.1</code></dd>"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("<dt>URI</dt><dd><code class=\"uri\">/root/kfp/run/data</code></dd>"),
              std::string::npos);
    EXPECT_NE(html.find("<dt>rows</dt><dd><code class=\"value\">10</code></dd>"),
              std::string::npos);
    EXPECT_EQ(html.find("store_session_info"), std::string::npos);
    EXPECT_EQ(html.find("cm-grid"), std::string::npos);
}

nlohmann::json v2_report() {
    nlohmann::json report = testing::make_report(
        {{{"outputs",
           {{"artifacts",
             {typed("metrics", "system.Metrics", {{"accuracy", 0.93}, {"f1|score", k_evil}}),
              typed("eval", "system.ClassificationMetrics", classification_metadata()),
              typed("data", "system.Dataset", {{"rows", 3}})}}}}},
         {}});
    report["outputs"] = {{"parameters", {{"best", "0.93"}, {k_evil, k_evil}}},
                         {"artifacts", {typed("metrics", "system.Metrics", {{"accuracy", 0.93}})}}};
    return report;
}

TEST(ReportPage, ShowsThePipelineOutputsAtTheTopAndTypedArtifactsInRunOutput) {
    std::string html = render_html(v2_report(), RunFiles("/nonexistent", nullptr));
    std::size_t outputs = html.find("<section id=\"pipeline-outputs\"");
    ASSERT_NE(outputs, std::string::npos);
    EXPECT_LT(html.find("<section id=\"summary\""), outputs);
    EXPECT_LT(outputs, html.find("<section id=\"graph\""));
    EXPECT_NE(
        html.find("<th scope=\"row\">best</th><td><code class=\"value\">0.93</code>", outputs),
        std::string::npos);
    std::size_t run_output = html.find("<section id=\"run-output\"");
    ASSERT_NE(run_output, std::string::npos);
    std::string output_section =
        html.substr(run_output, html.find("</section>", run_output) - run_output);
    EXPECT_EQ(testing::count(output_section, "class=\"viewer viewer-v2"), 3u);
    EXPECT_NE(output_section.find("data-schema-title=\"system.ClassificationMetrics\""),
              std::string::npos);
    EXPECT_NE(html.find("3 visualizations in Run output"), std::string::npos);
    EXPECT_NE(html.find("<span class=\"chip artifact-type\""), std::string::npos);
    for (const testing::HtmlTag& tag : testing::html_tags(html)) {
        EXPECT_NE(tag.name, "img");
        EXPECT_EQ(tag.attributes.count("onerror"), 0u) << tag.name;
    }
}

TEST(ReportPage, HasNoPipelineOutputsSectionWithoutOutputs) {
    nlohmann::json report = testing::make_report({{}});
    EXPECT_EQ(render_html(report, RunFiles("/nonexistent", nullptr)).find("pipeline-outputs"),
              std::string::npos);
    report["outputs"] = {{"parameters", nlohmann::json::object()},
                         {"artifacts", nlohmann::json::array()}};
    EXPECT_EQ(render_html(report, RunFiles("/nonexistent", nullptr)).find("pipeline-outputs"),
              std::string::npos);
}

TEST(SummaryMarkdown, ListsV2ScalarMetricsAndPipelineOutputsEscaped) {
    std::string md = render_summary(v2_report());
    EXPECT_NE(md.find("#### Metrics"), std::string::npos) << md;
    EXPECT_NE(md.find("| step-0 | accuracy | 0.93 |"), std::string::npos) << md;
    EXPECT_NE(md.find("| step-0 | f1\\|score | \"\\<script\\>"), std::string::npos) << md;
    EXPECT_NE(md.find("#### Pipeline outputs"), std::string::npos);
    EXPECT_NE(md.find("| best | 0.93 |"), std::string::npos);
    EXPECT_FALSE(std::regex_search(md, std::regex("(^|[^\\\\])<"))) << md;
}

TEST(SummaryMarkdown, CapsV2MetricRows) {
    nlohmann::json metadata = nlohmann::json::object();
    for (int i = 0; i < 10000; ++i) {
        metadata["m" + std::to_string(100000 + i)] = i;
    }
    nlohmann::json report = testing::make_report(
        {{{"outputs", {{"artifacts", {typed("metrics", "system.Metrics", metadata)}}}}}});
    std::string md = render_summary(report);
    EXPECT_EQ(testing::count(md, "| step-0 | m"), 200u);
    EXPECT_NE(md.find("9800 more metrics: see report.html"), std::string::npos);
}

}  // namespace
}  // namespace kfrun::report
