// dsl.Collected over artifacts (issue 17 item 4): a loop's iterations each write an output
// artifact; the consumer's list input gets all of them, in iteration order, each at its own path,
// in `{{$}}` as one list — directly and through a DAG output.
#include <gtest/gtest.h>

#include "kfp_launcher_support.hpp"

namespace kfrun::engine {
namespace {

using test_support::EngineHarness;
using test_support::FakeStep;

// p (a loop over a, b, c; writes artifact m) → c (list input `a`, prints {{$}}).
model::Workflow collected(EngineHarness& h, bool through_dag) {
    const std::string consumer_from =
        through_dag ? "{{tasks.inner.outputs.artifacts.all}}" : "{{tasks.p.outputs.artifacts.m}}";
    model::Workflow wf = h.load(test_support::workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: inner, template: inner}
      - {name: p, template: prod, withItems: [a, b, c], arguments: {parameters: [{name: i, value: '{{item}}'}]}}
      - name: c
        template: cons
        dependencies: [p, inner]
        arguments:
          artifacts: [{name: a, from: ')" + consumer_from + R"('}]
  - name: inner
    dag:
      tasks:
      - {name: q, template: prod, withItems: [x, y], arguments: {parameters: [{name: i, value: '{{item}}'}]}}
    outputs:
      artifacts: [{name: all, from: '{{tasks.q.outputs.artifacts.m}}'}]
  - name: prod
    inputs: {parameters: [{name: i}]}
    container: {image: busybox}
    outputs:
      artifacts: [{name: m, path: /unused/m}]
  - name: cons
    inputs:
      artifacts: [{name: a, path: /unused/a}]
    container: {image: busybox}
)"));
    model::Template& prod = test_support::template_named(wf, "prod");
    test_support::make_launcher(
        prod, {"produce"}, {"{{$.inputs.parameters['i']}}", "{{$.outputs.artifacts['m'].path}}"},
        "p");
    model::Template& cons = test_support::template_named(wf, "cons");
    cons.inputs.artifacts[0].is_list = true;
    test_support::make_launcher(cons, {"consume"}, {"{{$}}"}, "c");
    h.runtime().on("p", [](const StepSpec& spec) {
        return FakeStep().file(spec.command.at(2), "from " + spec.command.at(1));
    });
    h.runtime().on("q", [](const StepSpec& spec) {
        return FakeStep().file(spec.command.at(2), "from " + spec.command.at(1));
    });
    return wf;
}

std::vector<std::string> consumed(EngineHarness& h) {
    const StepSpec spec = h.runtime().spec("c");
    nlohmann::json input = nlohmann::json::parse(spec.command.at(1));
    std::vector<std::string> contents;
    for (const auto& artifact : input["inputs"]["artifacts"]["a"]["artifacts"]) {
        contents.push_back(h.input_text(spec, kfp_local_path(artifact["uri"].get<std::string>())));
    }
    return contents;
}

TEST(CollectedArtifacts, Row62_AListInputGetsEveryIterationsArtifactInOrder) {
    EngineHarness h;
    auto r = h.run_model(collected(h, false));
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(consumed(h), (std::vector<std::string>{"from a", "from b", "from c"}));
}

TEST(CollectedArtifacts, AListPassesThroughADagOutput) {
    EngineHarness h;
    auto r = h.run_model(collected(h, true));
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(consumed(h), (std::vector<std::string>{"from x", "from y"}));
}

}  // namespace
}  // namespace kfrun::engine
