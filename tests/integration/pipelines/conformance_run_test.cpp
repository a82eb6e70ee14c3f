// Real compiled pipelines run end to end, their output values checked.
// Pipelines from fixtures/conformance/argo-v1 (written by the KFP v1 compiler; see SOURCES.md)
// and examples/; public images are mapped to the fixture images (fixtures/image-map.txt).
#include <gtest/gtest.h>

#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

class CompiledPipeline : public ::testing::Test {
protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
    }
    std::string conformance(const std::string& name) {
        return KfrunProcess::fixture("fixtures/conformance/argo-v1/" + name).string();
    }
    KfrunProcess kfrun;
};

TEST_F(CompiledPipeline, LightweightComponentsPassAnOutputToTheNextStep) {
    KfrunResult result = kfrun.run(conformance("parameter_with_format.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(result.step("print-op")["outputs"]["parameters"]["print-op-Output"], "Hello KFP");
    EXPECT_EQ(result.step("print-op-2")["inputs"]["parameters"]["print-op-Output"], "Hello KFP");
    EXPECT_EQ(result.step("print-op-2")["outputs"]["result"], "Hello KFP");

    KfrunResult renamed = kfrun.run(conformance("parameter_with_format.yaml"), {"-p", "name=kfrun"});
    ASSERT_EQ(renamed.exit_code, 0) << renamed.output;
    EXPECT_EQ(renamed.step("print-op")["outputs"]["parameters"]["print-op-Output"], "Hello kfrun");
}

TEST_F(CompiledPipeline, OutputArtifactContentIsStoredByDigest) {
    KfrunResult result = kfrun.run(conformance("artifact_pipeline.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    const auto& artifacts = result.step("create-test-artifact")["outputs"]["artifacts"];
    ASSERT_EQ(artifacts.size(), 1u);
    EXPECT_EQ(artifacts[0]["sha256"], sha256_of("Kubeflow rocks!"));
    EXPECT_EQ(artifacts[0]["size"], 15);
}

TEST_F(CompiledPipeline, ATenMegabyteArtifactArrivesIntact) {
    KfrunResult result = kfrun.run(conformance("large_artifact_pipeline.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    // What the step's Python writes: ten 1 MiB chunks, each cut to exactly 1 MiB.
    std::string expected;
    for (int i = 0; i < 10; ++i) {
        char head[16];
        char tail[16];
        std::snprintf(head, sizeof head, "CHUNK_%04d_", i);
        std::snprintf(tail, sizeof tail, "_END_%04d\n", i);
        std::string chunk = head + std::string(1048576 - 20, 'X') + tail;
        expected += chunk.substr(0, 1048576);
    }
    const auto& artifact = result.step("generate-large-artifact")["outputs"]["artifacts"][0];
    EXPECT_EQ(artifact["size"], expected.size());
    EXPECT_EQ(artifact["sha256"], sha256_of(expected));
}

TEST_F(CompiledPipeline, RawInputArtifactsArePlacedVerbatim) {
    KfrunResult result = kfrun.run(conformance("input_artifact_raw_value.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    for (const auto& step : result.report["steps"]) {
        EXPECT_EQ(step["phase"], "Succeeded") << step.dump();
        for (const auto& input : step["inputs"]["artifacts"]) {
            EXPECT_GT(input["size"].get<int>(), 0) << step.dump();
        }
    }
}

TEST_F(CompiledPipeline, WithItemsRunsOneIterationPerItem) {
    KfrunResult result = kfrun.run(conformance("withitem_basic.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    // Iteration labels carry Argo's "(index:item)" node names.
    int iterations = 0;
    for (const auto& step : result.report["steps"]) {
        std::string label = step["label"];
        if (label.find("for-loop-") != std::string::npos && label.find("(") != std::string::npos) {
            ++iterations;
            EXPECT_EQ(step["phase"], "Succeeded");
        }
    }
    EXPECT_GT(iterations, 1);
}

TEST_F(CompiledPipeline, NestedLoopsExpandEveryCombination) {
    KfrunResult result = kfrun.run(conformance("withitem_nested.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(result.report["counts"]["succeeded"], 11);
}

TEST_F(CompiledPipeline, ARecursiveGraphComponentStopsWhenItsConditionTurnsFalse) {
    KfrunResult result = kfrun.run(conformance("recursive_while.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    // flip-3 runs once per "heads"; the recursion ends at the first "tails".
    std::vector<nlohmann::json> flips = result.steps_named("flip-3");
    std::string initial = result.step("flip")["outputs"]["parameters"]["flip-output"];
    if (initial == "tails") {
        EXPECT_TRUE(flips.empty());
    } else {
        ASSERT_FALSE(flips.empty());
        for (std::size_t i = 0; i + 1 < flips.size(); ++i) {
            EXPECT_EQ(flips[i]["outputs"]["parameters"]["flip-3-output"], "heads");
        }
        EXPECT_EQ(flips.back()["outputs"]["parameters"]["flip-3-output"], "tails");
    }
}

TEST_F(CompiledPipeline, ConditionsRunExactlyTheMatchingBranch) {
    KfrunResult result = kfrun.run(conformance("sdk-compiler__coin.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    std::string coin = result.step("flip")["outputs"]["parameters"]["flip-output"];
    ASSERT_TRUE(coin == "heads" || coin == "tails") << coin;
    for (const auto& step : result.report["steps"]) {
        if (step["phase"] == "Skipped") {
            // A skipped branch is one whose comparison with the coin is false.
            std::string message = step["message"];
            EXPECT_NE(message.find("evaluated false"), std::string::npos);
            EXPECT_NE(message.find("\"" + coin + "\""), std::string::npos) << message;
        }
    }
}

TEST_F(CompiledPipeline, ResourceRequestsFromParametersBecomeLimits) {
    KfrunResult result = kfrun.run(conformance("runtime_resource_request.pyV1.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(result.report["status"], "Succeeded");
}

TEST_F(CompiledPipeline, TheExampleTrainsEvaluatesAndDeploys) {
    KfrunResult result =
        kfrun.run(KfrunProcess::fixture("examples/train-evaluate.yaml").string());
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(result.step("make-dataset")["outputs"]["parameters"]["make-dataset-Output"], "200");
    std::vector<nlohmann::json> trains = result.steps_named("train");
    ASSERT_EQ(trains.size(), 3u);
    for (const auto& train : trains) {
        EXPECT_EQ(train["phase"], "Succeeded");
        ASSERT_EQ(train["metrics"].size(), 1u);
        EXPECT_EQ(train["metrics"][0]["name"], "accuracy");
        EXPECT_EQ(train["metrics"][0]["format"], "PERCENTAGE");
    }
    const auto& evaluate = result.step("evaluate");
    EXPECT_EQ(evaluate["outputs"]["parameters"]["evaluate-passed"], "true");
    // The evaluator saw the loop's outputs as one JSON list, in iteration order.
    nlohmann::json accuracies =
        nlohmann::json::parse(evaluate["inputs"]["parameters"]["train-Output"].get<std::string>());
    ASSERT_EQ(accuracies.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(accuracies[i], trains[i]["outputs"]["parameters"]["train-Output"]);
    }
    EXPECT_EQ(evaluate["uiMetadata"].size(), 6u);
    EXPECT_EQ(result.step("deploy")["phase"], "Succeeded");
    EXPECT_EQ(result.step("onExit")["phase"], "Succeeded");

    KfrunResult strict = kfrun.run(KfrunProcess::fixture("examples/train-evaluate.yaml").string(),
                                   {"-p", "threshold=1.01"});
    ASSERT_EQ(strict.exit_code, 0) << strict.output;
    EXPECT_EQ(strict.step("evaluate")["outputs"]["parameters"]["evaluate-passed"], "false");
    EXPECT_EQ(strict.step("condition-2")["phase"], "Skipped");
    EXPECT_TRUE(strict.steps_named("deploy").empty());
}

}  // namespace
}  // namespace kfrun::testing
