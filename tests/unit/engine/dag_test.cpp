// DAG dependencies, Omitted/Skipped propagation, continueOn, depends, targets and the DAG's
// phase (argo-semantics.md §4, checklist rows 29-35).
#include <gtest/gtest.h>

#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::workflow_yaml;

namespace {

using namespace std::chrono_literals;

// A DAG `main` over the given tasks (YAML list items), every task running template `step`.
std::string dag(const std::string& tasks, const std::string& extra = "") {
    return workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:)" + extra + R"(
      tasks:
)" + tasks + R"(
  - name: step
    container: {image: busybox}
)");
}

}  // namespace

TEST(Dag, RunsADependentOfASkippedTask) {  // row 29
    EngineHarness h;
    auto r = h.run(dag(R"(
      - {name: a, template: step, when: '"x" == "y"'}
      - {name: b, template: step, dependencies: [a]})"));
    EXPECT_EQ(r.phase("wf.a"), NodePhase::Skipped);
    EXPECT_EQ(r.node("wf.a").message, "when '\"x\" == \"y\"' evaluated false");
    EXPECT_EQ(r.phase("wf.b"), NodePhase::Succeeded);
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
}

TEST(Dag, OmitsTheDependentOfAFailedTaskAndFails) {  // row 30
    EngineHarness h;
    h.runtime().on("a", FakeStep().exit(1));
    auto r = h.run(dag(R"(
      - {name: a, template: step}
      - {name: b, template: step, dependencies: [a]})"));
    EXPECT_EQ(r.phase("wf.b"), NodePhase::Omitted);
    EXPECT_EQ(r.node("wf.b").message, "omitted: depends condition not met");
    EXPECT_EQ(r.phase("wf"), NodePhase::Failed);
    EXPECT_EQ(h.runtime().count("b"), 0);
}

TEST(Dag, OmissionPropagatesDownAChain) {  // row 31
    EngineHarness h;
    h.runtime().on("a", FakeStep().exit(1));
    auto r = h.run(dag(R"(
      - {name: a, template: step}
      - {name: b, template: step, dependencies: [a]}
      - {name: c, template: step, dependencies: [b]})"));
    EXPECT_EQ(r.phase("wf.b"), NodePhase::Omitted);
    EXPECT_EQ(r.phase("wf.c"), NodePhase::Omitted);
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
    EXPECT_EQ(h.runtime().step_names(), std::vector<std::string>{"a"});
}

TEST(Dag, ContinueOnFailedLetsTheDependentRunAndTheDagSucceed) {  // row 32
    EngineHarness h;
    h.runtime().on("a", FakeStep().exit(1));
    auto r = h.run(dag(R"(
      - {name: a, template: step, continueOn: {failed: true}}
      - {name: b, template: step, dependencies: [a]}
      - {name: other, template: step})"));
    EXPECT_EQ(r.phase("wf.a"), NodePhase::Failed);
    EXPECT_EQ(r.phase("wf.b"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf"), NodePhase::Succeeded) << r.describe();
}

TEST(Dag, ContinueOnFailedDoesNotCoverAnError) {
    EngineHarness h;
    FakeStep error;
    error.runtime_error = kfrun::base::make_error(kfrun::base::ErrorKind::Docker, "boom");
    h.runtime().on("a", error);
    auto r = h.run(dag(R"(
      - {name: a, template: step, continueOn: {failed: true}}
      - {name: b, template: step, dependencies: [a]})"));
    EXPECT_EQ(r.phase("wf.a"), NodePhase::Error);
    EXPECT_EQ(r.phase("wf.b"), NodePhase::Omitted);
    EXPECT_EQ(r.phase("wf"), NodePhase::Error);
}

// Argo gives a failed DAG no message; an Error run (the daemon went away) takes its first
// errored step's, so the report says why.
TEST(Dag, AnErrorRunTakesTheMessageOfItsFirstErroredStep) {
    EngineHarness h;
    FakeStep error;
    error.runtime_error = kfrun::base::make_error(kfrun::base::ErrorKind::Docker, "daemon gone");
    h.runtime().on("a", error);
    auto r = h.run(dag(R"(
      - {name: a, template: step}
      - {name: b, template: step, dependencies: [a]})"));
    EXPECT_EQ(r.state.phase, NodePhase::Error);
    EXPECT_NE(r.state.message.find("a: "), std::string::npos) << r.state.message;
    EXPECT_NE(r.state.message.find("daemon gone"), std::string::npos) << r.state.message;
}

TEST(Dag, AFailedRunKeepsArgosEmptyMessage) {
    EngineHarness h;
    h.runtime().on("a", FakeStep().exit(1));
    auto r = h.run(dag(R"(
      - {name: a, template: step})"));
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
    EXPECT_EQ(r.state.message, "");
}

TEST(Dag, ContinueOnErrorLetsTheDependentRunAfterAnError) {
    EngineHarness h;
    FakeStep error;
    error.runtime_error = kfrun::base::make_error(kfrun::base::ErrorKind::Docker, "boom");
    h.runtime().on("a", error);
    auto r = h.run(dag(R"(
      - {name: a, template: step, continueOn: {error: true}}
      - {name: b, template: step, dependencies: [a]})"));
    EXPECT_EQ(r.phase("wf.b"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf"), NodePhase::Succeeded) << r.describe();
}

TEST(Dag, DependsOnFailedOmitsTheTaskWhenTheDependencySucceeded) {  // row 33
    EngineHarness h;
    auto r = h.run(dag(R"(
      - {name: a, template: step}
      - {name: on-failure, template: step, depends: a.Failed})"));
    EXPECT_EQ(r.phase("wf.on-failure"), NodePhase::Omitted);
    EXPECT_EQ(r.phase("wf"), NodePhase::Succeeded) << r.describe();
}

TEST(Dag, DependsOnFailedRunsTheHandlerAndTheDagSucceeds) {
    EngineHarness h;
    h.runtime().on("a", FakeStep().exit(1));
    auto r = h.run(dag(R"(
      - {name: a, template: step}
      - {name: on-failure, template: step, depends: a.Failed})"));
    EXPECT_EQ(r.phase("wf.on-failure"), NodePhase::Succeeded);
    // The only target completed Succeeded, so its branch phase is Succeeded (assessDAGPhase):
    // the handled failure does not fail the DAG.
    EXPECT_EQ(r.phase("wf"), NodePhase::Succeeded) << r.describe();
}

TEST(Dag, DependsCombinesResultsWithAndOrNot) {
    EngineHarness h;
    h.runtime().on("b", FakeStep().exit(1));
    auto r = h.run(dag(R"(
      - {name: a, template: step}
      - {name: b, template: step}
      - {name: c, template: step, when: '1 == 2'}
      - {name: either, template: step, depends: '(a.Succeeded || b.Succeeded) && c.Skipped'}
      - {name: both, template: step, depends: 'a.Succeeded && b.Succeeded'}
      - {name: not-b, template: step, depends: '!b.Succeeded && a'}
      - {name: errored, template: step, depends: 'b.Errored'})"));
    EXPECT_EQ(r.phase("wf.either"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf.both"), NodePhase::Omitted);
    EXPECT_EQ(r.phase("wf.not-b"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf.errored"), NodePhase::Omitted);
}

TEST(Dag, AnIndependentBranchRunsToTheEndAfterAFailure) {  // row 34
    EngineHarness h;
    h.runtime().on("a", FakeStep().exit(1));
    h.runtime().on("b", FakeStep().runs_for(100ms));
    auto r = h.run(dag(R"(
      - {name: a, template: step}
      - {name: b, template: step}
      - {name: c, template: step, dependencies: [b]})"));
    EXPECT_EQ(r.phase("wf.c"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf"), NodePhase::Failed);
    EXPECT_GE(r.node("wf").finished_at, r.node("wf.c").finished_at);
}

TEST(Dag, SucceedsWhenEveryTaskIsSkipped) {  // row 35
    EngineHarness h;
    auto r = h.run(dag(R"(
      - {name: a, template: step, when: '1 == 2'}
      - {name: b, template: step, when: 'x == y'})"));
    EXPECT_EQ(r.phase("wf.a"), NodePhase::Skipped);
    EXPECT_EQ(r.phase("wf.b"), NodePhase::Skipped);
    EXPECT_EQ(r.phase("wf"), NodePhase::Succeeded);
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
    EXPECT_TRUE(h.runtime().steps().empty());
}

TEST(Dag, AnErrorPropagatesAsError) {
    EngineHarness h;
    h.runtime().fail_image("busybox", "no such image");
    auto r = h.run(dag(R"(
      - {name: a, template: step}
      - {name: b, template: step, dependencies: [a]})"));
    EXPECT_EQ(r.phase("wf.a"), NodePhase::Error);
    EXPECT_EQ(r.phase("wf.b"), NodePhase::Omitted);
    EXPECT_EQ(r.phase("wf"), NodePhase::Error);
    EXPECT_EQ(r.state.phase, NodePhase::Error);
}

TEST(Dag, RunsADependentOnlyAfterItsDependencyFinished) {
    EngineHarness h;
    h.runtime().on("a", FakeStep().runs_for(30ms));
    h.run(dag(R"(
      - {name: a, template: step}
      - {name: b, template: step, dependencies: [a]})"));
    auto steps = h.runtime().steps();
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(steps[0].spec.display_name, "a");
    EXPECT_GE(steps[1].started, steps[0].finished);
}

TEST(Dag, TargetRunsOnlyTheTargetsAndWhatTheyNeed) {
    EngineHarness h;
    auto r = h.run(dag(R"(
      - {name: a, template: step}
      - {name: b, template: step, dependencies: [a]}
      - {name: unrelated, template: step})",
                       "\n      target: b"));
    EXPECT_EQ(r.phase("wf.b"), NodePhase::Succeeded);
    EXPECT_EQ(r.find("wf.unrelated"), nullptr);
    EXPECT_EQ(h.runtime().step_names(), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(r.phase("wf"), NodePhase::Succeeded);
}

TEST(Dag, AFailureInsideANestedDagFailsTheOuterOne) {
    EngineHarness h;
    h.runtime().on("leaf", FakeStep().exit(4));
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: inner, template: inner}
      - {name: after, template: step, dependencies: [inner]}
  - name: inner
    dag:
      tasks:
      - {name: leaf, template: step}
  - name: step
    container: {image: busybox}
)"));
    EXPECT_EQ(r.phase("wf.inner.leaf"), NodePhase::Failed);
    EXPECT_EQ(r.phase("wf.inner"), NodePhase::Failed);
    EXPECT_EQ(r.phase("wf.after"), NodePhase::Omitted);
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
    EXPECT_EQ(r.node("wf.inner.leaf").boundary, r.node("wf.inner").index);
}

TEST(Dag, ExportsOutputParametersFromItsTasks) {
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/o", "inner-value\n"));
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: inner, template: inner}
      - name: use
        template: use
        dependencies: [inner]
        arguments: {parameters: [{name: v, value: '{{tasks.inner.outputs.parameters.exported}}'}]}
  - name: inner
    dag:
      tasks:
      - {name: produce, template: produce}
    outputs:
      parameters:
      - name: exported
        valueFrom: {parameter: '{{tasks.produce.outputs.parameters.o}}'}
  - name: produce
    container: {image: busybox}
    outputs: {parameters: [{name: o, valueFrom: {path: /tmp/o}}]}
  - name: use
    inputs: {parameters: [{name: v}]}
    container: {image: busybox, args: ['{{inputs.parameters.v}}']}
)"));
    EXPECT_EQ(r.output("wf.inner", "exported"), "inner-value");
    EXPECT_EQ(h.runtime().spec("use").args, std::vector<std::string>{"inner-value"});
}
