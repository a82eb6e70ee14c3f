// A Secret or ConfigMap named by a placeholder (KFP v2's secretNameParameter from a pipeline
// input or a task output, translated to a hidden input of the step's template): the preflight
// checks the names it can know before the run, the step resolves the rest when it is planned,
// and an unbound name skips the item. Also the entry template's input artifacts check.
#include <gtest/gtest.h>

#include "engine/entry_artifacts.hpp"
#include "engine/parameter_origin.hpp"
#include "engine/run_preflight.hpp"
#include "kfp_launcher_support.hpp"
#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::check_run_options;
using kfrun::engine::NodePhase;
using kfrun::engine::RunOptions;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::workflow_yaml;

namespace {

// main (DAG, input `who`) ← workflow parameter `secret-name`; step `use` mounts and reads the
// Secret named by its input `name`, bound to `who`; `gen` writes a name `late` reads.
const std::string k_pipeline = workflow_yaml(R"(
  entrypoint: main
  arguments:
    parameters:
    - {name: secret-name, value: creds}
  templates:
  - name: main
    inputs:
      parameters: [{name: who}]
    dag:
      tasks:
      - name: use
        template: use
        arguments: {parameters: [{name: name, value: '{{inputs.parameters.who}}'}]}
  - name: top
    dag:
      tasks:
      - {name: inner, template: main, arguments: {parameters: [{name: who, value: '{{workflow.parameters.secret-name}}'}]}}
  - name: use
    inputs:
      parameters: [{name: name}]
    volumes:
    - {name: s, secret: {secretName: '{{inputs.parameters.name}}'}}
    container:
      image: busybox
      command: [sh, -c, 'true']
      env:
      - name: TOKEN
        valueFrom: {secretKeyRef: {name: '{{inputs.parameters.name}}', key: token}}
      volumeMounts: [{name: s, mountPath: /etc/s}]
)");

std::string with_entry(const std::string& yaml, const std::string& entry) {
    std::string out = yaml;
    out.replace(out.find("entrypoint: main"), 16, "entrypoint: " + entry);
    return out;
}

std::string messages(const std::vector<kfrun::engine::Diagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) {
        out += d.message + "\n";
    }
    return out;
}

}  // namespace

TEST(ObjectName, ValuesBeforeRunFollowCallersToRunParameters) {
    EngineHarness h;
    auto workflow = h.load(with_entry(k_pipeline, "top"));
    auto values = kfrun::engine::values_before_run(workflow, {}, "use", "name");
    ASSERT_TRUE(values.has_value());
    EXPECT_EQ(*values, std::vector<std::string>{"creds"});
    values = kfrun::engine::values_before_run(workflow, {{"secret-name", "other"}}, "use", "name");
    ASSERT_TRUE(values.has_value());
    EXPECT_EQ(*values, std::vector<std::string>{"other"});
}

TEST(ObjectName, ANameFromATaskOutputIsNotKnownBeforeTheRun) {
    EngineHarness h;
    std::string yaml = k_pipeline;
    yaml.replace(yaml.find("value: '{{inputs.parameters.who}}'"),
                 std::string("value: '{{inputs.parameters.who}}'").size(),
                 "value: '{{tasks.gen.outputs.parameters.n}}'");
    auto workflow = h.load(yaml);
    EXPECT_FALSE(kfrun::engine::values_before_run(workflow, {}, "use", "name").has_value());
}

TEST(ObjectName, PreflightRefusesAMissingSecretNamedByARunParameter) {
    EngineHarness h;
    auto workflow = h.load(with_entry(k_pipeline, "top"));
    RunOptions options;
    options.parameters = {{"secret-name", "db-pass"}};
    std::string text = messages(check_run_options(workflow, options));
    EXPECT_NE(text.find("Secret `db-pass` is not provided; pass --secret db-pass=DIR"),
              std::string::npos)
        << text;
    options.secrets["db-pass"].data = {{"token", "v"}};
    options.secrets["db-pass"].directory = "/nonexistent";
    EXPECT_EQ(messages(check_run_options(workflow, options)), "");
}

TEST(ObjectName, TheStepReadsTheSecretItsInputNames) {
    EngineHarness h;
    h.options().parameters = {{"secret-name", "db-pass"}};
    h.options().secrets["db-pass"].data = {{"token", "s3cr3t"}};
    h.options().secrets["db-pass"].directory = "/nonexistent/db-pass";
    auto result = h.run(with_entry(k_pipeline, "top"));
    ASSERT_EQ(result.state.phase, NodePhase::Succeeded) << result.describe();
    auto steps = h.runtime().steps();
    ASSERT_EQ(steps.size(), 1u);
    const auto& spec = steps[0].spec;
    bool token = false;
    for (const auto& [name, value] : spec.env) {
        token = token || (name == "TOKEN" && value == "s3cr3t");
    }
    EXPECT_TRUE(token);
    EXPECT_EQ(spec.secret_env.count("TOKEN"), 1u);
    bool mounted = false;
    for (const auto& mount : spec.mounts) {
        mounted =
            mounted || (mount.container_path == "/etc/s" && mount.source == "/nonexistent/db-pass");
    }
    EXPECT_TRUE(mounted);
}

TEST(ObjectName, ASecretNamedByATaskOutputThatIsMissingFailsTheStepNamingIt) {
    EngineHarness h;
    std::string yaml = workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: gen, template: gen}
      - name: use
        template: use
        depends: gen
        arguments: {parameters: [{name: name, value: '{{tasks.gen.outputs.parameters.n}}'}]}
  - name: gen
    container: {image: busybox, command: [sh, -c, 'true']}
    outputs:
      parameters: [{name: n, valueFrom: {path: /tmp/n}}]
  - name: use
    inputs:
      parameters: [{name: name}]
    container:
      image: busybox
      command: [sh, -c, 'true']
      env:
      - name: TOKEN
        valueFrom: {secretKeyRef: {name: '{{inputs.parameters.name}}', key: token}}
)");
    h.runtime().on("gen", FakeStep().file("/tmp/n", "made-later"));
    auto result = h.run(yaml);
    EXPECT_EQ(result.state.phase, NodePhase::Error) << result.describe();
    const auto& use = result.node("wf.use");
    EXPECT_NE(use.message.find("Secret `made-later` is not provided; pass --secret made-later=DIR"),
              std::string::npos)
        << use.message;
}

TEST(EntryArtifacts, ARequiredInputArtifactNotGivenNamesItsTypeAndTheFlag) {
    EngineHarness h;
    auto workflow = h.load(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    inputs:
      artifacts:
      - {name: data, path: /in/data}
      - {name: extra, path: /in/extra, optional: true}
      - {name: fixed, path: /in/fixed, raw: {data: x}}
    container: {image: busybox, command: [cat, /in/data]}
)"));
    auto hint = [](const std::string& name) { return "--input-file " + name + "=PATH"; };
    auto missing = kfrun::engine::check_entry_artifacts(workflow, {}, hint);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().message,
              "pipeline input artifact `data` is required; give it with --input-file data=PATH");
    auto unknown = kfrun::engine::check_entry_artifacts(workflow, {"data", "nope"}, hint);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().message,
              "the pipeline has no input artifact `nope`; its input "
              "artifacts are: data, extra, fixed");
    EXPECT_EQ(unknown.error().where, "--input-file nope");
    EXPECT_TRUE(kfrun::engine::check_entry_artifacts(workflow, {"data"}, hint).ok());
}

TEST(ObjectName, HiddenKfrunInputsAreNotInTheExecutorInput) {
    EngineHarness h;
    kfrun::model::Workflow wf = h.load(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: t
        template: step
        arguments: {parameters: [{name: s, value: a}, {name: kfrun-secret-name-0, value: creds}]}
  - name: step
    inputs:
      parameters: [{name: s}, {name: kfrun-secret-name-0}]
    container: {image: busybox}
)"));
    kfrun::test_support::make_launcher(kfrun::test_support::template_named(wf, "step"), {"echo"},
                                       {"{{$}}"}, "t");
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto input = nlohmann::json::parse(h.runtime().spec("t").command.at(1));
    EXPECT_EQ(input["inputs"]["parameterValues"]["s"], "a");
    EXPECT_FALSE(input["inputs"]["parameterValues"].contains("kfrun-secret-name-0")) << input;
}
