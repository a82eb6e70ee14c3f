// Steps templates: groups in order, steps.X references, a failed group stops the rest
// (argo-semantics.md §4.8).
#include <gtest/gtest.h>

#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::engine::NodeType;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::in_turn;
using kfrun::test_support::workflow_yaml;

namespace {

using namespace std::chrono_literals;

const std::string k_templates = R"(
  - name: produce
    container: {image: busybox}
    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p}}]}
  - name: use
    inputs: {parameters: [{name: v}]}
    container: {image: busybox, args: ['{{inputs.parameters.v}}']}
  - name: step
    container: {image: busybox}
)";

std::string steps(const std::string& groups) {
    return workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    steps:
)" + groups + k_templates);
}

}  // namespace

TEST(Steps, GroupsRunInOrderAndStepsOfAGroupTogether) {
    EngineHarness h;
    h.runtime().otherwise(
        [](const kfrun::engine::StepSpec&) { return FakeStep().runs_for(100ms); });
    auto r = h.run(steps(R"(
    - - {name: a, template: step}
      - {name: b, template: step}
    - - {name: c, template: step})"));
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(r.node("wf").type, NodeType::Steps);
    EXPECT_EQ(r.node("wf[0]").type, NodeType::StepGroup);
    EXPECT_EQ(r.phase("wf[0].a"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf[1].c"), NodePhase::Succeeded);
    auto ran = h.runtime().steps();
    ASSERT_EQ(ran.size(), 3u);
    EXPECT_EQ(ran[2].spec.display_name, "c");
    EXPECT_GE(ran[2].started, std::max(ran[0].finished, ran[1].finished));
    EXPECT_EQ(h.runtime().max_concurrent(), 2) << "a and b run together";
}

TEST(Steps, LaterStepsSeeEarlierOutputsAndResults) {
    EngineHarness h;
    h.runtime().on("a", FakeStep().file("/tmp/p", "from-a\n").out("printed\n"));
    h.run(steps(R"(
    - - {name: a, template: produce}
    - - name: b
        template: use
        arguments: {parameters: [{name: v, value: '{{steps.a.outputs.parameters.p}}/{{steps.a.outputs.result}}'}]})"));
    EXPECT_EQ(h.runtime().spec("b").args, std::vector<std::string>{"from-a/printed"});
}

TEST(Steps, AFailedGroupStopsTheLaterGroups) {
    EngineHarness h;
    h.runtime().on("a", FakeStep().exit(1));
    auto r = h.run(steps(R"(
    - - {name: a, template: step}
      - {name: sibling, template: step}
    - - {name: later, template: step})"));
    EXPECT_EQ(r.phase("wf[0].sibling"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf[0]"), NodePhase::Failed);
    EXPECT_EQ(r.node("wf[0]").message, "child '" + r.node("wf[0].a").id + "' failed");
    EXPECT_EQ(r.find("wf[1].later"), nullptr);
    EXPECT_EQ(h.runtime().count("later"), 0);
    EXPECT_EQ(r.phase("wf"), NodePhase::Failed);
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
}

TEST(Steps, ContinueOnFailedLetsTheNextGroupRun) {
    EngineHarness h;
    h.runtime().on("a", FakeStep().exit(1));
    auto r = h.run(steps(R"(
    - - {name: a, template: step, continueOn: {failed: true}}
    - - {name: later, template: step})"));
    EXPECT_EQ(r.phase("wf[1].later"), NodePhase::Succeeded);
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
}

TEST(Steps, WhenAndLoopsWorkAsInDags) {
    EngineHarness h;
    h.options().parallelism = 1;
    h.runtime().on("loop",
                   in_turn({FakeStep().file("/tmp/p", "1"), FakeStep().file("/tmp/p", "2")}));
    auto r = h.run(steps(R"(
    - - {name: loop, template: produce, withItems: [a, b]}
      - {name: never, template: step, when: 'yes == no'}
    - - name: use
        template: use
        arguments: {parameters: [{name: v, value: '{{steps.loop.outputs.parameters.p}}'}]})"));
    EXPECT_EQ(r.phase("wf[0].never"), NodePhase::Skipped);
    EXPECT_EQ(r.phase("wf[0].loop(0:a)"), NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.runtime().spec("use").args, std::vector<std::string>{R"(["1","2"])"});
}

TEST(Steps, ExportOutputsFromTheirSteps) {
    EngineHarness h;
    h.runtime().on("a", FakeStep().file("/tmp/p", "inner\n"));
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: s, template: s}
      - name: consume
        template: use
        dependencies: [s]
        arguments: {parameters: [{name: v, value: '{{tasks.s.outputs.parameters.out}}'}]}
  - name: s
    steps:
    - - {name: a, template: produce}
    outputs:
      parameters:
      - {name: out, valueFrom: {parameter: '{{steps.a.outputs.parameters.p}}'}}
)" + k_templates));
    EXPECT_EQ(r.output("wf.s", "out"), "inner");
    EXPECT_EQ(h.runtime().spec("consume").args, std::vector<std::string>{"inner"});
}
