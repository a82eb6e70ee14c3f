// Argo/KFP semantics with real containers: retries, exit handlers, steps and script templates,
// loops over a task's JSON output, volumes and VolumeOps, init containers and sidecars,
// secrets, parallelism, GPUs, unsupported resources, recursion limits.
#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

#include "base/time.hpp"
#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

class Semantics : public ::testing::Test {
protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
    }
    std::string data(const std::string& name) {
        return KfrunProcess::fixture("tests/integration/pipelines/data/" + name).string();
    }
    std::string conformance(const std::string& name) {
        return KfrunProcess::fixture("fixtures/conformance/argo-v1/" + name).string();
    }
    KfrunProcess kfrun;
};

TEST_F(Semantics, RetriesUntilAnAttemptSucceedsAndTheExitHandlerSeesTheFailure) {
    KfrunResult result = kfrun.run(data("retry-and-exit-handler.yaml"), {"--no-cache"});
    EXPECT_EQ(result.exit_code, 1) << result.output;
    ASSERT_TRUE(result.report.is_object()) << result.output;
    EXPECT_EQ(result.report["status"], "Failed");
    // Every attempt is a step of its own in the report.
    std::vector<std::string> flaky;
    for (const auto& step : result.report["steps"]) {
        std::string name = step["name"];
        if (name.rfind("flaky(", 0) == 0) {
            flaky.push_back(step["phase"]);
            EXPECT_EQ(step["retryAttempt"], static_cast<int>(flaky.size()) - 1);
        }
    }
    EXPECT_EQ(flaky, (std::vector<std::string>{"Failed", "Failed", "Succeeded"}));
    int broken_attempts = 0;
    for (const auto& step : result.report["steps"]) {
        broken_attempts += std::string(step["name"]).rfind("broken(", 0) == 0 ? 1 : 0;
    }
    EXPECT_EQ(broken_attempts, 2);  // limit 1: the first try and one retry
    const auto& handler = result.step("onExit");
    EXPECT_EQ(handler["phase"], "Succeeded");
    EXPECT_NE(handler["outputs"]["result"].get<std::string>().find("status=Failed"),
              std::string::npos);
    EXPECT_NE(handler["outputs"]["parameters"]["count"], "0");
}

TEST_F(Semantics, StepsScriptsAndALoopOverAStepsJsonOutput) {
    KfrunResult result = kfrun.run(data("steps-script-loop.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(result.step("generate")["outputs"]["result"], "[1, 2, 3]");
    EXPECT_EQ(result.steps_named("square(0:1)").size(), 1u);
    EXPECT_EQ(result.steps_named("square(2:3)").size(), 1u);
    EXPECT_EQ(result.step("total")["inputs"]["parameters"]["squares"], "[\"1\",\"4\",\"9\"]");
    EXPECT_EQ(result.step("total")["outputs"]["result"], "14");
}

TEST_F(Semantics, LoopsOverAKfpLightweightComponentsJsonOutput) {
    KfrunResult result = kfrun.run(conformance("withparam_output_dict.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    int iterations = 0;
    for (const auto& step : result.report["steps"]) {
        if (step["label"].get<std::string>().find("for-loop-") != std::string::npos) {
            ++iterations;
            EXPECT_EQ(step["phase"], "Succeeded");
        }
    }
    EXPECT_GE(iterations, 2);
}

TEST_F(Semantics, VolumeOpsSnapshotsInitContainersSidecarsAndSecrets) {
    std::filesystem::path secret = kfrun.work_dir() / "creds";
    std::filesystem::create_directories(secret);
    std::ofstream(secret / "token") << "s3cr3t";
    KfrunResult result = kfrun.run(data("volumes-and-pods.yaml"),
                                   {"--secret", "creds=" + secret.string(), "--no-cache"});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(result.step("make-pvc")["outputs"]["parameters"]["size"], "1Gi");
    std::string pvc = result.step("make-pvc")["outputs"]["parameters"]["name"];
    EXPECT_EQ(pvc, result.report["workflowName"].get<std::string>() + "-data");
    // Written into the PVC, snapshotted, restored into a new PVC, read through a subPath.
    EXPECT_EQ(result.step("read")["outputs"]["parameters"]["out"], "persisted");
    EXPECT_EQ(result.step("pod")["outputs"]["parameters"]["out"],
              "from-init from-sidecar s3cr3t s3cr3t");
    EXPECT_TRUE(containers_of_run(result.report["runId"]).empty());
}

TEST_F(Semantics, ASecretThatIsNotProvidedIsRefusedBeforeAnythingRuns) {
    KfrunResult result = kfrun.run(data("volumes-and-pods.yaml"));
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_NE(result.output.find("--secret creds=DIR"), std::string::npos) << result.output;
    EXPECT_FALSE(std::filesystem::exists(kfrun.data_dir() / "store"));
}

TEST_F(Semantics, WorkflowParallelismRunsOneStepAtATime) {
    KfrunResult result = kfrun.run(data("limits.yaml"), {"--no-gpu-ok", "--no-cache"});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    std::vector<std::pair<base::SystemTime, base::SystemTime>> spans;
    for (const auto& step : result.report["steps"]) {
        spans.emplace_back(*base::parse_rfc3339(step["startedAt"].get<std::string>()),
                           *base::parse_rfc3339(step["finishedAt"].get<std::string>()));
    }
    ASSERT_EQ(spans.size(), 4u);
    std::sort(spans.begin(), spans.end());
    for (std::size_t i = 1; i < spans.size(); ++i) {
        EXPECT_LE(spans[i - 1].second, spans[i].first) << "steps " << i - 1 << " and " << i
                                                       << " overlap";
    }
    // --no-gpu-ok ran the GPU step without a GPU and said so.
    const auto& gpu = result.step("gpu");
    EXPECT_EQ(gpu["phase"], "Succeeded");
    EXPECT_NE(gpu["warnings"].dump().find("without a GPU"), std::string::npos);
}

TEST_F(Semantics, AGpuRequestWithoutGpusFailsTheStepWithTheFlagToUse) {
    KfrunResult result = kfrun.run(data("limits.yaml"), {"--no-cache"});
    EXPECT_EQ(result.exit_code, 1) << result.output;
    const auto& gpu = result.step("gpu");
    EXPECT_EQ(gpu["phase"], "Error");
    EXPECT_NE(gpu["message"].get<std::string>().find("--no-gpu-ok"), std::string::npos);
}

TEST_F(Semantics, CustomResourcesAreRefusedOrSkipped) {
    KfrunResult refused = kfrun.run(conformance("resourceop_basic.yaml"), {"-p", "username=u",
                                                                          "-p", "password=p"});
    EXPECT_EQ(refused.exit_code, 2) << refused.output;
    EXPECT_NE(refused.output.find("Secret (v1)"), std::string::npos) << refused.output;
    KfrunResult skipped = kfrun.run(conformance("resourceop_basic.yaml"),
                                    {"-p", "username=u", "-p", "password=p", "--skip-unsupported"});
    ASSERT_TRUE(skipped.report.is_object()) << skipped.output;
    bool saw_skip = false;
    for (const auto& step : skipped.report["steps"]) {
        if (step["phase"] == "Skipped" &&
            step.value("message", "").find("--skip-unsupported") != std::string::npos) {
            saw_skip = true;
        }
    }
    EXPECT_TRUE(saw_skip) << skipped.output;
}

TEST_F(Semantics, RunawayRecursionStopsAtTheDepthLimit) {
    KfrunResult result = kfrun.run(data("recursion.yaml"), {"--max-recursion-depth", "12"});
    EXPECT_EQ(result.exit_code, 1) << result.output;
    EXPECT_EQ(result.report["status"], "Error");
    EXPECT_NE(result.report.dump().find("Maximum recursion depth exceeded"), std::string::npos);
}

}  // namespace
}  // namespace kfrun::testing
