// Recursive DAGs: node names nest, a `when` ends the recursion, and kfrun's depth limit
// (argo-semantics.md §7.1, checklist row 55; RunOptions::max_recursion_depth).
#include <gtest/gtest.h>

#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::in_turn;
using kfrun::test_support::workflow_yaml;

namespace {

// KFP's graph_component shape: flip, then call yourself again while it says heads.
const std::string k_recursive = workflow_yaml(R"(
  entrypoint: graph
  templates:
  - name: graph
    dag:
      tasks:
      - {name: flip, template: flip}
      - name: again
        template: graph
        dependencies: [flip]
        when: '"{{tasks.flip.outputs.parameters.out}}" == "heads"'
  - name: flip
    container: {image: busybox}
    outputs: {parameters: [{name: out, valueFrom: {path: /tmp/out}}]}
)");

FakeStep says(const std::string& side) {
    return FakeStep().file("/tmp/out", side + "\n");
}

}  // namespace

TEST(Recursion, NodeNamesNestAndAFalseWhenEndsIt) {  // row 55
    EngineHarness h;
    h.runtime().on("flip", in_turn({says("heads"), says("heads"), says("tails")}));
    auto r = h.run(k_recursive);
    EXPECT_EQ(h.runtime().count("flip"), 3);
    EXPECT_EQ(r.phase("wf.flip"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf.again"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf.again.flip"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf.again.again.flip"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf.again.again.again"), NodePhase::Skipped) << r.describe();
    EXPECT_EQ(r.node("wf.again.again").template_name, "graph");
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
}

TEST(Recursion, StopsWithAnErrorPastTheDepthLimit) {
    EngineHarness h;
    h.options().max_recursion_depth = 5;
    h.runtime().on("flip", says("heads"));
    auto r = h.run(k_recursive);
    // The entry is depth 0; a graph at depth d runs its flip at d + 1; flips up to depth 5 run.
    EXPECT_EQ(h.runtime().count("flip"), 5);
    const std::string deepest = "wf.again.again.again.again.again.flip";
    EXPECT_EQ(r.phase(deepest), NodePhase::Error) << r.describe();
    EXPECT_NE(r.node(deepest).message.find("Maximum recursion depth exceeded"), std::string::npos);
    EXPECT_EQ(r.state.phase, NodePhase::Error);
}
