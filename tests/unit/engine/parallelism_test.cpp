// Parallelism: RunOptions::parallelism, spec.parallelism, template parallelism on DAGs, steps
// and loops, and KFP's per-iteration ParallelFor quirk (argo-semantics.md §4.7, rows 57, 58).
#include <gtest/gtest.h>

#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::workflow_yaml;

namespace {

using namespace std::chrono_literals;

// `count` independent tasks t0..t(count-1) in DAG `main` (with `dag_extra` under `dag:`).
std::string fan_out(int count, const std::string& spec_extra = "",
                    const std::string& template_extra = "") {
    std::string tasks;
    for (int i = 0; i < count; ++i) {
        tasks += "      - {name: t" + std::to_string(i) + ", template: step}\n";
    }
    return workflow_yaml(spec_extra + R"(
  entrypoint: main
  templates:
  - name: main)" + template_extra +
                         R"(
    dag:
      tasks:
)" + tasks + R"(
  - name: step
    container: {image: busybox}
)");
}

}  // namespace

class FanOut : public ::testing::TestWithParam<int> {};

TEST_P(FanOut, NeverRunsMoreStepsThanTheLimit) {
    const int limit = GetParam();
    EngineHarness h;
    h.options().parallelism = limit;
    h.runtime().otherwise([](const kfrun::engine::StepSpec&) { return FakeStep().runs_for(40ms); });
    auto r = h.run(fan_out(12));
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
    EXPECT_EQ(h.runtime().steps().size(), 12u);
    EXPECT_LE(h.runtime().max_concurrent(), limit);
    if (limit > 1) {
        EXPECT_GT(h.runtime().max_concurrent(), 1)
            << "steps should overlap at parallelism " << limit;
    }
}

INSTANTIATE_TEST_SUITE_P(Parallelism, FanOut, ::testing::Values(1, 2, 8));

TEST(Parallelism, SpecParallelismOneRunsOneContainerAtATime) {  // row 57
    EngineHarness h;
    h.options().parallelism = 8;
    h.runtime().otherwise([](const kfrun::engine::StepSpec&) { return FakeStep().runs_for(30ms); });
    auto r = h.run(fan_out(3, "  parallelism: 1"));
    EXPECT_EQ(h.runtime().steps().size(), 3u);
    EXPECT_EQ(h.runtime().max_concurrent(), 1);
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
}

TEST(Parallelism, ADagsParallelismLimitsItsDirectChildren) {
    EngineHarness h;
    h.options().parallelism = 8;
    h.runtime().otherwise([](const kfrun::engine::StepSpec&) { return FakeStep().runs_for(40ms); });
    auto r = h.run(fan_out(6, "", "\n    parallelism: 2"));
    EXPECT_EQ(h.runtime().steps().size(), 6u);
    EXPECT_LE(h.runtime().max_concurrent(), 2);
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
}

TEST(Parallelism, LoopIterationsCountAgainstTheEnclosingDag) {
    EngineHarness h;
    h.options().parallelism = 8;
    h.runtime().otherwise([](const kfrun::engine::StepSpec&) { return FakeStep().runs_for(40ms); });
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    parallelism: 2
    dag:
      tasks:
      - {name: loop, template: step, withItems: [1, 2, 3, 4, 5]}
  - name: step
    container: {image: busybox}
)"));
    EXPECT_EQ(h.runtime().steps().size(), 5u);
    EXPECT_LE(h.runtime().max_concurrent(), 2);
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
}

TEST(Parallelism, KfpParallelForLimitsTasksInsideEachIterationNotIterations) {  // row 58
    EngineHarness h;
    h.options().parallelism = 8;
    h.runtime().otherwise(
        [](const kfrun::engine::StepSpec&) { return FakeStep().runs_for(150ms); });
    auto r = h.run(workflow_yaml(R"(
  entrypoint: pipeline
  templates:
  - name: pipeline
    dag:
      tasks:
      - name: for-loop-1
        template: for-loop-1
        withItems: [a, b, c, d, e]
        arguments: {parameters: [{name: item, value: '{{item}}'}]}
  - name: for-loop-1
    parallelism: 2
    inputs: {parameters: [{name: item}]}
    dag:
      tasks:
      - name: print
        template: print
        arguments: {parameters: [{name: v, value: '{{inputs.parameters.item}}'}]}
  - name: print
    inputs: {parameters: [{name: v}]}
    container: {image: busybox, args: ['{{inputs.parameters.v}}']}
)"));
    EXPECT_EQ(h.runtime().steps().size(), 5u);
    EXPECT_GT(h.runtime().max_concurrent(), 2) << "iterations are not limited by parallelism: 2";
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
}

TEST(Parallelism, AStepsTemplatesParallelismLimitsAGroup) {
    EngineHarness h;
    h.options().parallelism = 8;
    h.runtime().otherwise([](const kfrun::engine::StepSpec&) { return FakeStep().runs_for(40ms); });
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    parallelism: 2
    steps:
    - - {name: a, template: step}
      - {name: b, template: step}
      - {name: c, template: step}
      - {name: d, template: step}
  - name: step
    container: {image: busybox}
)"));
    EXPECT_EQ(h.runtime().steps().size(), 4u);
    EXPECT_LE(h.runtime().max_concurrent(), 2);
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
}

TEST(Parallelism, EachImageIsResolvedOncePerRunWhateverTheConcurrency) {
    EngineHarness h;
    h.options().parallelism = 8;
    h.runtime().otherwise([](const kfrun::engine::StepSpec&) { return FakeStep().runs_for(20ms); });
    h.run(fan_out(10));
    EXPECT_EQ(h.runtime().resolved_images(), std::vector<std::string>{"busybox"});
}
