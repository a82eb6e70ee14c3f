// report.json: the fields every consumer relies on (engine::build_report).
#include <gtest/gtest.h>

#include <regex>

#include "base/sha256.hpp"
#include "engine/report.hpp"
#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::k_run_id;

namespace {

const std::string k_pipeline = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: report-test-
  annotations:
    pipelines.kubeflow.org/pipeline_spec: '{"name": "Report test", "description": "d"}'
spec:
  entrypoint: main
  arguments:
    parameters: [{name: rate, value: "0.5"}]
  templates:
  - name: main
    dag:
      tasks:
      - {name: train, template: train}
      - {name: skipped, template: train, when: '1 == 2'}
      - {name: broken, template: fails, dependencies: [train]}
  - name: train
    container: {image: busybox}
    outputs:
      parameters: [{name: accuracy, valueFrom: {path: /tmp/acc}, default: "0"}]
      artifacts:
      - {name: model, path: /tmp/model, optional: true}
      - {name: mlpipeline-metrics, path: /mlpipeline-metrics.json}
  - name: fails
    container: {image: python:3.9}
)";

const std::regex k_timestamp(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z)");

const nlohmann::json& step_named(const nlohmann::json& report, const std::string& name) {
    for (const auto& step : report["steps"]) {
        if (step.value("name", "") == name) {
            return step;
        }
    }
    throw std::runtime_error("no step " + name + " in " + report["steps"].dump());
}

}  // namespace

TEST(Report, HasTheRunLevelFields) {
    EngineHarness h;
    h.options().parameters = {{"rate", "0.7"}};
    h.runtime().on("broken", FakeStep().exit(3));
    auto r = h.run(k_pipeline);
    const auto& report = r.report;
    EXPECT_EQ(report["schemaVersion"], 1);
    EXPECT_EQ(report["runId"], k_run_id);
    EXPECT_EQ(report["pipeline"]["name"], "Report test");
    EXPECT_EQ(report["pipeline"]["file"], "inline.yaml");
    EXPECT_EQ(report["status"], "Failed");
    EXPECT_EQ(report["parameters"], nlohmann::json({{"rate", "0.7"}}));
    ASSERT_TRUE(report["startedAt"].is_string());
    ASSERT_TRUE(report["finishedAt"].is_string());
    EXPECT_TRUE(std::regex_match(report["startedAt"].get<std::string>(), k_timestamp));
    EXPECT_TRUE(std::regex_match(report["finishedAt"].get<std::string>(), k_timestamp));
    EXPECT_LE(report["startedAt"].get<std::string>(), report["finishedAt"].get<std::string>());
    EXPECT_EQ(report["dryRun"], false);
}

TEST(Report, ListsEveryStepWithWhatItDid) {
    EngineHarness h;
    const std::string model = "weights: 1 2 3\n";
    h.runtime().on("train", FakeStep()
                                .file("/tmp/acc", "0.93\n")
                                .file("/tmp/model", model)
                                .file("/mlpipeline-metrics.json",
                                      R"({"metrics": [{"name": "acc", "numberValue": 0.93}]})"));
    h.runtime().on("broken", FakeStep().exit(3));
    auto r = h.run(k_pipeline);
    const auto& report = r.report;
    ASSERT_EQ(report["steps"].size(), 3u) << report["steps"].dump(1);

    const auto& train = step_named(report, "train");
    EXPECT_EQ(train["template"], "train");
    EXPECT_EQ(train["phase"], "Succeeded");
    EXPECT_EQ(train["exitCode"], 0);
    EXPECT_EQ(train["image"], "busybox");
    EXPECT_EQ(train["imageDigest"], kfrun::test_support::FakeRuntime::image_id_for("busybox"));
    EXPECT_TRUE(std::regex_match(train["startedAt"].get<std::string>(), k_timestamp));
    EXPECT_TRUE(std::regex_match(train["finishedAt"].get<std::string>(), k_timestamp));
    EXPECT_EQ(train["outputs"]["parameters"], nlohmann::json({{"accuracy", "0.93"}}));
    nlohmann::json model_entry;
    for (const auto& artifact : train["outputs"]["artifacts"]) {
        if (artifact["name"] == "model") {
            model_entry = artifact;
        }
    }
    ASSERT_TRUE(model_entry.is_object()) << train["outputs"].dump();
    EXPECT_EQ(model_entry["sha256"], kfrun::base::sha256_hex(model));
    EXPECT_EQ(model_entry["size"], model.size());
    ASSERT_EQ(train["metrics"].size(), 1u);
    EXPECT_EQ(train["metrics"][0]["name"], "acc");
    EXPECT_TRUE(train["uiMetadata"].is_array());

    const auto& broken = step_named(report, "broken");
    EXPECT_EQ(broken["phase"], "Failed");
    EXPECT_EQ(broken["exitCode"], 3);
    EXPECT_EQ(broken["image"], "python:3.9");

    const auto& skipped = step_named(report, "skipped");
    EXPECT_EQ(skipped["phase"], "Skipped");
    EXPECT_TRUE(skipped["exitCode"].is_null());
}

TEST(Report, EveryStepEntryHasTheRequiredFields) {
    EngineHarness h;
    h.runtime().on("broken", FakeStep().exit(3));
    auto r = h.run(k_pipeline);
    for (const auto& step : r.report["steps"]) {
        for (const char* key : {"name", "template", "phase", "exitCode", "image", "imageDigest",
                                "startedAt", "finishedAt", "outputs", "metrics", "uiMetadata"}) {
            EXPECT_TRUE(step.contains(key))
                << "step '" << step.value("name", "?") << "' (" << step.value("phase", "?")
                << ") has no `" << key << "`";
        }
        ASSERT_TRUE(step.contains("outputs"));
        EXPECT_TRUE(step["outputs"]["parameters"].is_object());
        EXPECT_TRUE(step["outputs"]["artifacts"].is_array());
    }
}

TEST(Report, CountsPhasesAndKeepsDagsOutOfTheSteps) {
    EngineHarness h;
    h.runtime().on("broken", FakeStep().exit(3));
    auto r = h.run(k_pipeline);
    EXPECT_EQ(r.report["counts"]["succeeded"], 1);
    EXPECT_EQ(r.report["counts"]["failed"], 1);
    EXPECT_EQ(r.report["counts"]["skipped"], 1);
    for (const auto& step : r.report["steps"]) {
        EXPECT_NE(step["name"], "wf");
    }
    bool root_listed = false;
    for (const auto& node : r.report["nodes"]) {
        root_listed = root_listed || (node["id"] == "wf" && node["type"] == "DAG");
    }
    EXPECT_TRUE(root_listed);
}

TEST(Report, ListsThePipelinesOwnOutputsAtTheTop) {
    const std::string pipeline = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: outputs-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: train, template: train}
    outputs:
      parameters:
      - {name: accuracy, valueFrom: {parameter: '{{tasks.train.outputs.parameters.accuracy}}'}}
      artifacts:
      - {name: model, from: '{{tasks.train.outputs.artifacts.model}}'}
  - name: train
    container: {image: busybox}
    outputs:
      parameters: [{name: accuracy, valueFrom: {path: /tmp/acc}}]
      artifacts: [{name: model, path: /tmp/model}]
)";
    EngineHarness h;
    h.runtime().on("train", FakeStep().file("/tmp/acc", "0.93").file("/tmp/model", "w"));
    auto r = h.run(pipeline);
    const auto& outputs = r.report["outputs"];
    EXPECT_EQ(outputs["parameters"], nlohmann::json({{"accuracy", "0.93"}})) << outputs.dump();
    ASSERT_EQ(outputs["artifacts"].size(), 1u) << outputs.dump();
    EXPECT_EQ(outputs["artifacts"][0]["name"], "model");
    EXPECT_EQ(outputs["artifacts"][0]["sha256"], kfrun::base::sha256_hex("w"));
}

TEST(Report, HasEmptyOutputsWhenThePipelineDeclaresNone) {
    EngineHarness h;
    h.runtime().on("broken", FakeStep().exit(3));
    auto r = h.run(k_pipeline);
    EXPECT_EQ(r.report["outputs"],
              nlohmann::json({{"parameters", nlohmann::json::object()},
                              {"artifacts", nlohmann::json::array()}}));
}
