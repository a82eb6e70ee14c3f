// Placeholder substitution (argo-semantics.md §3, checklist rows 20-28).
#include <gtest/gtest.h>

#include <cstdint>
#include <regex>

#include "engine/placeholder.hpp"
#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::engine::Scope;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::workflow_yaml;
namespace engine = kfrun::engine;

namespace {

// A DAG with one step whose args are `args` (a YAML flow list), with input parameter p.
std::string echo(const std::string& args, const std::string& p = "pv") {
    return workflow_yaml(R"(
  entrypoint: main
  arguments:
    parameters: [{name: gp, value: global-value}]
  templates:
  - name: main
    dag:
      tasks:
      - name: echo
        template: echo
        arguments: {parameters: [{name: p, value: ')" +
                         p + R"('}]}
  - name: echo
    inputs: {parameters: [{name: p}]}
    container:
      image: busybox
      args: )" + args + R"(
)");
}

std::vector<std::string> args_of(EngineHarness& h, const std::string& step = "echo") {
    return h.runtime().spec(step).args;
}

// FNV-1a, 32 bits, as Argo hashes node names into node IDs.
std::uint32_t fnv1a32(const std::string& text) {
    std::uint32_t hash = 0x811c9dc5u;
    for (unsigned char c : text) {
        hash = (hash ^ c) * 0x01000193u;
    }
    return hash;
}

}  // namespace

TEST(Placeholders, SpacesInsideTheBracesAreIgnored) {  // row 20
    EngineHarness h;
    h.run(echo("['{{ inputs.parameters.p }}', '{{inputs.parameters.p}}']"));
    EXPECT_EQ(args_of(h), (std::vector<std::string>{"pv", "pv"}));
}

TEST(Placeholders, KfpV2TagsPassThroughUnchanged) {  // row 21
    EngineHarness h;
    h.run(echo(R"(['{{$}}', "{{$.inputs.parameters['m']}}"])"));
    EXPECT_EQ(args_of(h), (std::vector<std::string>{"{{$}}", "{{$.inputs.parameters['m']}}"}));
}

TEST(Placeholders, ValuesWithQuotesAndNewlinesArriveUnchanged) {  // row 22
    EngineHarness h;
    const std::string value = "say \"hi\"\nand a \\ backslash";
    h.options().parameters = {{"gp", value}};
    h.run(echo("['{{workflow.parameters.gp}}']"));
    EXPECT_EQ(args_of(h), std::vector<std::string>{value});
}

TEST(Placeholders, WorkflowUidIsTheRunIdForEveryStep) {  // row 23
    EngineHarness h;
    h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: show}
      - {name: b, template: show, dependencies: [a]}
  - name: show
    container: {image: busybox, args: ['{{workflow.uid}}']}
)"));
    EXPECT_EQ(args_of(h, "a"), std::vector<std::string>{kfrun::test_support::k_run_id});
    EXPECT_EQ(args_of(h, "b"), std::vector<std::string>{kfrun::test_support::k_run_id});
}

TEST(Placeholders, PodNameIsTheNodeIdHashedFromTheNodeName) {  // row 24
    EngineHarness h;
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: show}
      - {name: b, template: show}
  - name: show
    container: {image: busybox, args: ['{{pod.name}}']}
)"));
    EXPECT_EQ(args_of(h, "a"), std::vector<std::string>{"wf-" + std::to_string(fnv1a32("wf.a"))});
    EXPECT_EQ(args_of(h, "b"), std::vector<std::string>{"wf-" + std::to_string(fnv1a32("wf.b"))});
    EXPECT_EQ(r.node("wf.a").id, "wf-" + std::to_string(fnv1a32("wf.a")));
    EXPECT_EQ(r.node("wf").id, "wf");
}

TEST(Placeholders, PodNameIsUniquePerRetryAttempt) {  // row 24
    EngineHarness h;
    h.runtime().on("a", FakeStep().exit(1));
    h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: show}
  - name: show
    retryStrategy: {limit: 1}
    container: {image: busybox, args: ['{{pod.name}}']}
)"));
    EXPECT_EQ(args_of(h, "a(0)"),
              std::vector<std::string>{"wf-" + std::to_string(fnv1a32("wf.a(0)"))});
    EXPECT_EQ(args_of(h, "a(1)"),
              std::vector<std::string>{"wf-" + std::to_string(fnv1a32("wf.a(1)"))});
}

TEST(Placeholders, UnknownTagsAreLeftLiterally) {  // row 26
    EngineHarness h;
    h.run(echo("['{{foo.bar}}', 'x{{ nothing }}y']"));
    EXPECT_EQ(args_of(h), (std::vector<std::string>{"{{foo.bar}}", "x{{ nothing }}y"}));
}

TEST(Placeholders, AnOutputOfASkippedTaskIsLeftLiterally) {  // row 27
    EngineHarness h;
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: maybe, template: produce, when: '"a" == "b"'}
      - name: use
        template: use
        dependencies: [maybe]
        arguments:
          parameters: [{name: v, value: '{{tasks.maybe.outputs.parameters.out}}'}]
  - name: produce
    container: {image: busybox}
    outputs: {parameters: [{name: out, valueFrom: {path: /tmp/out}}]}
  - name: use
    inputs: {parameters: [{name: v}]}
    container: {image: busybox, args: ['{{inputs.parameters.v}}']}
)"));
    EXPECT_EQ(r.phase("wf.maybe"), NodePhase::Skipped);
    EXPECT_EQ(args_of(h, "use"),
              std::vector<std::string>{"{{tasks.maybe.outputs.parameters.out}}"});
}

TEST(Placeholders, AnUnresolvedTagInALoopedTaskMakesTheTaskNodeError) {  // row 28
    EngineHarness h;
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: maybe, template: produce, when: '"a" == "b"'}
      - name: loop
        template: use
        dependencies: [maybe]
        withItems: [1, 2]
        arguments:
          parameters: [{name: v, value: '{{item}}-{{tasks.maybe.outputs.parameters.out}}'}]
  - name: produce
    container: {image: busybox}
    outputs: {parameters: [{name: out, valueFrom: {path: /tmp/out}}]}
  - name: use
    inputs: {parameters: [{name: v}]}
    container: {image: busybox, args: ['{{inputs.parameters.v}}']}
)"));
    EXPECT_EQ(h.runtime().count("loop"), 0);
    EXPECT_EQ(r.phase("wf.loop"), NodePhase::Error) << r.describe();
    EXPECT_NE(
        r.node("wf.loop").message.find("failed to resolve {{tasks.maybe.outputs.parameters.out}}"),
        std::string::npos)
        << "task node message: " << r.node("wf.loop").message;
    EXPECT_EQ(r.state.phase, NodePhase::Error);
}

TEST(Placeholders, GlobalsAndTemplateVariablesResolve) {
    EngineHarness h;
    h.options().namespace_name = "team-a";
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  arguments:
    parameters: [{name: gp, value: g1}, {name: other, value: "2"}]
  templates:
  - name: main
    dag:
      tasks:
      - name: show
        template: show
        arguments: {parameters: [{name: p, value: pv}]}
  - name: show
    inputs:
      parameters: [{name: p}]
      artifacts: [{name: in, path: /in/file, raw: {data: r}}]
    outputs:
      parameters: [{name: o, valueFrom: {path: /out/o}}]
      artifacts: [{name: art, path: /out/art, optional: true}]
    container:
      image: busybox
      args:
      - '{{workflow.name}}'
      - '{{workflow.namespace}}'
      - '{{workflow.parameters.gp}}'
      - '{{workflow.parameters}}'
      - '{{inputs.parameters}}'
      - '{{inputs.artifacts.in.path}}'
      - '{{outputs.parameters.o.path}}'
      - '{{outputs.artifacts.art.path}}'
      - '{{workflow.status}}'
)"));
    auto args = args_of(h, "show");
    ASSERT_EQ(args.size(), 9u);
    EXPECT_EQ(args[0], "wf");
    EXPECT_EQ(args[1], "team-a");
    EXPECT_EQ(args[2], "g1");
    EXPECT_EQ(
        nlohmann::json::parse(args[3]),
        nlohmann::json::parse(R"([{"name":"gp","value":"g1"},{"name":"other","value":"2"}])"));
    EXPECT_EQ(nlohmann::json::parse(args[4]),
              nlohmann::json::parse(R"([{"name":"p","value":"pv"}])"));
    EXPECT_EQ(args[5], "/in/file");
    EXPECT_EQ(args[6], "/out/o");
    EXPECT_EQ(args[7], "/out/art");
    EXPECT_EQ(args[8], "Running");
}

TEST(Placeholders, CreationTimestampIsRfc3339) {
    EngineHarness h;
    h.run(echo("['{{workflow.creationTimestamp}}']"));
    EXPECT_TRUE(
        std::regex_match(args_of(h)[0], std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")))
        << args_of(h)[0];
}

TEST(Inputs, AnArgumentBeatsTheInputsValueWhichBeatsItsDefault) {
    EngineHarness h;
    h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: show
        template: show
        arguments: {parameters: [{name: a, value: from-argument}]}
  - name: show
    inputs:
      parameters:
      - {name: a, value: from-value}
      - {name: b, value: from-value, default: from-default}
      - {name: c, default: from-default}
    container: {image: busybox, args: ['{{inputs.parameters.a}}', '{{inputs.parameters.b}}', '{{inputs.parameters.c}}']}
)"));
    EXPECT_EQ(args_of(h, "show"),
              (std::vector<std::string>{"from-argument", "from-value", "from-default"}));
}

TEST(Inputs, AMissingInputParameterIsErrorAndNothingRuns) {
    EngineHarness h;
    auto r = h.run_unchecked(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: show, template: show}
  - name: show
    inputs: {parameters: [{name: a}]}
    container: {image: busybox, args: ['{{inputs.parameters.a}}']}
)"));
    EXPECT_EQ(r.phase("wf.show"), NodePhase::Error);
    EXPECT_EQ(r.node("wf.show").message, "inputs.parameters.a was not supplied");
    EXPECT_EQ(h.runtime().steps().size(), 0u);
    EXPECT_EQ(r.state.phase, NodePhase::Error);
}

TEST(RunParameters, UnknownOrMissingParametersAreRefusedBeforeAnythingRuns) {
    const std::string yaml = workflow_yaml(R"(
  entrypoint: main
  arguments:
    parameters: [{name: needed}, {name: colour, value: red, enum: [red, green]}]
  templates:
  - name: main
    container: {image: busybox}
)");
    EngineHarness missing;
    auto r = missing.run(yaml);
    ASSERT_TRUE(r.prepare_error.has_value());
    EXPECT_NE(r.prepare_error->message.find("needed"), std::string::npos);

    EngineHarness unknown;
    unknown.options().parameters = {{"needed", "1"}, {"typo", "2"}};
    r = unknown.run(yaml);
    ASSERT_TRUE(r.prepare_error.has_value());
    EXPECT_NE(r.prepare_error->message.find("typo"), std::string::npos);

    EngineHarness not_in_enum;
    not_in_enum.options().parameters = {{"needed", "1"}, {"colour", "blue"}};
    r = not_in_enum.run(yaml);
    ASSERT_TRUE(r.prepare_error.has_value());
    EXPECT_EQ(missing.runtime().steps().size() + unknown.runtime().steps().size() +
                  not_in_enum.runtime().steps().size(),
              0u);
}

TEST(RunParameters, KfpMacrosAreExpanded) {
    EngineHarness h;
    h.options().parameters = {{"gp", "run-[[RunUUID]]"}};
    h.run(echo("['{{workflow.parameters.gp}}']"));
    EXPECT_EQ(args_of(h),
              std::vector<std::string>{std::string("run-") + kfrun::test_support::k_run_id});
}

TEST(Substitute, ReplacesKnownTagsAndKeepsOrRefusesTheRest) {
    Scope globals;
    globals.set("a", "1");
    Scope inner(&globals);
    inner.set("b", "2");
    EXPECT_EQ(engine::substitute("{{a}}+{{ b }}={{c}}", inner).value(), "1+2={{c}}");
    auto refused = engine::substitute("{{a}}{{c}}", inner, engine::Unresolved::Fail);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().message, "failed to resolve {{c}}");
    EXPECT_EQ(engine::substitute("{{=1+1}}", inner, engine::Unresolved::Fail).value(), "{{=1+1}}");
    EXPECT_EQ(engine::substitute("no tags {{ here", inner).value(), "no tags {{ here");
}

TEST(FindTags, ReportsOffsetsNamesAndExpressions) {
    auto tags = engine::find_tags("x{{ a.b }}y{{=c}}");
    ASSERT_EQ(tags.size(), 2u);
    EXPECT_EQ(tags[0].begin, 1u);
    EXPECT_EQ(tags[0].end, 10u);
    EXPECT_EQ(tags[0].name, "a.b");
    EXPECT_FALSE(tags[0].expression);
    EXPECT_TRUE(tags[1].expression);
}
