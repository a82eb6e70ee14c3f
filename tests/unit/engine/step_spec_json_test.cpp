// StepSpec ⇄ JSON: what `kfrun inspect` and `kfrun shell` rebuild a step's container from.
#include <gtest/gtest.h>

#include "engine/step_spec_json.hpp"

using kfrun::engine::ArtifactRef;
using kfrun::engine::AuxContainer;
using kfrun::engine::PullPolicy;
using kfrun::engine::step_spec_from_json;
using kfrun::engine::step_spec_to_json;
using kfrun::engine::StepSpec;
using kfrun::engine::VolumeMount;

namespace {

StepSpec full_spec() {
    StepSpec spec;
    spec.container_name = "kfrun-1234-train";
    spec.display_name = "for-loop-1(0:a)/train";
    spec.image = "python:3.11";
    spec.image_id = "sha256:abc";
    spec.command = {"sh", "-c"};
    spec.args = {"echo \"$X\" > /out/x\nexit 3", ""};
    spec.env = {{"X", "1"}, {"SECRET", "p=a=s s"}, {"X", "again"}};
    spec.working_dir = "/work";
    ArtifactRef file{ArtifactRef::Kind::File, "d1", 12, 1};
    ArtifactRef dir{ArtifactRef::Kind::Directory, "d2", 5'000'000'000ULL, 3};
    spec.inputs = {{"/in/data.csv", file}, {"/in/dir", dir}};
    spec.output_paths = {"/out/x", "/tmp/outputs/y"};
    VolumeMount volume;
    volume.source = "kfrun-run-pvc";
    volume.container_path = "/mnt/pvc";
    volume.sub_path = "a/b";
    volume.labels = {{"org.kfrun.run", "1234"}, {"org.kfrun.keep", "true"}};
    VolumeMount bind{VolumeMount::Type::Bind, "/host/secret", "/etc/secret", "", true, {}};
    VolumeMount tmpfs{VolumeMount::Type::Tmpfs, "", "/dev/shm", "", false, {}};
    spec.mounts = {volume, bind, tmpfs};
    spec.labels = {{"pipelines.kubeflow.org/enable_caching", "true"}};
    spec.resources.memory_bytes = 1LL << 33;
    spec.resources.nano_cpus = 1'500'000'000;
    spec.resources.gpus = 2;
    spec.privileged = true;
    AuxContainer init;
    init.name = "fetch";
    init.image = "busybox";
    init.image_id = "sha256:def";
    init.command = {"wget"};
    init.args = {"-O", "/data/x"};
    init.env = {{"A", "b"}};
    init.working_dir = "/data";
    init.mounts = {tmpfs};
    init.resources.gpus = 1;
    init.privileged = true;
    init.mirror_volume_mounts = true;
    spec.init_containers = {init};
    AuxContainer sidecar = init;
    sidecar.name = "server";
    sidecar.resources = {};
    spec.sidecars = {sidecar};
    spec.pull_policy = PullPolicy::Never;
    spec.deadline = std::chrono::steady_clock::now();
    return spec;
}

void expect_same_mounts(const std::vector<VolumeMount>& a, const std::vector<VolumeMount>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].type, b[i].type) << i;
        EXPECT_EQ(a[i].source, b[i].source) << i;
        EXPECT_EQ(a[i].container_path, b[i].container_path) << i;
        EXPECT_EQ(a[i].sub_path, b[i].sub_path) << i;
        EXPECT_EQ(a[i].read_only, b[i].read_only) << i;
        EXPECT_EQ(a[i].labels, b[i].labels) << i;
    }
}

void expect_same_aux(const AuxContainer& a, const AuxContainer& b) {
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.image, b.image);
    EXPECT_EQ(a.image_id, b.image_id);
    EXPECT_EQ(a.command, b.command);
    EXPECT_EQ(a.args, b.args);
    EXPECT_EQ(a.env, b.env);
    EXPECT_EQ(a.working_dir, b.working_dir);
    expect_same_mounts(a.mounts, b.mounts);
    EXPECT_EQ(a.resources.gpus, b.resources.gpus);
    EXPECT_EQ(a.resources.memory_bytes, b.resources.memory_bytes);
    EXPECT_EQ(a.privileged, b.privileged);
    EXPECT_EQ(a.mirror_volume_mounts, b.mirror_volume_mounts);
}

}  // namespace

TEST(StepSpecJson, RoundTripsEveryFieldButTheDeadline) {
    const StepSpec spec = full_spec();
    // Through text, as the file is written and read.
    auto text = step_spec_to_json(spec).dump();
    auto back = step_spec_from_json(nlohmann::json::parse(text));
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(back->container_name, spec.container_name);
    EXPECT_EQ(back->display_name, spec.display_name);
    EXPECT_EQ(back->image, spec.image);
    EXPECT_EQ(back->image_id, spec.image_id);
    EXPECT_EQ(back->command, spec.command);
    EXPECT_EQ(back->args, spec.args);
    EXPECT_EQ(back->env, spec.env);  // order and duplicate names kept
    EXPECT_EQ(back->working_dir, spec.working_dir);
    ASSERT_EQ(back->inputs.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(back->inputs[i].container_path, spec.inputs[i].container_path);
        EXPECT_EQ(back->inputs[i].artifact, spec.inputs[i].artifact);
    }
    EXPECT_EQ(back->output_paths, spec.output_paths);
    expect_same_mounts(back->mounts, spec.mounts);
    EXPECT_EQ(back->labels, spec.labels);
    EXPECT_EQ(back->resources.memory_bytes, spec.resources.memory_bytes);
    EXPECT_EQ(back->resources.nano_cpus, spec.resources.nano_cpus);
    EXPECT_EQ(back->resources.gpus, 2);
    EXPECT_TRUE(back->privileged);
    ASSERT_EQ(back->init_containers.size(), 1u);
    expect_same_aux(back->init_containers[0], spec.init_containers[0]);
    ASSERT_EQ(back->sidecars.size(), 1u);
    expect_same_aux(back->sidecars[0], spec.sidecars[0]);
    EXPECT_EQ(back->pull_policy, PullPolicy::Never);
    EXPECT_FALSE(back->deadline.has_value());
    // And it is stable: writing what was read gives the same document.
    EXPECT_EQ(step_spec_to_json(*back).dump(), text);
}

TEST(StepSpecJson, EmptySpecRoundTripsToDefaults) {
    auto back = step_spec_from_json(step_spec_to_json(StepSpec{}));
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_TRUE(back->command.empty());
    EXPECT_FALSE(back->resources.memory_bytes.has_value());
    EXPECT_FALSE(back->resources.nano_cpus.has_value());
    EXPECT_EQ(back->pull_policy, PullPolicy::Missing);
}

TEST(StepSpecJson, MissingFieldsKeepDefaults) {
    auto back = step_spec_from_json(nlohmann::json{{"imageId", "sha256:x"}});
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(back->image_id, "sha256:x");
    EXPECT_TRUE(back->mounts.empty());
}

TEST(StepSpecJson, WrongTypeNamesTheField) {
    auto spec = step_spec_to_json(full_spec());
    spec["mounts"][1]["readOnly"] = "yes";
    auto back = step_spec_from_json(spec);
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.error().where, "mounts[1].readOnly");
    EXPECT_EQ(back.error().kind, kfrun::base::ErrorKind::Io);
}

TEST(StepSpecJson, UnknownEnumValuesAreErrors) {
    auto spec = step_spec_to_json(full_spec());
    spec["initContainers"][0]["mounts"][0]["type"] = "nfs";
    auto back = step_spec_from_json(spec);
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.error().where, "initContainers[0].mounts[0].type");

    spec = step_spec_to_json(full_spec());
    spec["pullPolicy"] = "sometimes";
    EXPECT_FALSE(step_spec_from_json(spec).ok());

    spec = step_spec_to_json(full_spec());
    spec["inputs"][0]["kind"] = "link";
    back = step_spec_from_json(spec);
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.error().where, "inputs[0].kind");
}

TEST(StepSpecJson, NonObjectIsAnError) {
    EXPECT_FALSE(step_spec_from_json(nlohmann::json::array()).ok());
    EXPECT_FALSE(step_spec_from_json(nlohmann::json{{"env", {1, 2}}}).ok());
    EXPECT_FALSE(step_spec_from_json(nlohmann::json{{"command", "sh"}}).ok());
}

// Issue 16 finding 4: the spec file keeps where a Secret's value came from, never the value.
TEST(StepSpecJson, KeepsASecretsSourceNeverItsValue) {
    StepSpec spec;
    spec.env = {{"PLAIN", "visible"}, {"TOKEN", "hunter2-main"}};
    spec.secret_env = {{"TOKEN", "creds/token"}};
    AuxContainer sidecar;
    sidecar.env = {{"SIDE_TOKEN", "hunter2-sidecar"}};
    sidecar.secret_env = {{"SIDE_TOKEN", "creds/token"}};
    spec.sidecars.push_back(sidecar);
    spec.init_containers.push_back(sidecar);
    nlohmann::json json = step_spec_to_json(spec);
    EXPECT_EQ(json.dump().find("hunter2"), std::string::npos) << json.dump();
    auto back = step_spec_from_json(json);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(back->env, (std::vector<std::pair<std::string, std::string>>{{"PLAIN", "visible"},
                                                                            {"TOKEN", ""}}));
    EXPECT_EQ(back->secret_env, spec.secret_env);
    EXPECT_EQ(back->sidecars[0].secret_env, sidecar.secret_env);
    EXPECT_EQ(back->init_containers[0].env[0].second, "");
}
