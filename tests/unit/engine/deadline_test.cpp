// Deadlines and cancellation: template and workflow activeDeadlineSeconds, --timeout and
// Executor::cancel (argo-semantics.md §7.4, checklist rows 51, 52).
#include <gtest/gtest.h>

#include <thread>

#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::engine::StepEnd;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::workflow_yaml;

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

long long seconds_since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count();
}

}  // namespace

TEST(Deadline, ATemplateDeadlineKillsTheStepAsFailed) {  // row 51 (1 s instead of 2)
    EngineHarness h;
    h.runtime().on("slow", FakeStep().runs_for(10s));
    auto start = Clock::now();
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: slow, template: slow}
  - name: slow
    activeDeadlineSeconds: 1
    container: {image: busybox}
)"));
    EXPECT_LT(seconds_since(start), 4);
    EXPECT_EQ(r.phase("wf.slow"), NodePhase::Failed);
    EXPECT_EQ(r.node("wf.slow").message,
              "Pod was active on the node longer than the specified deadline");
    EXPECT_EQ(h.runtime().steps().at(0).end, StepEnd::DeadlineExceeded);
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
}

TEST(Deadline, TheWorkflowDeadlineStopsStepsButNotTheExitHandler) {  // row 52 (1 s)
    EngineHarness h;
    h.options().parallelism = 1;  // b waits in the queue while a runs
    h.runtime().on("a", FakeStep().runs_for(10s));
    h.runtime().on("b", FakeStep().runs_for(10s));
    h.runtime().on("wf.onExit", FakeStep().runs_for(50ms));
    auto start = Clock::now();
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  activeDeadlineSeconds: 1
  onExit: cleanup
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: step}
      - {name: b, template: step}
      - {name: c, template: step, dependencies: [a]}
  - name: step
    container: {image: busybox}
  - name: cleanup
    container: {image: busybox, args: ['{{workflow.status}}']}
)"));
    EXPECT_LT(seconds_since(start), 4);
    EXPECT_EQ(r.phase("wf.a"), NodePhase::Failed);
    EXPECT_EQ(r.node("wf.a").message, "Step exceeded its deadline");
    EXPECT_EQ(r.phase("wf.b"), NodePhase::Failed);
    EXPECT_EQ(r.node("wf.b").message, "Step exceeded its deadline");
    EXPECT_EQ(h.runtime().count("b"), 0) << "no pod starts after the deadline";
    EXPECT_EQ(r.phase("wf.c"), NodePhase::Omitted);
    EXPECT_EQ(r.phase("wf.onExit"), NodePhase::Succeeded) << r.describe();
    auto handler = h.runtime().spec("wf.onExit");
    EXPECT_FALSE(handler.deadline.has_value()) << "exit handlers run without the deadline";
    EXPECT_EQ(handler.args, std::vector<std::string>{"Failed"});
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
}

TEST(Deadline, TheTemplateDeadlineIsPassedToTheRuntime) {
    EngineHarness h;
    auto before = Clock::now();
    h.run(workflow_yaml(R"(
  entrypoint: step
  templates:
  - name: step
    activeDeadlineSeconds: 30
    container: {image: busybox}
)"));
    auto spec = h.runtime().spec("wf");
    ASSERT_TRUE(spec.deadline.has_value());
    EXPECT_GE(*spec.deadline, before + 29s);
    EXPECT_LE(*spec.deadline, Clock::now() + 30s);
}

TEST(Cancel, StopsRunningStepsQueuedStepsAndTheExitHandler) {
    EngineHarness h;
    h.options().parallelism = 1;
    h.runtime().on("a", [&h](const kfrun::engine::StepSpec&) {
        h.cancel("interrupted by the user");
        return FakeStep().runs_for(10s);
    });
    h.runtime().on("b", FakeStep());
    auto start = Clock::now();
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  onExit: cleanup
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: step}
      - {name: b, template: step}
  - name: step
    container: {image: busybox}
  - name: cleanup
    container: {image: busybox}
)"));
    EXPECT_LT(seconds_since(start), 3);
    EXPECT_EQ(h.runtime().steps().at(0).end, StepEnd::Cancelled);
    EXPECT_EQ(r.phase("wf.a"), NodePhase::Failed);
    EXPECT_EQ(r.phase("wf.b"), NodePhase::Failed);
    EXPECT_EQ(h.runtime().count("b"), 0);
    EXPECT_EQ(r.find("wf.onExit"), nullptr) << "a cancelled run has no exit handler";
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
    EXPECT_NE(r.state.message.find("interrupted by the user"), std::string::npos)
        << r.state.message;
    EXPECT_EQ(h.runtime().end_runs(), 1);
}

TEST(Cancel, TheRunTimeoutCancelsTheRun) {
    EngineHarness h;
    h.options().timeout = std::chrono::milliseconds(150);
    h.runtime().on("slow", FakeStep().runs_for(10s));
    auto start = Clock::now();
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: slow, template: step}
  - name: step
    container: {image: busybox}
)"));
    EXPECT_LT(seconds_since(start), 3);
    EXPECT_EQ(r.phase("wf.slow"), NodePhase::Failed);
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
    EXPECT_NE(r.state.message.find("--timeout"), std::string::npos) << r.state.message;
}

TEST(Deadline, NoRetryStartsAfterTheWorkflowDeadline) {  // §7.3: "retry exceeded workflow deadline"
    // A limit keeps this test finite: without one, the engine as it stands creates failing
    // attempts forever once the deadline has passed.
    EngineHarness h;
    h.runtime().on("flaky", FakeStep().runs_for(10s));
    auto start = Clock::now();
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  activeDeadlineSeconds: 1
  templates:
  - name: main
    dag:
      tasks:
      - {name: flaky, template: flaky}
  - name: flaky
    retryStrategy: {limit: 20, retryPolicy: Always}
    container: {image: busybox}
)"));
    EXPECT_LT(seconds_since(start), 3);
    EXPECT_EQ(h.runtime().count("flaky"), 1);
    EXPECT_EQ(r.children("wf.flaky").size(), 1u) << "attempts were created after the deadline";
    EXPECT_EQ(r.phase("wf.flaky"), NodePhase::Failed);
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
}

TEST(Cancel, StartsNoFurtherRetryAttempts) {
    // A limit keeps this test finite: without one, the engine as it stands loops forever after
    // a cancel, creating failed attempts without waiting (and runs out of memory).
    EngineHarness h;
    h.runtime().on("flaky", [&h](const kfrun::engine::StepSpec&) {
        h.cancel("interrupted by the user");
        return FakeStep().runs_for(10s);
    });
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: flaky, template: flaky}
  - name: flaky
    retryStrategy: {limit: 20, retryPolicy: Always}
    container: {image: busybox}
)"));
    EXPECT_EQ(h.runtime().count("flaky"), 1);
    EXPECT_EQ(r.children("wf.flaky").size(), 1u) << "attempts were created after the cancel";
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
}

TEST(Cancel, DuringARetryBackoffEndsTheRunAsFailedNotAsAStall) {
    EngineHarness h;
    std::thread canceller;
    h.runtime().on("flaky", [&](const kfrun::engine::StepSpec&) {
        if (!canceller.joinable()) {
            canceller = std::thread([&h] {
                std::this_thread::sleep_for(150ms);
                h.cancel("interrupted by the user");
            });
        }
        return FakeStep().exit(1);
    });
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: flaky, template: flaky}
  - name: flaky
    retryStrategy: {limit: 3, backoff: {duration: 5s}}
    container: {image: busybox}
)"));
    canceller.join();
    EXPECT_EQ(h.runtime().count("flaky"), 1);
    EXPECT_EQ(r.state.phase, NodePhase::Failed) << r.describe();
    EXPECT_NE(r.state.message.find("interrupted by the user"), std::string::npos)
        << r.state.message;
    for (const auto& node : r.state.nodes()) {
        EXPECT_EQ(node.message.find("could not make progress"), std::string::npos)
            << node.name << ": " << node.message;
    }
    EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
}
