// Dry runs: no runtime, symbolic outputs, conditions on them count as true, nothing stored.
#include <gtest/gtest.h>

#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::workflow_yaml;

namespace {

const std::string k_pipeline = workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: flip, template: flip}
      - name: on-heads
        template: show
        dependencies: [flip]
        when: '"{{tasks.flip.outputs.parameters.side}}" == "heads"'
        arguments: {parameters: [{name: v, value: '{{tasks.flip.outputs.parameters.side}}'}]}
      - name: each
        template: show
        dependencies: [flip]
        withParam: '{{tasks.flip.outputs.parameters.side}}'
        arguments: {parameters: [{name: v, value: '{{item}}'}]}
      - name: script
        template: script
        dependencies: [flip]
        arguments:
          artifacts: [{name: data, raw: {data: constant}}]
  - name: flip
    container: {image: busybox}
    outputs:
      parameters: [{name: side, valueFrom: {path: /tmp/side}}]
      artifacts: [{name: art, path: /tmp/art}]
  - name: show
    inputs: {parameters: [{name: v}]}
    container: {image: busybox, args: ['{{inputs.parameters.v}}']}
  - name: script
    inputs: {artifacts: [{name: data, path: /in/data}]}
    script: {image: python:3.9, command: [python], source: 'print(1)'}
)");

}  // namespace

TEST(DryRun, WalksThePipelineWithSymbolicOutputs) {
    EngineHarness h;
    h.options().dry_run = true;
    int writes = -1;
    auto r = h.run_dry(k_pipeline, &writes);
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(r.output("wf.flip", "side"), "<dry-run:flip.side>");
    EXPECT_EQ(r.phase("wf.on-heads"), NodePhase::Succeeded) << "a condition on a symbolic value "
                                                               "counts as true";
    ASSERT_EQ(r.node("wf.on-heads").input_parameters.size(), 1u);
    EXPECT_EQ(r.node("wf.on-heads").input_parameters[0].second, "<dry-run:flip.side>");
    EXPECT_EQ(r.node("wf.each").children.size(), 1u) << "a symbolic withParam is one iteration";
    EXPECT_EQ(r.phase("wf.script"), NodePhase::Succeeded);
    EXPECT_TRUE(h.runtime().steps().empty());
    EXPECT_EQ(h.runtime().begin_runs(), 0);
    EXPECT_EQ(r.report["dryRun"], true);
}

TEST(DryRun, WritesNothingToTheStore) {
    EngineHarness h;
    int writes = -1;
    auto r = h.run_dry(k_pipeline, &writes);
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(writes, 0) << "a dry run stored something (raw artifact or script source)";
}
