// KFP v2 IR pipelines run end to end on the real daemon: pipelines compiled by the KFP SDK
// (examples/, fixtures/kfp-v2/: our sources, examples/src/v2; fixtures/conformance/kfp-v2: the
// KFP project's own) with their output values checked (issue 17). Expected values:
// examples/src/v2/README.md.
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

class KfpV2Run : public ::testing::Test {
protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
    }
    static std::string file(const std::string& relative) {
        return KfrunProcess::fixture(relative).string();
    }
    static std::string parameter(const KfrunResult& result, const std::string& step,
                                 const std::string& name) {
        const auto& parameters = result.step(step)["outputs"]["parameters"];
        return parameters.contains(name) ? parameters[name].get<std::string>() : "(absent)";
    }
    static std::string phase(const KfrunResult& result, const std::string& step) {
        return result.step(step)["phase"].get<std::string>();
    }
    KfrunProcess kfrun;
};

TEST_F(KfpV2Run, HelloExampleRunsWithTypedInputsConditionsLoopAndExitHandler) {
    KfrunResult result = kfrun.run(file("examples/v2-hello.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(parameter(result, "make-greeting", "line"), "HELLO x3 (scale 2.5)");  // row 22
    EXPECT_EQ(parameter(result, "read-greeting", "summary"), "HELLO x3 (scale 2.5); 3 lines");
    // Only the Elif branch runs (rows 52, 53, 55).
    EXPECT_EQ(phase(result, "exit-handler-1/condition-branches-2/condition-4/say-2"), "Succeeded");
    EXPECT_EQ(phase(result, "exit-handler-1/condition-branches-2/condition-3"), "Skipped");
    EXPECT_EQ(phase(result, "exit-handler-1/condition-branches-2/condition-5"), "Skipped");
    // The loop's outputs collected in iteration order (rows 58, 62).
    EXPECT_EQ(parameter(result, "exit-handler-1/join-colors", "joined"), "red!, green!, blue!");
    // The exit task gets the handler's final status (row 66).
    std::string status = result.step("final-status")["outputs"]["result"];
    EXPECT_NE(status.find("\"state\":\"COMPLETE\""), std::string::npos) << status;
    EXPECT_NE(status.find("\"pipelineTaskName\":\"exit-handler-1\""), std::string::npos) << status;
}

TEST_F(KfpV2Run, PipelineInputsAreConvertedByTheirDeclaredType) {
    KfrunResult big = kfrun.run(file("examples/v2-hello.yaml"),
                                {"-p", "count=7", "-p", "greeting=123"});
    ASSERT_EQ(big.exit_code, 0) << big.output;
    EXPECT_EQ(parameter(big, "make-greeting", "line"), "123 x7 (scale 2.5)");  // row 15
    EXPECT_EQ(phase(big, "exit-handler-1/condition-branches-2/condition-3/say"), "Succeeded");

    KfrunResult wrong = kfrun.run(file("examples/v2-hello.yaml"), {"-p", "count=abc"});
    EXPECT_EQ(wrong.exit_code, 2) << wrong.output;  // row 10
    EXPECT_NE(wrong.output.find("NUMBER_INTEGER"), std::string::npos) << wrong.output;
    KfrunResult undeclared = kfrun.run(file("examples/v2-hello.yaml"), {"-p", "nope=1"});
    EXPECT_EQ(undeclared.exit_code, 2) << undeclared.output;  // row 12
    KfrunResult not_a_list = kfrun.run(file("examples/v2-hello.yaml"), {"-p", "colors=42"});
    EXPECT_EQ(not_a_list.exit_code, 2) << not_a_list.output;
}

TEST_F(KfpV2Run, NestedPipelinesPassTheirOutputsUp) {
    KfrunResult result = kfrun.run(file("fixtures/kfp-v2/nested_pipeline.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(parameter(result, "show", "report"),
              "total=17 doc=written by the inner pipeline");
}

TEST_F(KfpV2Run, OneOfTakesTheBranchThatRan) {  // row 63
    KfrunResult heads = kfrun.run(file("fixtures/kfp-v2/oneof.yaml"));
    ASSERT_EQ(heads.exit_code, 0) << heads.output;
    std::string both = heads.step("echo-both")["outputs"]["result"];
    EXPECT_NE(both.find("it was heads / note: heads"), std::string::npos) << both;
    KfrunResult tails = kfrun.run(file("fixtures/kfp-v2/oneof.yaml"), {"-p", "side=tails"});
    ASSERT_EQ(tails.exit_code, 0) << tails.output;
    both = tails.step("echo-both")["outputs"]["result"].get<std::string>();
    EXPECT_NE(both.find("it was tails / note: tails"), std::string::npos) << both;
}

TEST_F(KfpV2Run, PlaceholdersIfPresentConcatAndDefaults) {  // rows 14, 24, 27–29, 32
    KfrunResult result = kfrun.run(file("fixtures/kfp-v2/placeholders.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    auto out = [&result](const std::string& step) {
        return result.step(step)["outputs"]["result"].get<std::string>();
    };
    EXPECT_NE(out("greet").find("(no title) dear Ada"), std::string::npos) << out("greet");
    EXPECT_NE(out("greet-2").find("Dr. dear Grace"), std::string::npos) << out("greet-2");
    EXPECT_NE(out("greet-3").find("(no title) dear Ada-Lovelace"), std::string::npos);
    EXPECT_NE(out("repeat").find("hey hey"), std::string::npos) << out("repeat");
}

TEST_F(KfpV2Run, RetriesThenRunsTheTaskThatIgnoresUpstreamFailure) {  // rows 57, 67, 68
    KfrunResult result = kfrun.run(file("fixtures/kfp-v2/retry_ignore_upstream.yaml"));
    EXPECT_NE(result.exit_code, 0) << result.output;
    EXPECT_EQ(phase(result, "exit-with-2"), "Succeeded");
    int attempts = 0;
    for (const auto& step : result.report["steps"]) {
        if (step["name"] == "exit-with" && step.contains("exitCode") && step["exitCode"] == 3) {
            ++attempts;
        }
    }
    EXPECT_EQ(attempts, 3) << result.output;
}

TEST_F(KfpV2Run, CachingOptionsAreHonoured) {  // rows 71, 75
    KfrunResult first = kfrun.run(file("fixtures/kfp-v2/caching_options.yaml"));
    ASSERT_EQ(first.exit_code, 0) << first.output;
    KfrunResult second = kfrun.run(file("fixtures/kfp-v2/caching_options.yaml"));
    ASSERT_EQ(second.exit_code, 0) << second.output;
    EXPECT_EQ(second.step("stamp")["cache"], "hit") << second.output;
    EXPECT_NE(second.step("stamp-2")["cache"], "hit") << second.output;
    EXPECT_EQ(parameter(second, "stamp", "Output"), parameter(first, "stamp", "Output"));
}

TEST_F(KfpV2Run, ConformanceContainerPipelinePassesAParameter) {
    KfrunResult result = kfrun.run(
        file("fixtures/conformance/kfp-v2/producer_consumer_param_pipeline.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(parameter(result, "producer", "output_value"),
              "Hello world, this is an output parameter\n");  // row 38: not trimmed
    EXPECT_NE(result.step("consumer")["outputs"]["result"].get<std::string>().find(
                  "Hello world, this is an output parameter"),
              std::string::npos);
}

TEST_F(KfpV2Run, RunComponentRunsACompiledV2Component) {
    KfrunResult result = kfrun.exec(
        {"run-component", file("fixtures/kfp-v2/component_make_greeting.yaml"), "--input",
         "greeting=hi", "--input", "count=2", "--input", "scale=0.5", "--input", "shout=false",
         "--image-map-file", file("fixtures/image-map.txt"), "--data-dir",
         kfrun.data_dir().string()});
    EXPECT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("hi x2 (scale 0.5)"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace kfrun::testing
