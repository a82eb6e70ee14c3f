// How a container's end becomes the node's phase and message (argo-semantics.md §10).
#include <gtest/gtest.h>

#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using namespace kfrun;
using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::workflow_yaml;

namespace {

const std::string k_one_step = workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: step, template: step}
  - name: step
    container: {image: busybox}
    outputs:
      parameters:
      - {name: p, valueFrom: {path: /tmp/p}}
      artifacts:
      - {name: a, path: /tmp/a, optional: true}
)");

}  // namespace

TEST(StepOutcome, ExitZeroWithItsOutputsSucceeds) {
    EngineHarness h;
    h.runtime().on("step", FakeStep().file("/tmp/p", "1"));
    auto r = h.run(k_one_step);
    EXPECT_EQ(r.phase("wf.step"), NodePhase::Succeeded);
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
    EXPECT_EQ(r.node("wf.step").outputs.exit_code, 0);
}

TEST(StepOutcome, OomKilledIsFailedWithArgosReason) {
    EngineHarness h;
    h.runtime().on("step", FakeStep().file("/tmp/p", "1").oom());
    auto r = h.run(k_one_step);
    EXPECT_EQ(r.phase("wf.step"), NodePhase::Failed);
    EXPECT_EQ(r.node("wf.step").message, "OOMKilled (exit code 137)");
    ASSERT_TRUE(r.node("wf.step").step.has_value());
    EXPECT_TRUE(r.node("wf.step").step->oom_killed);
}

TEST(StepOutcome, AContainerThatCannotStartIsFailedWithTheReason) {
    EngineHarness h;
    h.runtime().on("step", FakeStep().cannot_start("exec: \"nope\": executable file not found"));
    auto r = h.run(k_one_step);
    EXPECT_EQ(r.phase("wf.step"), NodePhase::Failed);
    EXPECT_NE(r.node("wf.step").message.find("executable file not found"), std::string::npos)
        << r.node("wf.step").message;
}

TEST(StepOutcome, ARuntimeFailureIsErrorNotFailed) {
    EngineHarness h;
    FakeStep step;
    step.runtime_error = base::make_error(base::ErrorKind::Docker, "daemon said no", "POST /x");
    h.runtime().on("step", step);
    auto r = h.run(k_one_step);
    EXPECT_EQ(r.phase("wf.step"), NodePhase::Error);
    EXPECT_NE(r.node("wf.step").message.find("daemon said no"), std::string::npos);
    EXPECT_EQ(r.state.phase, NodePhase::Error);
}

TEST(StepOutcome, AnImageThatCannotBeResolvedIsErrorAndNothingRuns) {
    EngineHarness h;
    h.runtime().fail_image("busybox", "pull access denied");
    auto r = h.run(k_one_step);
    EXPECT_EQ(r.phase("wf.step"), NodePhase::Error);
    EXPECT_NE(r.node("wf.step").message.find("pull access denied"), std::string::npos);
    EXPECT_EQ(h.runtime().steps().size(), 0u);
}

TEST(StepOutcome, AnOutputThatExistsButCannotBeReadIsError) {
    EngineHarness h;
    FakeStep step;
    step.unreadable["/tmp/p"] = "a socket, not a file";
    h.runtime().on("step", step);
    auto r = h.run(k_one_step);
    EXPECT_EQ(r.phase("wf.step"), NodePhase::Error);
    EXPECT_NE(r.node("wf.step").message.find("a socket, not a file"), std::string::npos);
}

TEST(StepOutcome, ADirectoryAsAnOutputParameterIsError) {
    EngineHarness h;
    h.runtime().on("step", FakeStep().file("/tmp/p/inner", "x"));
    auto r = h.run(k_one_step);
    EXPECT_EQ(r.phase("wf.step"), NodePhase::Error);
    EXPECT_NE(r.node("wf.step").message.find("directory"), std::string::npos);
}

TEST(StepOutcome, TheStepRecordKeepsWhatRan) {
    EngineHarness h;
    h.runtime().on("step", FakeStep().file("/tmp/p", "1").out("line 1\n").err("warn"));
    auto r = h.run(k_one_step);
    const auto& record = r.node("wf.step").step;
    ASSERT_TRUE(record.has_value());
    EXPECT_EQ(record->image, "busybox");
    EXPECT_EQ(record->image_id, test_support::FakeRuntime::image_id_for("busybox"));
    EXPECT_EQ(record->exit_code, 0);
    EXPECT_EQ(record->log_tail, "line 1\nwarn\n");
    EXPECT_EQ(h.runtime().begin_runs(), 1);
    EXPECT_EQ(h.runtime().end_runs(), 1);
}
