// PodPlanner through the engine: scripts, KFP pod env, resources, image mapping, names and
// labels, output paths.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>

#include "engine/quantity.hpp"
#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::k_run_id;
using kfrun::test_support::workflow_yaml;
namespace engine = kfrun::engine;

namespace {

std::map<std::string, std::string> env_of(const engine::StepSpec& spec) {
    return {spec.env.begin(), spec.env.end()};
}

std::string one_template(const std::string& body) {
    return workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: step, template: step, arguments: {parameters: [{name: msg, value: hello}]}}
  - name: step
    inputs: {parameters: [{name: msg}]}
)" + body);
}

}  // namespace

TEST(PodPlanner, AScriptIsStagedAndItsPathAppendedToTheArgs) {
    EngineHarness h;
    auto r = h.run(one_template(R"(
    script:
      image: python:3.9
      command: [python]
      args: [-u]
      source: |
        print("{{inputs.parameters.msg}}")
)"));
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto spec = h.runtime().spec("step");
    EXPECT_EQ(spec.command, std::vector<std::string>{"python"});
    EXPECT_EQ(spec.args, (std::vector<std::string>{"-u", "/argo/staging/script"}));
    EXPECT_EQ(h.input_text(spec, "/argo/staging/script"), "print(\"hello\")\n");
}

TEST(PodPlanner, KfpPodEnvComesFromTheDownwardApiFields) {
    EngineHarness h;
    h.options().namespace_name = "kubeflow-user";
    auto r = h.run(one_template(R"(
    metadata:
      labels: {pipelines.kubeflow.org/enable_caching: "true"}
    container:
      image: busybox
      env:
      - {name: PLAIN, value: 'msg={{inputs.parameters.msg}}'}
      - name: KFP_POD_NAME
        valueFrom: {fieldRef: {fieldPath: metadata.name}}
      - name: KFP_POD_UID
        valueFrom: {fieldRef: {fieldPath: metadata.uid}}
      - name: KFP_NAMESPACE
        valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
      - name: WORKFLOW_ID
        valueFrom: {fieldRef: {fieldPath: "metadata.labels['workflows.argoproj.io/workflow']"}}
      - name: KFP_RUN_ID
        valueFrom: {fieldRef: {fieldPath: "metadata.labels['pipeline/runid']"}}
      - name: ENABLE_CACHING
        valueFrom: {fieldRef: {fieldPath: "metadata.labels['pipelines.kubeflow.org/enable_caching']"}}
)"));
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto env = env_of(h.runtime().spec("step"));
    EXPECT_EQ(env["PLAIN"], "msg=hello");
    EXPECT_EQ(env["KFP_POD_NAME"], r.node("wf.step").id);
    EXPECT_TRUE(std::regex_match(
        env["KFP_POD_UID"],
        std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")))
        << env["KFP_POD_UID"];
    EXPECT_EQ(env["KFP_NAMESPACE"], "kubeflow-user");
    EXPECT_EQ(env["WORKFLOW_ID"], "wf");
    EXPECT_EQ(env["KFP_RUN_ID"], k_run_id);
    EXPECT_EQ(env["ENABLE_CACHING"], "true");
}

TEST(PodPlanner, ASecretEnvIsAStepErrorNotASilentEmptyValue) {
    EngineHarness h;
    auto r = h.run_unchecked(one_template(R"(
    container:
      image: busybox
      env:
      - name: TOKEN
        valueFrom: {secretKeyRef: {name: creds, key: token}}
)"));
    EXPECT_EQ(r.phase("wf.step"), NodePhase::Error);
    EXPECT_NE(r.node("wf.step").message.find("TOKEN"), std::string::npos);
    EXPECT_TRUE(h.runtime().steps().empty());
}

TEST(PodPlanner, LimitsBecomeDockerLimitsAndRequestsAreIgnored) {
    EngineHarness h;
    h.runtime().set_gpus_available(true);
    auto r = h.run(one_template(R"(
    container:
      image: busybox
      resources:
        limits: {memory: 512Mi, cpu: 500m, nvidia.com/gpu: "1"}
        requests: {memory: 1Gi, cpu: "4"}
)"));
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    auto resources = h.runtime().spec("step").resources;
    EXPECT_EQ(resources.memory_bytes, 512LL * 1024 * 1024);
    EXPECT_EQ(resources.nano_cpus, 500'000'000LL);
    EXPECT_EQ(resources.gpus, 1);
}

TEST(PodPlanner, ResourceLimitsTakeTheTemplatesInputs) {  // a KFP v2 limit from a task input
    EngineHarness h;
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: step, template: step, arguments: {parameters: [{name: mem, value: 256Mi}]}}
  - name: step
    inputs: {parameters: [{name: mem}]}
    container:
      image: busybox
      resources: {limits: {memory: '{{inputs.parameters.mem}}'}}
)"));
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.runtime().spec("step").resources.memory_bytes, 256LL * 1024 * 1024);
}

namespace {

const std::string k_gpu_step = one_template(R"(
    container:
      image: busybox
      resources: {limits: {nvidia.com/gpu: "2"}}
)");

}  // namespace

TEST(PodPlanner, AGpuRequestWithoutGpusIsAnErrorThatNamesTheWayOut) {
    EngineHarness h;
    auto r = h.run(k_gpu_step);
    EXPECT_EQ(r.phase("wf.step"), NodePhase::Error);
    EXPECT_NE(r.node("wf.step").message.find("--no-gpu-ok"), std::string::npos)
        << r.node("wf.step").message;
    EXPECT_TRUE(h.runtime().steps().empty());
}

TEST(PodPlanner, NoGpuOkRunsWithoutTheGpusAndSaysSo) {
    EngineHarness h;
    h.options().no_gpu_ok = true;
    auto r = h.run(k_gpu_step);
    EXPECT_EQ(r.phase("wf.step"), NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.runtime().spec("step").resources.gpus, 0);
    ASSERT_TRUE(r.node("wf.step").step.has_value());
    ASSERT_FALSE(r.node("wf.step").step->warnings.empty());
    EXPECT_NE(r.node("wf.step").step->warnings.front().find("nvidia.com/gpu"), std::string::npos);
}

TEST(PodPlanner, NoLimitsMeansNoDockerLimits) {
    EngineHarness h;
    h.run(one_template("    container: {image: busybox}\n"));
    auto resources = h.runtime().spec("step").resources;
    EXPECT_FALSE(resources.memory_bytes.has_value());
    EXPECT_FALSE(resources.nano_cpus.has_value());
    EXPECT_EQ(resources.gpus, 0);
}

TEST(PodPlanner, TheImageMapDecidesWhatRunsAndTheRecordKeepsBoth) {
    EngineHarness h;
    h.options().image_map.add({"python:*", "local/python:glob"});
    h.options().image_map.add({"docker.io/library/python:3.7", "local/python:exact"});
    auto r = h.run(one_template("    container: {image: python:3.7}\n"));
    EXPECT_EQ(h.runtime().spec("step").image, "local/python:exact");
    EXPECT_EQ(h.runtime().spec("step").image_id,
              kfrun::test_support::FakeRuntime::image_id_for("local/python:exact"));
    ASSERT_TRUE(r.node("wf.step").step.has_value());
    EXPECT_EQ(r.node("wf.step").step->original_image, "python:3.7");
    EXPECT_EQ(r.node("wf.step").step->image, "local/python:exact");
}

TEST(PodPlanner, ContainerNamesAreDockerSafeUniqueAndLabelled) {
    EngineHarness h;
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: Train Model, template: step}
      - {name: loop, template: step, withItems: ['a b', 'a b']}
  - name: step
    container: {image: busybox}
)"));
    std::set<std::string> names;
    for (const auto& step : h.runtime().steps()) {
        const auto& spec = step.spec;
        EXPECT_TRUE(std::regex_match(spec.container_name, std::regex("[a-zA-Z0-9][a-zA-Z0-9_.-]*")))
            << spec.container_name;
        EXPECT_EQ(spec.container_name.rfind(
                      std::string("kfrun-") + std::string(k_run_id).substr(0, 8), 0),
                  0u)
            << spec.container_name;
        names.insert(spec.container_name);
        EXPECT_EQ(spec.labels.at("org.kfrun.run"), k_run_id);
        EXPECT_EQ(spec.labels.at("org.kfrun.step"), spec.display_name);
    }
    EXPECT_EQ(names.size(), 3u);
    EXPECT_EQ(h.runtime().spec("Train Model").labels.at("org.kfrun.node"),
              r.node("wf.Train Model").id);
}

// Argo's addInitContainers/addSidecars: an init container or sidecar gets the main container's
// mounts only with mirrorVolumeMounts, so the main container's Secret volume is not theirs.
TEST(PodPlanner, InitContainersAndSidecarsGetTheMainMountsOnlyWhenTheyMirrorThem) {
    EngineHarness h;
    auto r = h.run(one_template(R"(
    volumes:
    - {name: shared, emptyDir: {}}
    - {name: scratch, emptyDir: {}}
    initContainers:
    - {name: own, image: busybox, volumeMounts: [{name: shared, mountPath: /shared}]}
    - {name: mirrored, image: busybox, mirrorVolumeMounts: true}
    - name: mirrored-own
      image: busybox
      mirrorVolumeMounts: true
      volumeMounts: [{name: scratch, mountPath: /shared, readOnly: true}]
    sidecars:
    - {name: side, image: busybox}
    - {name: side-mirrored, image: busybox, mirrorVolumeMounts: true}
    container:
      image: busybox
      volumeMounts:
      - {name: shared, mountPath: /shared}
      - {name: scratch, mountPath: /scratch}
)"));
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    const auto& spec = h.runtime().spec("step");
    auto paths = [](const std::vector<engine::VolumeMount>& mounts) {
        std::vector<std::string> out;
        for (const auto& mount : mounts) {
            out.push_back(mount.container_path);
        }
        return out;
    };
    using Paths = std::vector<std::string>;
    ASSERT_EQ(spec.init_containers.size(), 3u);
    ASSERT_EQ(spec.sidecars.size(), 2u);
    EXPECT_EQ(paths(spec.init_containers[0].mounts), Paths{"/shared"});
    EXPECT_EQ(paths(spec.init_containers[1].mounts), paths(spec.mounts));
    // Its own mount wins where both name a path: Docker refuses a path mounted twice.
    const auto& own = spec.init_containers[2].mounts;
    ASSERT_EQ(paths(own), (Paths{"/shared", "/scratch"}));
    EXPECT_TRUE(own[0].read_only);
    EXPECT_EQ(paths(spec.sidecars[0].mounts), Paths{});
    EXPECT_EQ(paths(spec.sidecars[1].mounts), paths(spec.mounts));
    const Paths main = paths(spec.mounts);
    EXPECT_NE(std::find(main.begin(), main.end(), "/scratch"), main.end());
}

TEST(PodPlanner, APathDeclaredAsParameterAndArtifactIsCollectedOnce) {
    EngineHarness h;
    h.runtime().on("step", kfrun::test_support::FakeStep().file("/tmp/out", "both\n"));
    auto r = h.run(one_template(R"(
    container: {image: busybox, workingDir: '/work/{{inputs.parameters.msg}}'}
    outputs:
      parameters: [{name: out, valueFrom: {path: /tmp/out}}]
      artifacts: [{name: out, path: /tmp/out}]
)"));
    auto spec = h.runtime().spec("step");
    EXPECT_EQ(spec.output_paths, std::vector<std::string>{"/tmp/out"});
    EXPECT_EQ(spec.working_dir, "/work/hello");
    EXPECT_EQ(r.output("wf.step", "out"), "both");
    EXPECT_NE(r.node("wf.step").outputs.artifact("out"), nullptr);
}

TEST(Quantity, MemoryAndCpuSpellings) {
    EXPECT_EQ(engine::parse_memory_quantity("512Mi"), 536870912LL);
    EXPECT_EQ(engine::parse_memory_quantity("1G"), 1000000000LL);
    EXPECT_EQ(engine::parse_memory_quantity("1.5Gi"), 1610612736LL);
    EXPECT_EQ(engine::parse_memory_quantity("100"), 100LL);
    EXPECT_FALSE(engine::parse_memory_quantity("lots").has_value());
    EXPECT_EQ(engine::parse_cpu_quantity("2"), 2'000'000'000LL);
    EXPECT_EQ(engine::parse_cpu_quantity("250m"), 250'000'000LL);
    EXPECT_EQ(engine::parse_cpu_quantity("0.5"), 500'000'000LL);
    EXPECT_FALSE(engine::parse_cpu_quantity("2 cores").has_value());
}
