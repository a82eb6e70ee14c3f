// KFP v2 launcher steps through the engine (FakeRuntime + temp store): argv, the executor
// input, artifact URIs and paths, typed inputs. Test names carry the checklist row of
// shared/research/kfp-v2-semantics.md §12 they cover.
#include <gtest/gtest.h>

#include <algorithm>

#include "kfp_launcher_support.hpp"
#include "support/engine_harness.hpp"

using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::k_producer_task_root;
using kfrun::test_support::make_launcher;
using kfrun::test_support::producer_consumer;
using kfrun::test_support::template_named;
using kfrun::test_support::workflow_yaml;
namespace engine = kfrun::engine;
namespace model = kfrun::model;

namespace {

const std::string k_y = "/tmp/kfp/outputs/y";
const std::string k_m = std::string(k_producer_task_root) + "/m";

// One launcher task `t` (template `step`) with the given inputs, called with `arguments`.
model::Workflow single(EngineHarness& h, const std::string& inputs, const std::string& arguments,
                       std::vector<std::string> command, std::vector<std::string> args) {
    model::Workflow wf = h.load(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: t, template: step, arguments: )" +
                                              arguments + R"(}
  - name: step
    inputs: )" + inputs + R"(
    container: {image: busybox}
)"));
    make_launcher(template_named(wf, "step"), std::move(command), std::move(args), "t");
    return wf;
}

bool placed_at(const engine::StepSpec& spec, const std::string& path) {
    return std::any_of(
        spec.inputs.begin(), spec.inputs.end(),
        [&](const engine::InputPlacement& input) { return input.container_path == path; });
}

}  // namespace

TEST(KfpLauncher, Row06_ArgsOnlyExecutorRunsArgs0AsTheEntrypoint) {
    EngineHarness h;
    auto r = h.run_model(single(h, "{}", "{}", {}, {"--x", "1"}));
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto spec = h.runtime().spec("t");
    EXPECT_EQ(spec.command, (std::vector<std::string>{"--x", "1"}));
    EXPECT_TRUE(spec.args.empty());
}

TEST(KfpLauncher, EmptyArgvFailsTheStep) {
    EngineHarness h;
    auto r = h.run_model(single(h, "{}", "{}", {}, {}));
    EXPECT_NE(r.phase("wf.t"), NodePhase::Succeeded);
    EXPECT_NE(r.node("wf.t").message.find("neither command nor args"), std::string::npos)
        << r.node("wf.t").message;
    EXPECT_EQ(h.runtime().count("t"), 0);
}

TEST(KfpLauncher, Row09_KubernetesVariablesExpandInArgvAndTheExecutorInput) {
    EngineHarness h;
    auto wf = single(h, "{parameters: [{name: s}]}", "{parameters: [{name: s, value: 'a$$b'}]}",
                     {"echo"}, {"$(FOO)", "{{$.inputs.parameters['s']}}", "$(NOPE)", "{{$}}"});
    model::EnvVar foo;
    foo.name = "FOO";
    foo.value = "bar";
    template_named(wf, "step").container.env.push_back(foo);
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto spec = h.runtime().spec("t");
    EXPECT_EQ(spec.command.at(1), "bar");
    EXPECT_EQ(spec.command.at(2), "a$b");
    EXPECT_EQ(spec.command.at(3), "$(NOPE)");
    auto input = nlohmann::json::parse(spec.command.at(4));
    EXPECT_EQ(input["inputs"]["parameterValues"]["s"], "a$b");
}

TEST(KfpLauncher, Row14_OptionalInputWithoutValueIsLeftOutAndIfPresentTakesElse) {
    EngineHarness h;
    auto wf = single(
        h, "{parameters: [{name: o}]}", "{}", {"run"},
        {R"({"IfPresent": {"InputName": "o", "Then": ["--o", "{{$.inputs.parameters['o']}}"], "Else": ["--no-o"]}})",
         "{{$}}"});
    template_named(wf, "step").inputs.parameters[0].optional = true;
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto spec = h.runtime().spec("t");
    EXPECT_EQ(spec.command.at(1), "--no-o");
    auto input = nlohmann::json::parse(spec.command.at(2));
    EXPECT_FALSE(input.contains("inputs")) << input;
}

TEST(KfpLauncher, Row16_StringInputTakesANumberAsText) {
    EngineHarness h;
    auto wf = producer_consumer(h, "NUMBER_INTEGER", {"{{$.inputs.parameters['x']}}", "{{$}}"});
    template_named(wf, "cons").inputs.parameters[0].type = "STRING";
    h.runtime().on("p", FakeStep().file(k_y, "3\n"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto spec = h.runtime().spec("c");
    EXPECT_EQ(spec.command.at(1), "3");
    EXPECT_EQ(nlohmann::json::parse(spec.command.at(2))["inputs"]["parameterValues"]["x"], "3");
}

TEST(KfpLauncher, Row17_IntegerInputGivenTextThatIsNoNumberFailsTheTask) {
    EngineHarness h;
    auto wf = single(h, "{parameters: [{name: n}]}", "{parameters: [{name: n, value: abc}]}",
                     {"run"}, {"{{$.inputs.parameters['n']}}"});
    template_named(wf, "step").inputs.parameters[0].type = "NUMBER_INTEGER";
    auto r = h.run_model(wf);
    EXPECT_EQ(r.phase("wf.t"), NodePhase::Failed);
    EXPECT_NE(r.node("wf.t").message.find("input parameter `n` type mismatch"), std::string::npos)
        << r.node("wf.t").message;
    EXPECT_EQ(h.runtime().count("t"), 0);
}

TEST(KfpLauncher, Row18_RequiredInputWithNeitherValueNorDefaultFailsTheTask) {
    EngineHarness h;
    auto wf = single(h, "{parameters: [{name: n}]}", "{}", {"run"}, {"x"});
    // The validator refuses it before the run (the KFP compiler would too); the backend's
    // driver fails the task at run time, and so does kfrun when it runs.
    auto r = h.run_model(wf, false);
    EXPECT_EQ(r.phase("wf.t"), NodePhase::Failed);
    EXPECT_NE(r.node("wf.t").message.find("neither value nor default value provided"),
              std::string::npos)
        << r.node("wf.t").message;
}

TEST(KfpLauncher, Row22_NumbersReachArgsInTheDriverFormat) {
    for (auto [file, expected] : std::vector<std::pair<std::string, std::string>>{
             {"3.0", "3"}, {"1234567.5", "1.2345675e+06"}, {"1e-5", "1e-05"}}) {
        EngineHarness h;
        auto wf = producer_consumer(h, "NUMBER_DOUBLE", {"{{$.inputs.parameters['x']}}", "{{$}}"});
        h.runtime().on("p", FakeStep().file(k_y, file));
        auto r = h.run_model(wf);
        ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
        auto spec = h.runtime().spec("c");
        EXPECT_EQ(spec.command.at(1), expected) << file;
        auto value = nlohmann::json::parse(spec.command.at(2))["inputs"]["parameterValues"]["x"];
        EXPECT_TRUE(value.is_number()) << value;
    }
}

TEST(KfpLauncher, Row22_IntegralNumbersAreJsonIntegersInTheExecutorInput) {
    EngineHarness h;
    auto wf = producer_consumer(h, "NUMBER_DOUBLE", {"{{$}}"});
    h.runtime().on("p", FakeStep().file(k_y, "3.0"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_NE(h.runtime().spec("c").command.at(1).find(R"("x":3})"), std::string::npos)
        << h.runtime().spec("c").command.at(1);
}

TEST(KfpLauncher, Row23_ListsAndStructsReachArgsAsCompactJsonWithSortedKeys) {
    EngineHarness h;
    auto wf = producer_consumer(h, "LIST", {"{{$.inputs.parameters['x']}}"});
    h.runtime().on("p", FakeStep().file(k_y, "[1, 2]\n"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.runtime().spec("c").command.at(1), "[1,2]");

    EngineHarness h2;
    auto wf2 = producer_consumer(h2, "STRUCT", {"{{$.inputs.parameters['x']}}"});
    h2.runtime().on("p", FakeStep().file(k_y, R"({"b": 1, "a": 2})"));
    auto r2 = h2.run_model(wf2);
    ASSERT_EQ(r2.state.phase, NodePhase::Succeeded) << r2.describe();
    EXPECT_EQ(h2.runtime().spec("c").command.at(1), R"({"a":2,"b":1})");
}

TEST(KfpLauncher, Row24_PlaceholderInsideATextIsReplacedInPlace) {
    EngineHarness h;
    auto r =
        h.run_model(single(h, "{parameters: [{name: a}]}", "{parameters: [{name: a, value: v}]}",
                           {"echo"}, {"x-{{$.inputs.parameters['a']}}-y"}));
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.runtime().spec("t").command.at(1), "x-v-y");
}

TEST(KfpLauncher, Row25_IfPresentOnASuppliedArtifactTakesThen) {
    EngineHarness h;
    auto wf = producer_consumer(
        h, "STRING",
        {R"({"IfPresent": {"InputName": "a", "Then": ["--a", "{{$.inputs.artifacts['a'].path}}"], "Else": "--none"}})"});
    h.runtime().on("p", FakeStep().file(k_y, "v").file(k_m, "model"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto spec = h.runtime().spec("c");
    EXPECT_EQ(spec.command, (std::vector<std::string>{"consume", "--a", k_m}));
}

TEST(KfpLauncher, Row26_IfPresentWithAnOutputPlaceholderIsExpanded) {
    EngineHarness h;
    auto wf = single(
        h, "{parameters: [{name: i}]}", "{parameters: [{name: i, value: v}]}", {"run"},
        {R"({"IfPresent": {"InputName": "i", "Then": ["--d", "{{$.outputs.artifacts['d'].uri}}"]}})"});
    model::Artifact d;
    d.name = "d";
    d.schema_title = "system.Dataset";
    template_named(wf, "step").outputs.artifacts.push_back(d);
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.runtime().spec("t").command,
              (std::vector<std::string>{"run", "--d", "minio://kfrun/v2/artifacts/demo/t/d"}));
}

TEST(KfpLauncher, Row27_ConcatJoinsAfterInnerResolution) {
    EngineHarness h;
    auto r = h.run_model(single(
        h, "{parameters: [{name: x}]}", "{parameters: [{name: x, value: b}]}", {"echo"},
        {R"({"Concat": ["a-", "{{$.inputs.parameters['x']}}"]})",
         R"({"Concat": ["<", {"IfPresent": {"InputName": "x", "Then": {"Concat": ["[", "{{$.inputs.parameters['x']}}", "]"]}}}, ">"]})"}));
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.runtime().spec("t").command, (std::vector<std::string>{"echo", "a-b", "<[b]>"}));
}

TEST(KfpLauncher, Row28_IfPresentSplicesThenOrRemovesTheElement) {
    EngineHarness h;
    auto wf = single(
        h, "{parameters: [{name: p}, {name: q}]}", "{parameters: [{name: p, value: '1'}]}", {"run"},
        {R"({"IfPresent": {"InputName": "p", "Then": ["--p", "{{$.inputs.parameters['p']}}"]}})",
         R"({"IfPresent": {"InputName": "q", "Then": ["--q"]}})", "end"});
    template_named(wf, "step").inputs.parameters[1].optional = true;
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.runtime().spec("t").command, (std::vector<std::string>{"run", "--p", "1", "end"}));
}

TEST(KfpLauncher, Row29And33_ADefaultedInputTheTaskDoesNotPassUsesItsDefault) {
    EngineHarness h;
    auto wf = single(h, "{parameters: [{name: n, default: '100'}]}", "{}", {"run"},
                     {"{{$.inputs.parameters['n']}}", "{{$}}"});
    model::Parameter& n = template_named(wf, "step").inputs.parameters[0];
    n.type = "NUMBER_INTEGER";
    n.optional = true;
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto spec = h.runtime().spec("t");
    EXPECT_EQ(spec.command.at(1), "100");
    EXPECT_EQ(nlohmann::json::parse(spec.command.at(2))["inputs"]["parameterValues"]["n"], 100);
}

TEST(KfpLauncher, Row30And31_PlaceholdersTheBackendDoesNotReplaceStayLiteralWithAWarning) {
    EngineHarness h;
    auto r = h.run_model(single(h, "{}", "{}", {"run"},
                                {"{{$.outputs.output_file}}", "{{$.pipeline_root}}", "{{$.foo}}"}));
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.runtime().spec("t").command,
              (std::vector<std::string>{"run", "{{$.outputs.output_file}}", "{{$.pipeline_root}}",
                                        "{{$.foo}}"}));
    const auto& warnings = r.node("wf.t").step->warnings;
    EXPECT_TRUE(std::any_of(warnings.begin(), warnings.end(), [](const std::string& w) {
        return w.find("{{$.foo}}") != std::string::npos;
    }));
}

TEST(KfpLauncher, Row32_AnFStringSelfReferenceInAValueIsResolvedOnce) {
    EngineHarness h;
    auto r = h.run_model(single(
        h, "{parameters: [{name: msg}, {name: pipelinechannel--x}]}",
        "{parameters: [{name: msg, value: \"a-{{$.inputs.parameters['pipelinechannel--x']}}\"}, "
        "{name: pipelinechannel--x, value: b}]}",
        {"echo"}, {"{{$.inputs.parameters['msg']}}", "{{$}}"}));
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto spec = h.runtime().spec("t");
    EXPECT_EQ(spec.command.at(1), "a-b");
    EXPECT_EQ(nlohmann::json::parse(spec.command.at(2))["inputs"]["parameterValues"]["msg"], "a-b");
}

TEST(KfpLauncher, Row34_OutputFileIsUnderTmpKfpOutputsAndItsFolderExistsAtStart) {
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"x"});
    h.runtime().on("p", FakeStep().file(k_y, "v"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto spec = h.runtime().spec("p");
    EXPECT_EQ(spec.command.at(3), k_y);
    // Each folder as a tree holding it (world-writable), placed at its parent.
    EXPECT_TRUE(placed_at(spec, "/tmp/kfp"));
    EXPECT_TRUE(placed_at(spec, "/minio/kfrun/v2/artifacts/demo"));
}

TEST(KfpLauncher, Row35_OutputArtifactUriAndPathUnderThePipelineRoot) {
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"{{$}}"});
    template_named(wf, "prod").launcher->args.push_back("{{$.outputs.artifacts['m'].uri}}");
    template_named(wf, "prod").launcher->args.push_back("{{$}}");
    h.runtime().on("p", FakeStep().file(k_y, "v").file(k_m, "model"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto spec = h.runtime().spec("p");
    EXPECT_EQ(spec.command.at(4), k_m);
    EXPECT_EQ(spec.command.at(5), "minio://kfrun/v2/artifacts/demo/p/m");
    auto input = nlohmann::json::parse(spec.command.at(6));
    const auto& m = input["outputs"]["artifacts"]["m"]["artifacts"][0];
    EXPECT_EQ(m["uri"], "minio://kfrun/v2/artifacts/demo/p/m");
    EXPECT_EQ(m["type"]["schemaTitle"], "system.Model");
    EXPECT_EQ(input["outputs"]["outputFile"],
              std::string(k_producer_task_root) + "/output_metadata.json");
    EXPECT_EQ(input["outputs"]["parameters"]["y"]["outputFile"], k_y);
    // The consumer gets it at the local path of that URI.
    auto consumer = h.runtime().spec("c");
    auto consumer_input = nlohmann::json::parse(consumer.command.at(1));
    EXPECT_EQ(consumer_input["inputs"]["artifacts"]["a"]["artifacts"][0]["uri"],
              "minio://kfrun/v2/artifacts/demo/p/m");
    EXPECT_EQ(h.input_text(consumer, k_m), "model");
}

TEST(KfpLauncher, Row36_LoopIterationsGetTheirOwnUrisAndRetriesShareOne) {
    using kfrun::engine::kfp_task_path;
    EXPECT_EQ(kfp_task_path("wf.for-loop-2(0:a.b).say", "wf", false), "for-loop-2(0_a.b)/say");
    EXPECT_NE(kfp_task_path("wf.loop(0:x).t", "wf", false),
              kfp_task_path("wf.loop(1:x).t", "wf", false));
    EXPECT_EQ(kfp_task_path("wf.t(1)", "wf", true), kfp_task_path("wf.t(0)", "wf", true));
    EXPECT_EQ(kfp_task_path("wf.t(1)", "wf", true), "t");
    EXPECT_EQ(kfp_task_path("wf.a.b", "wf", false), "a/b");
    EXPECT_EQ(kfp_task_path("wf.onExit", "wf", false), "onExit");
    EXPECT_EQ(kfp_task_path("wf.x(0:..)", "wf", false), "x(0_..)");
}

TEST(KfpLauncher, Row36_ALoopBodyWritesEachIterationUnderItsOwnTaskRoot) {
    EngineHarness h;
    model::Workflow wf = h.load(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: t, template: step, withItems: [a, b]}
  - name: step
    container: {image: busybox}
    outputs:
      artifacts: [{name: m, path: /unused}]
)"));
    make_launcher(template_named(wf, "step"), {"w"}, {"{{$.outputs.artifacts['m'].uri}}"}, "t");
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    std::vector<std::string> uris;
    for (const auto& step : h.runtime().steps()) {
        uris.push_back(step.spec.command.at(1));
    }
    std::sort(uris.begin(), uris.end());
    EXPECT_EQ(uris, (std::vector<std::string>{"minio://kfrun/v2/artifacts/demo/t(0_a)/m",
                                              "minio://kfrun/v2/artifacts/demo/t(1_b)/m"}));
}

TEST(KfpLauncher, Row37_AnInputArtifactIsPlacedAsACopyOfTheStoredContent) {
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"x"});
    h.runtime().on("p", FakeStep().file(k_y, "v").file(k_m, "model"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    // The runtime stages a materialized copy of each input (never a mount of the store).
    auto consumer = h.runtime().spec("c");
    EXPECT_TRUE(placed_at(consumer, k_m));
    EXPECT_FALSE(std::any_of(
        consumer.mounts.begin(), consumer.mounts.end(),
        [](const engine::VolumeMount& m) { return m.container_path.rfind("/minio", 0) == 0; }));
    EXPECT_EQ(h.read(r.node("wf.p").outputs.artifact("m")->artifact), "model");
}

TEST(KfpLauncher, Row50_AConsumerSeesTheProducersArtifactIdAndMlmdFields) {
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"{{$}}"});
    h.runtime().on("p", FakeStep().file(k_y, "v").file(k_m, "model"));
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    const auto* m = r.node("wf.p").outputs.artifact("m");
    ASSERT_TRUE(m != nullptr && m->artifact.typed);
    auto input = nlohmann::json::parse(h.runtime().spec("c").command.at(1));
    const auto& a = input["inputs"]["artifacts"]["a"]["artifacts"][0];
    EXPECT_EQ(a["name"], m->artifact.typed->id);
    EXPECT_EQ(a["type"], nlohmann::json({{"instanceSchema", ""}}));
    EXPECT_EQ(a["metadata"]["display_name"], "a");
    EXPECT_TRUE(a["metadata"]["store_session_info"].is_string());
    // Stable across runs: the same content gives the same ID.
    EngineHarness again;
    auto wf2 = producer_consumer(again, "STRING", {"{{$}}"});
    again.options().run_id = "11111111-2222-3333-4444-555555555555";
    again.runtime().on("p", FakeStep().file(k_y, "v").file(k_m, "model"));
    auto r2 = again.run_model(wf2);
    EXPECT_EQ(again.runtime().spec("c").command, h.runtime().spec("c").command);
}

TEST(KfpLauncher, TaskFinalStatusStateIsMappedToKfpStates) {
    EngineHarness h;
    auto wf = single(
        h, "{parameters: [{name: status}]}",
        R"({parameters: [{name: status, value: '{"error":{},"pipelineJobResourceName":"wf","pipelineTaskName":"exit-handler-1","state":"Failed"}'}]})",
        {"run"}, {"{{$}}"});
    template_named(wf, "step").inputs.parameters[0].type = "TASK_FINAL_STATUS";
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto input = nlohmann::json::parse(h.runtime().spec("t").command.at(1));
    EXPECT_EQ(input["inputs"]["parameterValues"]["status"]["state"], "FAILED");
    EXPECT_EQ(input["inputs"]["parameterValues"]["status"]["pipelineTaskName"], "exit-handler-1");
}
