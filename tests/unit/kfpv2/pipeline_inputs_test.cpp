// Pipeline input artifacts (root.inputDefinitions.artifacts) and Secret/ConfigMap names from a
// pipeline input or a task output (kfp-kubernetes `…NameParameter`).
#include "ir_test_support.hpp"

using namespace kfrun::kfpv2::testing;
using kfrun::model::EnvSource;
using kfrun::model::Volume;

namespace {

const std::string k_two_tasks = R"(pipelineInfo: {name: p}
schemaVersion: 2.1.0
root:
  inputDefinitions:
    parameters:
      secret_name: {parameterType: STRING, defaultValue: creds}
    artifacts:
      data:
        artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}
      extra:
        artifactType: {schemaTitle: system.Artifact, schemaVersion: 0.0.1}
        isOptional: true
  dag:
    tasks:
      gen:
        componentRef: {name: comp-gen}
      a:
        componentRef: {name: comp-a}
        inputs:
          artifacts:
            data: {componentInputArtifact: data}
      b:
        componentRef: {name: comp-b}
        inputs:
          artifacts:
            maybe: {componentInputArtifact: extra}
components:
  comp-b:
    executorLabel: exec-b
    inputDefinitions:
      artifacts:
        maybe:
          artifactType: {schemaTitle: system.Artifact, schemaVersion: 0.0.1}
          isOptional: true
  comp-gen:
    executorLabel: exec-gen
    outputDefinitions:
      parameters:
        name: {parameterType: STRING}
  comp-a:
    executorLabel: exec-a
    inputDefinitions:
      artifacts:
        data:
          artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}
deploymentSpec:
  executors:
    exec-b:
      container: {image: busybox, command: [sh, -c, echo]}
    exec-gen:
      container: {image: busybox, command: [sh, -c, echo]}
    exec-a:
      container: {image: busybox, command: [sh, -c, 'cat "$0"', '{{$.inputs.artifacts[''data''].path}}']}
---
platforms:
  kubernetes:
    deploymentSpec:
      executors:
        exec-a:
          secretAsEnv:
          - secretNameParameter: {componentInputParameter: secret_name}
            keyToEnv: [{envVar: TOKEN, secretKey: token}]
          secretAsVolume:
          - secretNameParameter:
              taskOutputParameter: {producerTask: gen, outputParameterKey: name}
            mountPath: /etc/s
          configMapAsEnv:
          - configMapNameParameter: {runtimeValue: {constant: settings}}
            keyToEnv: [{envVar: MODE, configMapKey: mode}]
          configMapAsVolume:
          - configMapNameParameter: {componentInputParameter: secret_name}
            mountPath: /etc/c
)";

}  // namespace

TEST(IrPipelineInputs, PipelineInputArtifactsAreInputsOfTheEntryTemplate) {
    auto workflow = load_ok(k_two_tasks);
    const auto& root = template_named(workflow, workflow.entrypoint);
    ASSERT_EQ(root.inputs.artifacts.size(), 2u);
    const auto* data = kfrun::model::find_by_name(root.inputs.artifacts, "data");
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(data->schema_title, "system.Dataset");
    EXPECT_FALSE(data->optional);
    const auto* extra = kfrun::model::find_by_name(root.inputs.artifacts, "extra");
    ASSERT_NE(extra, nullptr);
    EXPECT_TRUE(extra->optional);
    EXPECT_TRUE(workflow.arguments.artifacts.empty());
    for (const auto& notice : workflow.notices) {
        EXPECT_EQ(notice.message.find("input artifacts"), std::string::npos) << notice.message;
    }
    const auto& call = task_named(root, "a");
    ASSERT_EQ(call.arguments.artifacts.size(), 1u);
    EXPECT_EQ(call.arguments.artifacts[0].from.value_or(""), "{{inputs.artifacts.data}}");
    EXPECT_FALSE(call.arguments.artifacts[0].optional);
    // An optional input fed by an optional pipeline input: left unbound when it is omitted.
    const auto& optional = task_named(root, "b");
    ASSERT_EQ(optional.arguments.artifacts.size(), 1u);
    EXPECT_EQ(optional.arguments.artifacts[0].from.value_or(""), "{{inputs.artifacts.extra}}");
    EXPECT_TRUE(optional.arguments.artifacts[0].optional);
}

TEST(IrPipelineInputs, SecretAndConfigMapNamesFromInputsAndOutputsAreHiddenInputs) {
    auto workflow = load_ok(k_two_tasks);
    const auto& tmpl = template_named(workflow, "a");
    ASSERT_EQ(tmpl.container.env.size(), 2u);
    const auto& token = tmpl.container.env[0];
    ASSERT_TRUE(token.value_from.has_value());
    EXPECT_EQ(token.value_from->kind, EnvSource::Kind::SecretKeyRef);
    EXPECT_EQ(token.value_from->name, "{{inputs.parameters.kfrun-secret-name-0}}");
    EXPECT_EQ(tmpl.container.env[1].value_from->name, "settings");  // a constant stays one
    ASSERT_EQ(tmpl.volumes.size(), 2u);
    EXPECT_EQ(tmpl.volumes[0].kind, Volume::Kind::Secret);
    EXPECT_EQ(tmpl.volumes[0].object_name, "{{inputs.parameters.kfrun-secret-name-1}}");
    EXPECT_EQ(tmpl.volumes[1].kind, Volume::Kind::ConfigMap);
    EXPECT_EQ(tmpl.volumes[1].object_name, "{{inputs.parameters.kfrun-config-map-name-0}}");
    for (const char* hidden :
         {"kfrun-secret-name-0", "kfrun-secret-name-1", "kfrun-config-map-name-0"}) {
        const auto* input = kfrun::model::find_by_name(tmpl.inputs.parameters, hidden);
        ASSERT_NE(input, nullptr) << hidden;
        EXPECT_EQ(input->type, "STRING");
        EXPECT_TRUE(input->optional);  // an omitted optional pipeline input skips the item
    }
    const auto& call = task_named(template_named(workflow, workflow.entrypoint), "a");
    EXPECT_EQ(argument(call, "kfrun-secret-name-0"), "{{inputs.parameters.secret_name}}");
    EXPECT_EQ(argument(call, "kfrun-secret-name-1"), "{{tasks.gen.outputs.parameters.name}}");
    EXPECT_EQ(argument(call, "kfrun-config-map-name-0"), "{{inputs.parameters.secret_name}}");
    EXPECT_EQ(call.depends, "gen.Succeeded");  // the name's producer runs first
    for (const auto& notice : workflow.notices) {
        EXPECT_EQ(notice.message.find("NameParameter"), std::string::npos) << notice.message;
    }
}
