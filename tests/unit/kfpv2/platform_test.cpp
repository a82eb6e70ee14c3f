// The kfp-kubernetes platform document → the model (checklist rows 3 and 70), and CreatePVC /
// DeletePVC tasks as resource templates that pull no image.
#include <nlohmann/json.hpp>

#include "ir_test_support.hpp"

using namespace kfrun::kfpv2::testing;
using kfrun::model::EnvSource;
using kfrun::model::Notice;
using kfrun::model::Volume;

namespace {

std::string with_platform(const std::string& executor_config, const std::string& extra = "") {
    return one_task_ir() + "---\nplatforms:\n  kubernetes:\n" + extra +
           "    deploymentSpec:\n      executors:\n        exec-a:\n" + executor_config;
}

}  // namespace

TEST(IrPlatform, Row3SecretsAndConfigMapsAsEnvAndVolumes) {
    auto workflow =
        load_ok(with_platform("          secretAsEnv:\n"
                              "          - secretNameParameter: {runtimeValue: {constant: creds}}\n"
                              "            keyToEnv: [{envVar: USER, secretKey: username}]\n"
                              "            optional: true\n"
                              "          secretAsVolume:\n"
                              "          - {secretName: tls, mountPath: /etc/tls}\n"
                              "          configMapAsEnv:\n"
                              "          - configMapName: settings\n"
                              "            keyToEnv: [{envVar: MODE, configMapKey: mode}]\n"
                              "          configMapAsVolume:\n"
                              "          - {configMapNameParameter: {runtimeValue: {constant: "
                              "conf}}, mountPath: /conf}\n"));
    const auto& tmpl = template_named(workflow, "a");
    ASSERT_EQ(tmpl.container.env.size(), 2u);
    const auto& user = tmpl.container.env[0];
    EXPECT_EQ(user.name, "USER");
    ASSERT_TRUE(user.value_from.has_value());
    EXPECT_EQ(user.value_from->kind, EnvSource::Kind::SecretKeyRef);
    EXPECT_EQ(user.value_from->name, "creds");
    EXPECT_EQ(user.value_from->key, "username");
    EXPECT_TRUE(user.value_from->optional);
    EXPECT_EQ(tmpl.container.env[1].value_from->kind, EnvSource::Kind::ConfigMapKeyRef);
    EXPECT_EQ(tmpl.container.env[1].value_from->name, "settings");
    ASSERT_EQ(tmpl.volumes.size(), 2u);
    EXPECT_EQ(tmpl.volumes[0].kind, Volume::Kind::Secret);
    EXPECT_EQ(tmpl.volumes[0].object_name, "tls");
    EXPECT_EQ(tmpl.volumes[1].kind, Volume::Kind::ConfigMap);
    EXPECT_EQ(tmpl.volumes[1].object_name, "conf");
    ASSERT_EQ(tmpl.container.volume_mounts.size(), 2u);
    EXPECT_EQ(tmpl.container.volume_mounts[0].mount_path, "/etc/tls");
    EXPECT_EQ(tmpl.container.volume_mounts[0].name, tmpl.volumes[0].name);
}

TEST(IrPlatform, AnUnknownPlatformFieldIsAnError) {
    auto error = load_error(with_platform("          gpuSharing: true\n"));
    EXPECT_NE(error.message.find("unknown field `gpuSharing` in KubernetesExecutorConfig"),
              std::string::npos)
        << error.message;
    EXPECT_NE(error.where.find("(platforms.kubernetes.deploymentSpec.executors.exec-a.gpuSharing)"),
              std::string::npos)
        << error.where;
}

TEST(IrPlatform, Row70DeadlinesPullPolicyFieldPathEmptyDirAndIgnoredScheduling) {
    auto workflow = load_ok(with_platform(
        "          activeDeadlineSeconds: 2\n"
        "          imagePullPolicy: Never\n"
        "          fieldPathAsEnv: [{name: POD, fieldPath: metadata.name}]\n"
        "          emptyDirMounts: [{volumeName: scratch, mountPath: /scratch, medium: Memory}]\n"
        "          nodeSelector: {labels: {disk: ssd}}\n"
        "          tolerations: [{key: k, operator: Exists}]\n",
        "    pipelineConfig: {activeDeadlineSeconds: 60}\n"));
    const auto& tmpl = template_named(workflow, "a");
    EXPECT_EQ(tmpl.active_deadline_seconds.value_or(""), "2");
    EXPECT_EQ(workflow.active_deadline_seconds.value_or(""), "60");
    EXPECT_EQ(tmpl.container.image_pull_policy, "Never");
    ASSERT_EQ(tmpl.container.env.size(), 1u);
    EXPECT_EQ(tmpl.container.env[0].value_from->kind, EnvSource::Kind::FieldRef);
    EXPECT_EQ(tmpl.container.env[0].value_from->field_path, "metadata.name");
    ASSERT_EQ(tmpl.volumes.size(), 1u);
    EXPECT_EQ(tmpl.volumes[0].kind, Volume::Kind::EmptyDir);
    EXPECT_TRUE(tmpl.volumes[0].medium_memory);
    EXPECT_TRUE(has_notice(workflow, Notice::Severity::Ignored, "exec-a.nodeSelector"));
    EXPECT_TRUE(has_notice(workflow, Notice::Severity::Ignored, "exec-a.tolerations"));

    auto bad = load_error(with_platform("          imagePullPolicy: Sometimes\n"));
    EXPECT_NE(bad.message.find("imagePullPolicy must be Always, Never or IfNotPresent"),
              std::string::npos);
}

// "nan" passed the range check (every comparison with NaN is false) and was cast to an integer:
// undefined behaviour (found in review).
TEST(IrPlatform, ARunAsUserThatIsNotANumberIsAnError) {
    for (const char* value : {"nan", "'-nan'", "1e300", "-1", "2.5"}) {
        auto error = load_error(
            with_platform(std::string("          securityContext: {runAsUser: ") + value + "}\n"));
        EXPECT_NE(error.message.find("runAsUser must be a whole number 0..2147483647"),
                  std::string::npos)
            << value << ": " << error.message;
    }
}

TEST(IrPlatform, CreateMountAndDeleteAPvcWithoutPullingTheStubImages) {
    const std::string yaml = R"(pipelineInfo: {name: p}
schemaVersion: 2.1.0
root:
  dag:
    tasks:
      createpvc:
        componentRef: {name: comp-createpvc}
        inputs:
          parameters:
            access_modes: {runtimeValue: {constant: [ReadWriteOnce]}}
            pvc_name_suffix: {runtimeValue: {constant: -my-pvc}}
            size: {runtimeValue: {constant: 5Gi}}
      a:
        componentRef: {name: comp-a}
        dependentTasks: [createpvc]
      deletepvc:
        componentRef: {name: comp-deletepvc}
        dependentTasks: [a]
        inputs:
          parameters:
            pvc_name: {taskOutputParameter: {producerTask: createpvc, outputParameterKey: name}}
components:
  comp-a: {executorLabel: exec-a}
  comp-createpvc:
    executorLabel: exec-createpvc
    inputDefinitions:
      parameters:
        access_modes: {parameterType: LIST}
        annotations: {parameterType: STRUCT, isOptional: true}
        pvc_name: {parameterType: STRING, isOptional: true}
        pvc_name_suffix: {parameterType: STRING, isOptional: true}
        size: {parameterType: STRING}
    outputDefinitions:
      parameters:
        name: {parameterType: STRING}
  comp-deletepvc:
    executorLabel: exec-deletepvc
    inputDefinitions:
      parameters:
        pvc_name: {parameterType: STRING}
deploymentSpec:
  executors:
    exec-a:
      container: {image: busybox, command: [sh, -c, ls /data]}
    exec-createpvc:
      container: {image: argostub/createpvc}
    exec-deletepvc:
      container: {image: argostub/deletepvc}
---
platforms:
  kubernetes:
    deploymentSpec:
      executors:
        exec-a:
          pvcMount:
          - mountPath: /data
            pvcNameParameter:
              taskOutputParameter: {outputParameterKey: name, producerTask: createpvc}
)";
    auto workflow = load_ok(yaml);
    const auto& create = template_named(workflow, "createpvc");
    EXPECT_EQ(create.kind, kfrun::model::Template::Kind::Resource);
    EXPECT_EQ(create.resource.action, "create");
    EXPECT_TRUE(create.resource.typed_manifest);
    auto manifest = nlohmann::json::parse(create.resource.manifest);
    EXPECT_EQ(manifest["kind"], "PersistentVolumeClaim");
    EXPECT_EQ(manifest["metadata"]["name"], "{{workflow.uid}}{{inputs.parameters.pvc_name_suffix}}")
        << create.resource.manifest;
    EXPECT_EQ(manifest["spec"]["resources"]["requests"]["storage"], "{{inputs.parameters.size}}");
    EXPECT_EQ(manifest["spec"]["accessModes"], "{{inputs.parameters.access_modes}}");
    EXPECT_EQ(kfrun::model::find_by_name(create.inputs.parameters, "annotations"), nullptr);
    const auto* name = kfrun::model::find_by_name(create.outputs.parameters, "name");
    ASSERT_NE(name, nullptr);
    EXPECT_EQ(name->from_json_path.value_or(""), "{.metadata.name}");

    const auto& remove = template_named(workflow, "deletepvc");
    EXPECT_EQ(remove.kind, kfrun::model::Template::Kind::Resource);
    EXPECT_EQ(remove.resource.action, "delete");
    EXPECT_NE(remove.resource.manifest.find("{{inputs.parameters.pvc_name}}"), std::string::npos);

    const auto& mount = template_named(workflow, "a");
    ASSERT_EQ(mount.volumes.size(), 1u);
    EXPECT_EQ(mount.volumes[0].kind, Volume::Kind::PersistentVolumeClaim);
    EXPECT_EQ(mount.volumes[0].claim_name, "{{inputs.parameters.kfrun-pvc-name-0}}");
    EXPECT_EQ(mount.container.volume_mounts.at(0).mount_path, "/data");
    const auto& call = task_named(template_named(workflow, "root"), "a");
    EXPECT_EQ(argument(call, "kfrun-pvc-name-0"), "{{tasks.createpvc.outputs.parameters.name}}");
    EXPECT_EQ(call.depends, "createpvc.Succeeded");
    for (const auto& tmpl : workflow.templates) {
        EXPECT_EQ(tmpl.container.image.find("argostub"), std::string::npos) << tmpl.name;
    }
}
