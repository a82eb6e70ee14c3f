// mlpipeline-metrics and mlpipeline-ui-metadata, checked as KFP's backend and UI check them
// (argo-semantics.md §9.4, checklist row 60; fixtures/conformance/ui-metadata-examples).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/kfp_outputs.hpp"
#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::engine::parse_metrics;
using kfrun::engine::parse_ui_metadata;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::workflow_yaml;

namespace {

std::string example(const std::string& name) {
    std::ifstream in(std::string(KFRUN_SOURCE_DIR) + "/fixtures/conformance/ui-metadata-examples/" +
                     name);
    EXPECT_TRUE(in.good()) << name;
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::vector<std::string> types_of(const nlohmann::json& viewers) {
    std::vector<std::string> types;
    for (const auto& viewer : viewers) {
        types.push_back(viewer.value("type", ""));
    }
    return types;
}

const std::string k_kfp_step = workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: train, template: train}
  - name: train
    container: {image: busybox}
    outputs:
      artifacts:
      - {name: mlpipeline-metrics, path: /mlpipeline-metrics.json}
      - {name: mlpipeline-ui-metadata, path: /mlpipeline-ui-metadata.json}
)");

}  // namespace

TEST(KfpMetrics, ReadsTheBasicExample) {
    auto parsed = parse_metrics(example("metrics-basic.json"));
    ASSERT_EQ(parsed.metrics.size(), 3u);
    EXPECT_EQ(parsed.metrics[0].name, "accuracy-score");
    EXPECT_DOUBLE_EQ(parsed.metrics[0].value, 0.9134);
    EXPECT_EQ(parsed.metrics[0].format, "PERCENTAGE");
    EXPECT_EQ(parsed.metrics[1].name, "rmse");
    EXPECT_DOUBLE_EQ(parsed.metrics[1].value, 1.27);
    EXPECT_EQ(parsed.metrics[1].format, "RAW");
    EXPECT_EQ(parsed.metrics[2].name, "epochs");
    EXPECT_DOUBLE_EQ(parsed.metrics[2].value, 12);
    EXPECT_EQ(parsed.metrics[2].format, "");
    EXPECT_TRUE(parsed.warnings.empty());
}

TEST(KfpMetrics, AcceptsSnakeCaseValuesAndARunId) {
    auto parsed = parse_metrics(example("metrics-snake-case-and-runid.json"));
    ASSERT_EQ(parsed.metrics.size(), 1u);
    EXPECT_EQ(parsed.metrics[0].name, "F1_macro");
    EXPECT_DOUBLE_EQ(parsed.metrics[0].value, 0.81);
}

TEST(KfpMetrics, DropsABadNameAndKeepsTheRest) {
    auto parsed = parse_metrics(example("invalid/metrics-bad-name.json"));
    ASSERT_EQ(parsed.metrics.size(), 1u);
    EXPECT_EQ(parsed.metrics[0].name, "ok-metric");
    EXPECT_DOUBLE_EQ(parsed.metrics[0].value, 2);
    EXPECT_EQ(parsed.warnings.size(), 1u);
}

TEST(KfpMetrics, AnUnknownFieldRejectsTheWholeFile) {  // row 60
    auto parsed = parse_metrics(example("invalid/metrics-unknown-field.json"));
    EXPECT_TRUE(parsed.metrics.empty());
    ASSERT_EQ(parsed.warnings.size(), 1u);
    EXPECT_NE(parsed.warnings[0].find("step"), std::string::npos);
}

TEST(KfpMetrics, OtherInvalidFiles) {
    EXPECT_TRUE(parse_metrics("not json").metrics.empty());
    EXPECT_TRUE(parse_metrics("[]").metrics.empty());
    EXPECT_TRUE(
        parse_metrics(R"({"metrics": [{"name": "a", "numberValue": "1"}]})").metrics.empty());
    EXPECT_TRUE(
        parse_metrics(R"({"metrics": [{"name": "a", "numberValue": 1, "format": "PERCENT"}]})")
            .metrics.empty());
    auto twice = parse_metrics(
        R"({"metrics": [{"name": "a", "numberValue": 1}, {"name": "a", "numberValue": 2}]})");
    ASSERT_EQ(twice.metrics.size(), 1u);
    EXPECT_DOUBLE_EQ(twice.metrics[0].value, 1);
}

TEST(KfpMetrics, AFieldOfAnotherTypeRejectsTheWholeFileWithoutAnException) {
    // The file is the step's: value("name", "") threw type_error.302 on these (exit 70).
    for (const char* text : {R"({"metrics": [{"name": {"a": 1}, "numberValue": 1}]})",
                             R"({"metrics": [{"name": "a", "numberValue": 1, "format": 2}]})",
                             R"({"metrics": [{"name": "a", "numberValue": 1, "nodeId": []}]})"}) {
        kfrun::engine::ParsedMetrics parsed;
        ASSERT_NO_THROW(parsed = parse_metrics(text)) << text;
        EXPECT_TRUE(parsed.metrics.empty()) << text;
        ASSERT_EQ(parsed.warnings.size(), 1u) << text;
        EXPECT_NE(parsed.warnings[0].find("is not a string; KFP rejects the whole file"),
                  std::string::npos)
            << parsed.warnings[0];
    }
    // null is no value at all: the metric has no name and is dropped.
    auto unnamed = parse_metrics(R"({"metrics": [{"name": null, "numberValue": 1}]})");
    EXPECT_TRUE(unnamed.metrics.empty());
    EXPECT_EQ(unnamed.warnings.size(), 1u);
}

struct UiExample {
    const char* file;
    std::vector<std::string> types;
};

class UiMetadataExamples : public ::testing::TestWithParam<UiExample> {};

TEST_P(UiMetadataExamples, KeepsEveryValidViewerInOrder) {
    auto parsed = parse_ui_metadata(example(GetParam().file));
    EXPECT_EQ(types_of(parsed.viewers), GetParam().types);
    EXPECT_TRUE(parsed.warnings.empty()) << parsed.warnings.front();
}

INSTANTIATE_TEST_SUITE_P(
    KfpUiMetadata, UiMetadataExamples,
    ::testing::Values(UiExample{"ui-metadata-confusion-matrix-inline.json", {"confusion_matrix"}},
                      UiExample{"ui-metadata-markdown-inline.json", {"markdown"}},
                      UiExample{"ui-metadata-multiple.json",
                                {"markdown", "table", "roc", "tensorboard"}},
                      UiExample{"ui-metadata-roc-inline.json", {"roc"}},
                      UiExample{"ui-metadata-table-inline.json", {"table"}},
                      UiExample{"ui-metadata-table-uri.json", {"table"}},
                      UiExample{"ui-metadata-tensorboard.json", {"tensorboard"}},
                      UiExample{"ui-metadata-web-app-inline.json", {"web-app"}}));

TEST(KfpUiMetadata, WithoutOutputsNothingIsShown) {
    auto parsed = parse_ui_metadata(example("invalid/ui-metadata-no-outputs.json"));
    EXPECT_TRUE(parsed.viewers.empty());
    EXPECT_EQ(parsed.warnings.size(), 1u);
}

TEST(KfpUiMetadata, AnUnknownTypeIsSkippedAndTheRestShown) {
    auto parsed = parse_ui_metadata(example("invalid/ui-metadata-unknown-type.json"));
    EXPECT_EQ(types_of(parsed.viewers), std::vector<std::string>{"markdown"});
    EXPECT_EQ(parsed.warnings.size(), 1u);
}

TEST(KfpUiMetadata, FieldsOfAnotherTypeSkipTheViewerWithoutAnException) {
    // value("type"/"storage"/"format", "") threw type_error.302 on these (exit 70).
    const char* text = R"({"outputs": [
        {"type": {"a": 1}, "source": "x"},
        {"type": "table", "source": "a,b", "header": ["a", "b"], "format": 7},
        {"type": "confusion_matrix", "storage": [], "source": "x", "labels": ["a"],
         "schema": []},
        {"type": "markdown", "source": "# ok"}]})";
    kfrun::engine::ParsedUiMetadata parsed;
    ASSERT_NO_THROW(parsed = parse_ui_metadata(text));
    EXPECT_EQ(types_of(parsed.viewers), (std::vector<std::string>{"confusion_matrix", "markdown"}));
    ASSERT_EQ(parsed.warnings.size(), 2u);
    EXPECT_NE(parsed.warnings[0].find("unknown viewer type `{\"a\":1}`"), std::string::npos)
        << parsed.warnings[0];
    EXPECT_NE(parsed.warnings[1].find("(table) has format `7`"), std::string::npos)
        << parsed.warnings[1];
}

TEST(KfpUiMetadata, AnInlineConfusionMatrixNeedsLabelsSquaredRows) {
    // 2 labels need exactly 4 CSV rows; the example has 3 (UI-METADATA.md, confusion_matrix).
    auto parsed =
        parse_ui_metadata(example("invalid/ui-metadata-confusion-matrix-wrong-rows.json"));
    EXPECT_TRUE(parsed.viewers.empty()) << parsed.viewers.dump();
    EXPECT_EQ(parsed.warnings.size(), 1u);
}

TEST(KfpOutputs, AStepsMetricsAndViewersReachItsRecordAndTheReport) {
    EngineHarness h;
    h.runtime().on("train", FakeStep()
                                .file("/mlpipeline-metrics.json", example("metrics-basic.json"))
                                .file("/mlpipeline-ui-metadata.json",
                                      example("ui-metadata-markdown-inline.json")));
    auto r = h.run(k_kfp_step);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    const auto& record = r.node("wf.train").step;
    ASSERT_TRUE(record.has_value());
    EXPECT_EQ(record->metrics.size(), 3u);
    EXPECT_EQ(types_of(record->ui_metadata), std::vector<std::string>{"markdown"});
    const auto& report = r.report;
    ASSERT_EQ(report["metrics"].size(), 3u);
    EXPECT_EQ(report["metrics"][0]["step"], "train");
    EXPECT_EQ(report["metrics"][0]["name"], "accuracy-score");
    EXPECT_EQ(report["metrics"][0]["nodeId"], r.node("wf.train").id);
}

TEST(KfpOutputs, AMetricsDirectoryWithTwoFilesReportsNoMetrics) {  // row 60
    EngineHarness h;
    h.runtime().on("train",
                   FakeStep()
                       .file("/mlpipeline-metrics.json/a.json", example("metrics-basic.json"))
                       .file("/mlpipeline-metrics.json/b.json", example("metrics-basic.json")));
    auto r = h.run(k_kfp_step);
    EXPECT_EQ(r.phase("wf.train"), NodePhase::Succeeded);
    EXPECT_TRUE(r.node("wf.train").step->metrics.empty());
    EXPECT_TRUE(r.report["metrics"].empty());
}

TEST(KfpOutputs, AnInvalidMetricsFileIsAWarningNotAFailure) {  // row 60
    EngineHarness h;
    h.runtime().on("train", FakeStep().file("/mlpipeline-metrics.json",
                                            example("invalid/metrics-unknown-field.json")));
    auto r = h.run(k_kfp_step);
    EXPECT_EQ(r.phase("wf.train"), NodePhase::Succeeded);
    EXPECT_TRUE(r.node("wf.train").step->metrics.empty());
    EXPECT_FALSE(r.node("wf.train").step->warnings.empty());
}

TEST(KfpOutputs, MetricsAndViewersWithFieldsOfAnotherTypeAreWarningsNotAnInternalError) {
    // value() threw on them on the step's thread: the run ended as Error, "internal error".
    EngineHarness h;
    h.runtime().on("train",
                   FakeStep()
                       .file("/mlpipeline-metrics.json",
                             R"({"metrics": [{"name": {"a": 1}, "numberValue": 1}]})")
                       .file("/mlpipeline-ui-metadata.json", R"({"outputs": [{"type": 1}]})"));
    auto r = h.run(k_kfp_step);
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(r.phase("wf.train"), NodePhase::Succeeded);
    EXPECT_TRUE(r.node("wf.train").step->metrics.empty());
    EXPECT_EQ(r.node("wf.train").step->warnings.size(), 2u);
}
