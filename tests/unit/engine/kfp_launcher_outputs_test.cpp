// A KFP v2 launcher step's outputs: parameter files by type, executor_output.json, artifact
// metadata. Test names carry the checklist row of shared/research/kfp-v2-semantics.md §12.
#include <gtest/gtest.h>

#include "base/json_text.hpp"
#include "engine/kfp_executor_input.hpp"
#include "engine/kfp_launcher_outputs.hpp"
#include "kfp_launcher_support.hpp"
#include "support/engine_harness.hpp"

using kfrun::engine::kfp_mlmd_metadata;
using kfrun::engine::kfp_output_parameter_text;
using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::k_producer_task_root;
using kfrun::test_support::producer_consumer;
using kfrun::test_support::template_named;
namespace model = kfrun::model;

namespace {

const std::string k_y = "/tmp/kfp/outputs/y";
const std::string k_m = std::string(k_producer_task_root) + "/m";
const std::string k_executor_output = std::string(k_producer_task_root) + "/output_metadata.json";

std::string text_of(const std::string& bytes, const std::string& type) {
    auto value = kfp_output_parameter_text(bytes, type);
    return value.ok() ? *value : "ERROR";
}

}  // namespace

TEST(KfpLauncherOutputs, Row38_StringFileIsNotTrimmed) {
    EXPECT_EQ(text_of("hello\n", "STRING"), "hello\n");
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"{{$.inputs.parameters['x']}}"});
    h.runtime().on("p", FakeStep().file(k_y, "hello\n"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(r.output("wf.p", "y"), "hello\n");
    EXPECT_EQ(h.runtime().spec("c").command.at(1), "hello\n");
}

// A step controls its output files: 400 000 nested `[` must fail the task, not overflow a
// recursive walk of the parsed value (issue 16's rule for every JSON a pipeline writes).
TEST(KfpLauncherOutputs, DeeplyNestedListOrStructFailsTheTaskInsteadOfCrashing) {
    std::string deep = std::string(400000, '[') + std::string(400000, ']');
    EXPECT_FALSE(kfp_output_parameter_text(deep, "LIST").ok());
    EXPECT_FALSE(kfp_output_parameter_text("{\"a\":" + deep + "}", "STRUCT").ok());
}

TEST(KfpLauncherOutputs, Row39_IntegerFileIsATrimmedBase10Integer) {
    EXPECT_EQ(text_of("7\n", "NUMBER_INTEGER"), "7");
    EXPECT_EQ(text_of(" -12 ", "NUMBER_INTEGER"), "-12");
    EXPECT_EQ(text_of("7.0", "NUMBER_INTEGER"), "ERROR");
    EXPECT_EQ(text_of("0x10", "NUMBER_INTEGER"), "ERROR");
    EXPECT_EQ(text_of("", "NUMBER_INTEGER"), "ERROR");
    EngineHarness h;
    auto wf = producer_consumer(h, "NUMBER_INTEGER", {"x"});
    h.runtime().on("p", FakeStep().file(k_y, "7.0"));
    auto r = h.run_model(wf);
    EXPECT_EQ(r.phase("wf.p"), NodePhase::Failed);
    EXPECT_NE(r.node("wf.p").message.find("not a base-10 integer"), std::string::npos)
        << r.node("wf.p").message;
    EXPECT_EQ(h.runtime().count("c"), 0);
}

TEST(KfpLauncherOutputs, Row39_DoubleFileIsATrimmedFloat) {
    EXPECT_EQ(text_of(" 0.5\n", "NUMBER_DOUBLE"), "0.5");
    EXPECT_EQ(text_of("3.0", "NUMBER_DOUBLE"), "3");
    EXPECT_EQ(text_of("abc", "NUMBER_DOUBLE"), "ERROR");
}

TEST(KfpLauncherOutputs, Row40_BooleanFileTakesGoParseBoolForms) {
    EXPECT_EQ(text_of("True", "BOOLEAN"), "true");
    EXPECT_EQ(text_of("1\n", "BOOLEAN"), "true");
    EXPECT_EQ(text_of("F", "BOOLEAN"), "false");
    EXPECT_EQ(text_of("yes", "BOOLEAN"), "ERROR");
}

TEST(KfpLauncherOutputs, Row41_ListAndStructFilesMustBeJsonOfThatKind) {
    EXPECT_EQ(text_of("[1, 2]", "LIST"), "[1,2]");
    EXPECT_EQ(text_of(R"({"a":1})", "LIST"), "ERROR");
    EXPECT_EQ(text_of(R"({"b": [1], "a": 1})", "STRUCT"), R"({"a":1,"b":[1]})");
    EXPECT_EQ(text_of("[1]", "STRUCT"), "ERROR");
}

TEST(KfpLauncherOutputs, Row42_MissingParameterFileFailsTheTask) {
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"x"});
    auto r = h.run_model(wf);
    EXPECT_EQ(r.phase("wf.p"), NodePhase::Failed);
    EXPECT_NE(r.node("wf.p").message.find(k_y + " does not exist"), std::string::npos)
        << r.node("wf.p").message;
    EXPECT_TRUE(r.node("wf.p").outputs.parameters.empty());
}

TEST(KfpLauncherOutputs, Row43_ExecutorOutputParameterValueWinsOverTheFile) {
    EngineHarness h;
    auto wf = producer_consumer(h, "NUMBER_INTEGER", {"{{$.inputs.parameters['x']}}"});
    h.runtime().on(
        "p", FakeStep().file(k_y, "2").file(k_executor_output, R"({"parameterValues": {"y": 1}})"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(r.output("wf.p", "y"), "1");
    EXPECT_EQ(h.runtime().spec("c").command.at(1), "1");
}

TEST(KfpLauncherOutputs, Row43_AnExecutorOutputValueNeedsNoFile) {
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"x"});
    h.runtime().on("p", FakeStep().file(k_executor_output, R"({"parameterValues": {"y": "v"}})"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(r.output("wf.p", "y"), "v");
}

TEST(KfpLauncherOutputs, Row44_AbsentExecutorOutputIsFineAndInvalidJsonFails) {
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"x"});
    h.runtime().on("p", FakeStep().file(k_y, "v").file(k_executor_output, "{not json"));
    auto r = h.run_model(wf);
    EXPECT_EQ(r.phase("wf.p"), NodePhase::Failed);
    EXPECT_NE(r.node("wf.p").message.find("not a valid JSON object"), std::string::npos)
        << r.node("wf.p").message;

    EngineHarness fine;
    auto wf2 = producer_consumer(fine, "STRING", {"x"});
    fine.runtime().on("p", FakeStep().file(k_y, "v"));
    EXPECT_EQ(fine.run_model(wf2).phase("wf.p"), NodePhase::Succeeded);
}

TEST(KfpLauncherOutputs, Row45_ExecutorOutputMetadataIsMergedAndReachesTheConsumer) {
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"{{$}}"});
    template_named(wf, "prod").outputs.artifacts[0].metadata = {{"declared", "d"}};
    h.runtime().on(
        "p", FakeStep()
                 .file(k_y, "v")
                 .file(k_m, "model")
                 .file(k_executor_output,
                       R"({"artifacts": {"m": {"artifacts": [{"metadata": {"acc": 0.9}}]}}})"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto input = nlohmann::json::parse(h.runtime().spec("c").command.at(1));
    const auto& metadata = input["inputs"]["artifacts"]["a"]["artifacts"][0]["metadata"];
    EXPECT_EQ(metadata["acc"], 0.9);
    EXPECT_EQ(metadata["declared"], "d");
    // report.json carries the type and the metadata.
    const auto& steps = r.report["steps"];
    bool found = false;
    for (const auto& step : steps) {
        if (step["name"] == "p") {
            for (const auto& artifact : step["outputs"]["artifacts"]) {
                found = true;
                EXPECT_EQ(artifact["type"]["schemaTitle"], "system.Model");
                EXPECT_EQ(artifact["metadata"]["acc"], 0.9);
                EXPECT_EQ(artifact["uri"], "minio://kfrun/v2/artifacts/demo/p/m");
            }
        }
    }
    EXPECT_TRUE(found) << kfrun::base::json_text(r.report, 2);
}

TEST(KfpLauncherOutputs, Row45_ExecutorOutputUriReplacesTheUri) {
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"{{$.inputs.artifacts['a'].uri}}"});
    h.runtime().on(
        "p",
        FakeStep()
            .file(k_y, "v")
            .file(k_m, "model")
            .file(
                k_executor_output,
                R"({"artifacts": {"m": {"artifacts": [{"uri": "minio://kfrun/elsewhere/m"}]}}})"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.runtime().spec("c").command.at(1), "minio://kfrun/elsewhere/m");
}

TEST(KfpLauncherOutputs, Row46_AnUnwrittenOutputArtifactIsRecordedWithoutContent) {
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"{{$.inputs.artifacts['a'].path}}"});
    h.runtime().on("p", FakeStep().file(k_y, "v"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    const auto* m = r.node("wf.p").outputs.artifact("m");
    ASSERT_NE(m, nullptr);
    EXPECT_FALSE(m->artifact.has_content());
    EXPECT_TRUE(m->artifact.typed);
    auto consumer = h.runtime().spec("c");
    EXPECT_EQ(consumer.command.at(1), k_m);
    for (const auto& input : consumer.inputs) {
        EXPECT_NE(input.container_path, k_m);
    }
}

TEST(KfpLauncherOutputs, Row47_ADirectoryArtifactStaysADirectory) {
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"x"});
    h.runtime().on("p", FakeStep().file(k_y, "v").file(k_m + "/a/b.txt", "deep"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    const auto* m = r.node("wf.p").outputs.artifact("m");
    ASSERT_NE(m, nullptr);
    EXPECT_TRUE(m->artifact.is_directory());
    auto consumer = h.runtime().spec("c");
    bool placed = false;
    for (const auto& input : consumer.inputs) {
        placed = placed || (input.container_path == k_m && input.artifact.is_directory());
    }
    EXPECT_TRUE(placed);
}

TEST(KfpLauncherOutputs, Row48_MetadataIsConvertedAsMlmdStoresIt) {
    auto converted =
        kfp_mlmd_metadata(R"({"f": true, "t": ["x"], "s": {"k": 1}, "n": 2, "w": "v"})"_json);
    ASSERT_TRUE(converted.ok());
    EXPECT_EQ(
        *converted,
        R"({"f": 1, "t": {"list": ["x"]}, "s": {"struct": {"k": 1}}, "n": 2, "w": "v"})"_json);

    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"{{$}}"});
    h.runtime().on(
        "p",
        FakeStep().file(k_y, "v").file(k_m, "m").file(
            k_executor_output,
            R"({"artifacts": {"m": {"artifacts": [{"metadata": {"f": true, "t": ["x"]}}]}}})"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto input = nlohmann::json::parse(h.runtime().spec("c").command.at(1));
    const auto& metadata = input["inputs"]["artifacts"]["a"]["artifacts"][0]["metadata"];
    EXPECT_EQ(metadata["f"], 1);
    EXPECT_EQ(metadata["t"], R"({"list": ["x"]})"_json);
}

TEST(KfpLauncherOutputs, Row49_NullMetadataFailsTheTask) {
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"x"});
    h.runtime().on("p",
                   FakeStep().file(k_y, "v").file(
                       k_executor_output,
                       R"({"artifacts": {"m": {"artifacts": [{"metadata": {"bad": null}}]}}})"));
    auto r = h.run_model(wf);
    EXPECT_EQ(r.phase("wf.p"), NodePhase::Failed);
    EXPECT_NE(r.node("wf.p").message.find("`bad` is null"), std::string::npos)
        << r.node("wf.p").message;
}

TEST(KfpLauncherOutputs, Row51_NonZeroExitFailsWithNoOutputs) {
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"x"});
    h.runtime().on("p", FakeStep().exit(3).file(k_y, "v").file(k_m, "m"));
    auto r = h.run_model(wf);
    EXPECT_EQ(r.phase("wf.p"), NodePhase::Failed);
    EXPECT_TRUE(r.node("wf.p").outputs.parameters.empty());
    EXPECT_TRUE(r.node("wf.p").outputs.artifacts.empty());
}
