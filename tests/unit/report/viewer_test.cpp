// Every viewer of fixtures/conformance/ui-metadata-examples, valid and invalid.
#include <gtest/gtest.h>

#include <regex>

#include "base/strings.hpp"
#include "report/viewers.hpp"
#include "report_test_support.hpp"

namespace kfrun::report {
namespace {

nlohmann::json load_invalid_outputs(const std::string& file) {
    return testing::load_json(testing::source_path(
        "fixtures/conformance/ui-metadata-examples/invalid/" + file))["outputs"];
}

nlohmann::json load_invalid(const std::string& file) {
    return load_invalid_outputs(file)[0];
}

ResolvedSource inline_source(const nlohmann::json& viewer) {
    ResolvedSource source;
    source.available = true;
    source.origin = "inline";
    source.data = viewer.value("source", "");
    return source;
}

std::string render_example(const std::string& file, std::size_t index = 0) {
    nlohmann::json viewer = testing::ui_metadata_example(file).at(index);
    return render_viewer(viewer, inline_source(viewer));
}

std::vector<std::string> cells(const std::string& html, const std::string& tag) {
    std::vector<std::string> found;
    std::regex cell("<" + tag + "[^>]*>([^<]*)</" + tag + ">");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), cell);
         it != std::sregex_iterator(); ++it) {
        found.push_back((*it)[1]);
    }
    return found;
}

TEST(TableViewer, ShowsHeaderAndTrimmedCellsSortable) {
    std::string html = render_example("ui-metadata-table-inline.json");
    EXPECT_NE(html.find("class=\"viewer viewer-table\""), std::string::npos);
    EXPECT_NE(html.find("<table class=\"data sortable\">"), std::string::npos);
    EXPECT_EQ(cells(html, "th"), (std::vector<std::string>{"fold", "rmse", "mae"}));
    EXPECT_EQ(cells(html, "td"), (std::vector<std::string>{"0", "1.25", "0.91", "1", "1.31", "0.97",
                                                           "2", "1.19", "0.88"}));
    EXPECT_EQ(html.find("notice"), std::string::npos);
}

TEST(TableViewer, TrimsCellsAndPadsRaggedRowsWithANotice) {
    nlohmann::json viewer = {{"type", "table"}, {"format", "csv"}, {"header", {"a", "b"}}};
    std::string html = render_table(viewer, "  x  ,y\nonly\n");
    EXPECT_EQ(cells(html, "td"), (std::vector<std::string>{"x", "y", "only", ""}));
    EXPECT_NE(html.find("notice-warn"), std::string::npos);
}

TEST(TableViewer, WithoutHeaderStillShowsRows) {
    std::string html = render_table({{"type", "table"}}, "1,2\n");
    EXPECT_NE(html.find("no `header`"), std::string::npos);
    EXPECT_NE(html.find("column 1"), std::string::npos);
}

TEST(TableViewer, CutsVeryLongTables) {
    std::string csv;
    for (std::size_t i = 0; i < k_max_table_rows + 5; ++i) {
        csv += std::to_string(i) + "\n";
    }
    std::string html = render_table({{"header", {"n"}}}, csv);
    EXPECT_EQ(testing::count(html, "<tr>"), k_max_table_rows + 1);
    EXPECT_NE(html.find("showing the first 2000 of 2005 rows"), std::string::npos);
}

TEST(TableViewer, UriSourceIsNotAvailableOffline) {
    nlohmann::json viewer = testing::ui_metadata_example("ui-metadata-table-uri.json")[0];
    ResolvedSource source;
    source.uri = viewer["source"];
    source.notice = "a wildcard URI";
    std::string html = render_viewer(viewer, source);
    EXPECT_NE(html.find("Not available offline"), std::string::npos);
    EXPECT_NE(html.find("gs://example-bucket/eval/predictions-*.csv"), std::string::npos);
}

TEST(ConfusionMatrixViewer, ShowsLabelsAxesAndIntegerCounts) {
    std::string html = render_example("ui-metadata-confusion-matrix-inline.json");
    EXPECT_NE(html.find("class=\"cm-y-title\"><span>target</span>"), std::string::npos);
    EXPECT_NE(html.find("class=\"cm-x-title\">predicted<"), std::string::npos);
    EXPECT_EQ(cells(html, "th"),
              (std::vector<std::string>{"", "cat", "dog", "bird", "cat", "dog", "bird"}));
    EXPECT_EQ(cells(html, "td"),
              (std::vector<std::string>{"40", "5", "1", "3", "44", "2", "0", "4", "38"}));
    EXPECT_NE(html.find("class=\"heat-10 cm-diagonal\" title=\"target dog, predicted dog: 44\""),
              std::string::npos);
}

TEST(ConfusionMatrixViewer, WrongRowCountIsANotice) {
    nlohmann::json viewer = load_invalid("ui-metadata-confusion-matrix-wrong-rows.json");
    std::string html = render_viewer(viewer, inline_source(viewer));
    EXPECT_NE(html.find("2 labels need exactly 4 CSV rows, the data has 3"), std::string::npos);
    EXPECT_EQ(html.find("cm-grid"), std::string::npos);
}

TEST(ConfusionMatrixViewer, BadDataIsANotice) {
    nlohmann::json viewer =
        testing::ui_metadata_example("ui-metadata-confusion-matrix-inline.json")[0];
    EXPECT_NE(render_confusion_matrix(viewer,
                                      "cat,cat,x\ncat,dog,5\ncat,bird,1\ndog,cat,3\ndog,dog,44\n"
                                      "dog,bird,2\nbird,cat,0\nbird,dog,4\nbird,bird,38\n")
                  .find("not an integer: x"),
              std::string::npos);
    EXPECT_NE(render_confusion_matrix(viewer,
                                      "cat,cow,1\ncat,dog,5\ncat,bird,1\ndog,cat,3\ndog,dog,44\n"
                                      "dog,bird,2\nbird,cat,0\nbird,dog,4\nbird,bird,38\n")
                  .find("not in `labels`"),
              std::string::npos);
    nlohmann::json no_labels = viewer;
    no_labels.erase("labels");
    EXPECT_NE(render_confusion_matrix(no_labels, "").find("no `labels`"), std::string::npos);
    nlohmann::json no_schema = viewer;
    no_schema.erase("schema");
    EXPECT_NE(render_confusion_matrix(no_schema, "").find("needs a `schema`"), std::string::npos);
}

TEST(RocViewer, DrawsTheCurveWithThresholdsOnHover) {
    std::string html = render_example("ui-metadata-roc-inline.json");
    EXPECT_NE(html.find("<path class=\"roc-curve\" d=\"M"), std::string::npos);
    EXPECT_EQ(testing::count(html, "<circle "), 6u);
    EXPECT_NE(html.find("<title>threshold 0.75 \xC2\xB7 fpr 0.10 \xC2\xB7 tpr 0.66</title>"),
              std::string::npos);
    EXPECT_NE(html.find("False positive rate"), std::string::npos);
    EXPECT_NE(html.find("AUC"), std::string::npos);
}

TEST(RocViewer, FollowsTheSchemaColumnOrder) {
    // threshold, tpr, fpr (as in ui-metadata-multiple.json)
    nlohmann::json viewer = testing::ui_metadata_example("ui-metadata-multiple.json")[2];
    std::string html = render_roc(viewer, "0.9,0.4,0.1\n0.5,0.8,0.3\n");
    EXPECT_NE(html.find("threshold 0.9 \xC2\xB7 fpr 0.10 \xC2\xB7 tpr 0.40"), std::string::npos);
    EXPECT_NE(html.find("threshold 0.5 \xC2\xB7 fpr 0.30 \xC2\xB7 tpr 0.80"), std::string::npos);
}

TEST(RocViewer, BadSchemaOrDataIsANotice) {
    EXPECT_NE(render_roc({{"schema", {{{"name", "x"}}}}}, "1,2\n").find("named fpr and tpr"),
              std::string::npos);
    nlohmann::json viewer = testing::ui_metadata_example("ui-metadata-roc-inline.json")[0];
    EXPECT_NE(render_roc(viewer, "0.1,high,0.5\n").find("must be numbers"), std::string::npos);
    EXPECT_NE(render_roc(viewer, "0.1\n").find("has 1 cells"), std::string::npos);
    EXPECT_NE(render_roc(viewer, "").find("no points"), std::string::npos);
}

TEST(MarkdownViewer, RendersTheExample) {
    std::string html = render_example("ui-metadata-markdown-inline.json");
    EXPECT_NE(html.find("<div class=\"markdown\"><h1>Training summary</h1>"), std::string::npos);
    EXPECT_NE(html.find("<td>0.44</td>"), std::string::npos);
    EXPECT_NE(html.find("<code>model/</code>"), std::string::npos);
}

TEST(WebAppViewer, IsASandboxedSrcdocFrame) {
    std::string html = render_example("ui-metadata-web-app-inline.json");
    EXPECT_NE(html.find("<iframe class=\"web-app\" sandbox=\"\""), std::string::npos);
    EXPECT_NE(
        html.find("srcdoc=\"&lt;!DOCTYPE html&gt;&lt;html&gt;&lt;head&gt;&lt;title&gt;report"),
        std::string::npos);
    EXPECT_EQ(html.find("allow-"), std::string::npos);
}

TEST(WebAppViewer, QuotesCannotLeaveTheAttribute) {
    std::string html =
        render_web_app("<p title=\"x\" onclick='y'>\"></iframe><script>alert(1)</script>");
    std::vector<testing::HtmlTag> tags = testing::html_tags(html);
    ASSERT_FALSE(tags.empty());
    EXPECT_EQ(tags[0].name, "iframe");
    EXPECT_EQ(tags[0].attributes.count("onclick"), 0u);
    EXPECT_EQ(tags[0].attributes["sandbox"], "");
    EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(TensorboardViewer, ShowsTheLogDirAndTheCommand) {
    nlohmann::json viewer = testing::ui_metadata_example("ui-metadata-tensorboard.json")[0];
    ResolvedSource source;
    source.uri = viewer["source"];
    source.available = false;
    std::string html = render_viewer(viewer, source);
    EXPECT_NE(html.find("tensorboard --logdir gs://example-bucket/runs/exp-7/logs"),
              std::string::npos);
    EXPECT_EQ(html.find("Not available offline"), std::string::npos);
}

TEST(TensorboardViewer, PointsAtTheLocalCopyOfAnOutputDirectory) {
    ResolvedSource source;
    source.available = true;
    source.origin = "output artifact `logs`";
    source.local_path = "artifacts/wf-1/logs";
    std::string html =
        render_tensorboard({{"type", "tensorboard"}, {"source", "/tmp/outputs/logs"}}, source);
    EXPECT_NE(html.find("tensorboard --logdir artifacts/wf-1/logs"), std::string::npos);
    EXPECT_NE(html.find("tensorboard --logdir /tmp/outputs/logs"), std::string::npos);
}

TEST(MultipleViewers, RenderInOrderWithRemoteSourcesListed) {
    nlohmann::json viewers = testing::ui_metadata_example("ui-metadata-multiple.json");
    ASSERT_EQ(viewers.size(), 4u);
    std::vector<std::string> types;
    for (const nlohmann::json& viewer : viewers) {
        ResolvedSource source =
            viewer.value("storage", "") == "inline" ? inline_source(viewer) : ResolvedSource{};
        if (!source.available) {
            source.uri = viewer["source"];
            source.notice = "not an output of this run";
        }
        std::string html = render_viewer(viewer, source);
        std::smatch match;
        ASSERT_TRUE(std::regex_search(html, match, std::regex("data-viewer=\"([^\"]+)\"")));
        types.push_back(match[1]);
    }
    EXPECT_EQ(types, (std::vector<std::string>{"markdown", "table", "roc", "tensorboard"}));
}

TEST(UnknownViewer, IsANoticeAndTheNextOneStillRenders) {
    nlohmann::json viewers = load_invalid_outputs("ui-metadata-unknown-type.json");
    std::string first = render_viewer(viewers[0], inline_source(viewers[0]));
    std::string second = render_viewer(viewers[1], inline_source(viewers[1]));
    EXPECT_NE(first.find("unknown viewer type `scatter`"), std::string::npos);
    EXPECT_NE(second.find("this one is still shown"), std::string::npos);
}

TEST(Viewer, MissingTypeOrNonObjectIsANotice) {
    EXPECT_NE(render_viewer({{"source", "x"}}, {}).find("no `type`"), std::string::npos);
    EXPECT_NE(render_viewer(nlohmann::json::array(), {}).find("not an object"), std::string::npos);
}

TEST(Viewer, HostileContentIsEscapedEverywhere) {
    std::string evil = "\"><img src=x onerror=alert(1)><script>alert(2)</script>";
    std::string cell = "\"" + base::replace_all(evil, "\"", "\"\"") + "\"";  // as a CSV cell
    ResolvedSource source;
    source.available = true;
    source.origin = evil;
    source.data = cell + "," + cell + "\n";
    std::string html = render_viewer({{"type", "table"}, {"header", {evil}}}, source);
    nlohmann::json cm = {{"type", "confusion_matrix"},
                         {"labels", {evil, "b"}},
                         {"schema", {{{"name", evil}}, {{"name", evil}}, {{"name", "n"}}}}};
    html += render_confusion_matrix(
        cm, cell + "," + cell + ",1\n" + cell + ",b,2\nb," + cell + ",3\nb,b,4\n");
    html += render_confusion_matrix(cm, cell + ",x,1\nb,b,1\nb,b,1\nb,b,1\n");
    nlohmann::json roc = {
        {"type", "roc"},
        {"schema", {{{"name", "fpr"}}, {{"name", "tpr"}}, {{"name", "thresholds"}}}}};
    html += render_roc(roc, "0.1,0.2," + cell + "\n");
    html += render_tensorboard({{"source", evil}, {"image", evil}}, source);
    ResolvedSource unavailable;
    unavailable.uri = evil;
    unavailable.notice = evil;
    html += render_viewer({{"type", "markdown"}}, unavailable);
    html += render_viewer({{"type", evil}}, unavailable);
    EXPECT_NE(html.find("cm-grid"), std::string::npos);  // the hostile labels did render
    for (const testing::HtmlTag& tag : testing::html_tags(html)) {
        EXPECT_NE(tag.name, "img");
        EXPECT_NE(tag.name, "script");
        for (const auto& [name, value] : tag.attributes) {
            EXPECT_FALSE(name.rfind("on", 0) == 0) << tag.name << " " << name;
        }
    }
}

}  // namespace
}  // namespace kfrun::report
