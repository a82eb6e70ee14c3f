// Replays (--only, --from, resume): which steps run, which reuse an earlier run's results, and
// what happens when an upstream result is missing.
#include <gtest/gtest.h>

#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::CacheOutcome;
using kfrun::engine::NodePhase;
using kfrun::engine::NodeType;
using kfrun::engine::PreviousResult;
using kfrun::engine::Replay;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::RunResult;
using kfrun::test_support::workflow_yaml;

namespace {

// a → b → c → d, and `side` beside them; an exit handler.
const std::string k_chain = workflow_yaml(R"(
  entrypoint: main
  onExit: notify
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: emit}
      - {name: b, template: pass, dependencies: [a],
         arguments: {parameters: [{name: v, value: '{{tasks.a.outputs.parameters.v}}'}]}}
      - {name: c, template: pass, dependencies: [b],
         arguments: {parameters: [{name: v, value: '{{tasks.b.outputs.parameters.v}}'}]}}
      - {name: d, template: pass, dependencies: [c],
         arguments: {parameters: [{name: v, value: '{{tasks.c.outputs.parameters.v}}'}]}}
      - {name: side, template: emit}
  - name: emit
    container: {image: busybox, command: [emit]}
    outputs: {parameters: [{name: v, valueFrom: {path: /tmp/v}}]}
  - name: pass
    inputs: {parameters: [{name: v}]}
    container: {image: busybox, command: [pass, '{{inputs.parameters.v}}']}
    outputs: {parameters: [{name: v, valueFrom: {path: /tmp/v}}]}
  - name: notify
    container: {image: busybox, command: [notify, '{{workflow.status}}']}
)");

// The earlier run as the CLI hands it to the engine: pod nodes by name below the workflow.
std::map<std::string, PreviousResult> previous_of(const RunResult& run) {
    std::map<std::string, PreviousResult> previous;
    for (const auto& node : run.state.nodes()) {
        if (node.type == NodeType::Pod) {
            previous[node.name.substr(node.name.find('.') + 1)] = {node.phase, node.outputs};
        }
    }
    return previous;
}

// The first run: every step writes "<name>" to /tmp/v; c fails.
RunResult failing_first_run(EngineHarness& h) {
    h.runtime().otherwise([](const kfrun::engine::StepSpec& spec) {
        return FakeStep().file("/tmp/v", spec.display_name + "\n");
    });
    h.runtime().on("c", FakeStep().exit(1));
    RunResult first = h.run(k_chain);
    EXPECT_EQ(first.phase("wf.c"), NodePhase::Failed) << first.describe();
    EXPECT_EQ(first.phase("wf.d"), NodePhase::Omitted) << first.describe();
    return first;
}

void fix_c(EngineHarness& h) {
    h.runtime().on("c", FakeStep().file("/tmp/v", "fixed\n"));
}

TEST(Replay, OnlyRunsTheSelectedStepWithItsUpstreamOutputsFromTheEarlierRun) {
    EngineHarness h;
    RunResult first = failing_first_run(h);
    fix_c(h);
    int before = static_cast<int>(h.runtime().steps().size());
    h.options().replay = {Replay::Mode::Only, {"c"}, "earlier-run", previous_of(first)};
    RunResult again = h.run(k_chain);

    ASSERT_EQ(h.runtime().steps().size(), static_cast<std::size_t>(before + 1)) << again.describe();
    EXPECT_EQ(h.runtime().steps().back().spec.display_name, "c");
    // c saw b's output from the earlier run.
    EXPECT_EQ(h.runtime().steps().back().spec.command, (std::vector<std::string>{"pass", "b"}));
    EXPECT_EQ(again.phase("wf.c"), NodePhase::Succeeded);
    EXPECT_EQ(again.node("wf.b").step->cache, CacheOutcome::Reused);
    EXPECT_EQ(again.node("wf.b").step->reused_from_run, "earlier-run");
    EXPECT_EQ(again.output("wf.b", "v"), "b");
    // d was not selected and has no earlier result: not run. The exit handler is not selected.
    EXPECT_EQ(again.phase("wf.d"), NodePhase::Omitted);
    EXPECT_EQ(again.node("wf.onExit").phase, NodePhase::Omitted);
    EXPECT_EQ(again.report["counts"]["reused"], 3) << again.report["counts"];
}

TEST(Replay, OnlyLeavesASelectedStepUnrunWhenItsUpstreamHasNoResult) {
    EngineHarness h;
    RunResult first = failing_first_run(h);
    int before = static_cast<int>(h.runtime().steps().size());
    h.options().replay = {Replay::Mode::Only, {"d"}, "earlier-run", previous_of(first)};
    RunResult again = h.run(k_chain);

    EXPECT_EQ(h.runtime().steps().size(), static_cast<std::size_t>(before));
    EXPECT_EQ(again.phase("wf.c"), NodePhase::Omitted);
    EXPECT_EQ(again.phase("wf.d"), NodePhase::Omitted);
    EXPECT_TRUE(again.node("wf.d").fresh);
}

TEST(Replay, OnlyDoesNotReuseResultsDownstreamOfTheStepItRan) {
    EngineHarness h;
    h.runtime().otherwise([](const kfrun::engine::StepSpec& spec) {
        return FakeStep().file("/tmp/v", spec.display_name + "\n");
    });
    RunResult first = h.run(k_chain);
    ASSERT_EQ(first.phase("wf"), NodePhase::Succeeded) << first.describe();
    h.options().replay = {Replay::Mode::Only, {"c"}, "earlier-run", previous_of(first)};
    RunResult again = h.run(k_chain);
    EXPECT_EQ(again.phase("wf.c"), NodePhase::Succeeded);
    EXPECT_EQ(again.phase("wf.d"), NodePhase::Omitted) << again.describe();
    EXPECT_NE(again.node("wf.d").message.find("downstream"), std::string::npos);
    EXPECT_EQ(again.node("wf.side").step->cache, CacheOutcome::Reused);
}

TEST(Replay, FromRunsTheStepAndEverythingDownstreamAndTheExitHandler) {
    EngineHarness h;
    RunResult first = failing_first_run(h);
    fix_c(h);
    int before = static_cast<int>(h.runtime().steps().size());
    h.options().replay = {Replay::Mode::From, {"c"}, "earlier-run", previous_of(first)};
    RunResult again = h.run(k_chain);

    std::vector<std::string> ran;
    auto steps = h.runtime().steps();
    for (std::size_t i = before; i < steps.size(); ++i) {
        ran.push_back(steps[i].spec.display_name);
    }
    EXPECT_EQ(ran, (std::vector<std::string>{"c", "d", "wf.onExit"})) << again.describe();
    EXPECT_EQ(again.phase("wf"), NodePhase::Succeeded);
    EXPECT_EQ(again.output("wf.d", "v"), "d");
    EXPECT_EQ(again.node("wf.side").step->cache, CacheOutcome::Reused);
}

TEST(Replay, ResumeRunsWhatDidNotSucceedAndTheExitHandlerAgain) {
    EngineHarness h;
    RunResult first = failing_first_run(h);
    fix_c(h);
    int before = static_cast<int>(h.runtime().steps().size());
    h.options().replay = {Replay::Mode::Resume, {}, "earlier-run", previous_of(first)};
    RunResult again = h.run(k_chain);

    std::vector<std::string> ran;
    auto steps = h.runtime().steps();
    for (std::size_t i = before; i < steps.size(); ++i) {
        ran.push_back(steps[i].spec.display_name);
    }
    EXPECT_EQ(ran, (std::vector<std::string>{"c", "d", "wf.onExit"})) << again.describe();
    EXPECT_EQ(again.phase("wf"), NodePhase::Succeeded);
    // The exit handler sees the new run's status.
    EXPECT_EQ(h.runtime().steps().back().spec.command,
              (std::vector<std::string>{"notify", "Succeeded"}));
    EXPECT_EQ(again.node("wf.a").step->cache, CacheOutcome::Reused);
}

TEST(Replay, AReusedResultWhoseArtifactIsGoneIsNotReused) {
    EngineHarness h;
    RunResult first = failing_first_run(h);
    auto previous = previous_of(first);
    // b's result claims an artifact the store does not have.
    kfrun::engine::NamedArtifact ghost;
    ghost.name = "ghost";
    ghost.artifact.digest = std::string(64, 'a');
    previous["b"].outputs.artifacts.push_back(ghost);
    fix_c(h);
    h.options().replay = {Replay::Mode::Resume, {}, "earlier-run", previous};
    RunResult again = h.run(k_chain);
    EXPECT_NE(again.node("wf.b").step->cache, CacheOutcome::Reused) << again.describe();
    EXPECT_EQ(again.phase("wf"), NodePhase::Succeeded);
}

}  // namespace
