#include "docker/container_config.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kfrun::docker {
namespace {

using nlohmann::json;

engine::StepSpec basic_spec() {
    engine::StepSpec spec;
    spec.container_name = "kfrun-r1-train";
    spec.display_name = "train";
    spec.image_id = "sha256:abc";
    return spec;
}

json body_of(const engine::StepSpec& spec, const ContainerConfig& config = {}) {
    auto body = make_create_body(spec, config);
    EXPECT_TRUE(body.ok()) << (body.ok() ? "" : body.error().to_string());
    return json::parse(body.value());
}

TEST(MakeCreateBody, MapsCommandToEntrypointAndArgsToCmd) {
    auto spec = basic_spec();
    spec.command = {"sh", "-c"};
    spec.args = {"echo hi"};
    const auto body = body_of(spec);
    EXPECT_EQ(body["Image"], "sha256:abc");
    EXPECT_EQ(body["Entrypoint"], json({"sh", "-c"}));
    EXPECT_EQ(body["Cmd"], json({"echo hi"}));
}

TEST(MakeCreateBody, WritesArgumentsThatAreNotValidUtf8WithReplacementCharacters) {
    // A parameter given on the command line (or any value) with an invalid byte: the create
    // payload is written as the Kubernetes API would carry it, and never throws.
    auto spec = basic_spec();
    spec.args = {"x\xFFy"};
    spec.env = {{"V", "\xC0"}};
    const auto body = body_of(spec);
    EXPECT_EQ(body["Cmd"], json({"x\xEF\xBF\xBDy"}));
}

TEST(MakeCreateBody, SendsAnEmptyCmdWhenThereIsACommandWithoutArgs) {
    auto spec = basic_spec();
    spec.command = {"/bin/true"};
    const auto body = body_of(spec);
    ASSERT_TRUE(body.contains("Cmd"));
    EXPECT_EQ(body["Cmd"], json::array());
}

TEST(MakeCreateBody, OmitsEntrypointAndCmdWhenEmptyToKeepTheImages) {
    const auto body = body_of(basic_spec());
    EXPECT_FALSE(body.contains("Entrypoint"));
    EXPECT_FALSE(body.contains("Cmd"));
    auto args_only = basic_spec();
    args_only.args = {"--epochs", "3"};
    const auto with_args = body_of(args_only);
    EXPECT_FALSE(with_args.contains("Entrypoint"));
    EXPECT_EQ(with_args["Cmd"], json({"--epochs", "3"}));
}

TEST(MakeCreateBody, SetsEnvWorkingDirLabelsAndNetwork) {
    auto spec = basic_spec();
    spec.env = {{"A", "1"}, {"B", "x=y"}};
    spec.working_dir = "/work";
    ContainerConfig config;
    config.network_mode = docker_network_mode(engine::NetworkMode::Pod, "sandbox123");
    config.labels = {{"org.kfrun.run", "r1"}};
    const auto body = body_of(spec, config);
    EXPECT_EQ(body["Env"], json({"A=1", "B=x=y"}));
    EXPECT_EQ(body["WorkingDir"], "/work");
    EXPECT_EQ(body["Labels"], json({{"org.kfrun.run", "r1"}}));
    EXPECT_EQ(body["HostConfig"]["NetworkMode"], "container:sandbox123");
    EXPECT_FALSE(body.contains("Hostname"));  // not allowed with container: networking
}

TEST(MakeCreateBody, MapsNetworkModes) {
    EXPECT_EQ(docker_network_mode(engine::NetworkMode::Bridge, ""), "bridge");
    EXPECT_EQ(docker_network_mode(engine::NetworkMode::None, ""), "none");
    EXPECT_EQ(docker_network_mode(engine::NetworkMode::Host, ""), "host");
}

TEST(MakeCreateBody, SetsResourcesWithoutSwap) {
    auto spec = basic_spec();
    spec.resources.memory_bytes = 64 << 20;
    spec.resources.nano_cpus = 500'000'000;
    spec.resources.gpus = 2;
    spec.privileged = true;
    const auto host = body_of(spec)["HostConfig"];
    EXPECT_EQ(host["Memory"], 64 << 20);
    EXPECT_EQ(host["MemorySwap"], 64 << 20);
    EXPECT_EQ(host["NanoCpus"], 500'000'000);
    EXPECT_EQ(host["DeviceRequests"],
              json::parse(R"([{"Driver":"","Count":2,"Capabilities":[["gpu"]]}])"));
    EXPECT_EQ(host["Privileged"], true);
    const auto plain = body_of(basic_spec())["HostConfig"];
    EXPECT_FALSE(plain.contains("Memory"));
    EXPECT_FALSE(plain.contains("DeviceRequests"));
    EXPECT_FALSE(plain.contains("Privileged"));
}

TEST(MakeCreateBody, BindsInputsReadWriteAndMapsMounts) {
    auto spec = basic_spec();
    spec.mounts.push_back({engine::VolumeMount::Type::Volume, "data", "/data", "", true, {}});
    spec.mounts.push_back({engine::VolumeMount::Type::Bind, "/host/dir", "/h", "sub", false, {}});
    spec.mounts.push_back({engine::VolumeMount::Type::Tmpfs, "", "/scratch", "", false, {}});
    ContainerConfig config;
    config.inputs.push_back({"/tmp/s/inputs/0/data", "/in/x/data"});
    const auto mounts = body_of(spec, config)["HostConfig"]["Mounts"];
    ASSERT_EQ(mounts.size(), 4u);
    EXPECT_EQ(mounts[0], json::parse(R"({"Type":"bind","Source":"/tmp/s/inputs/0/data",
                                         "Target":"/in/x/data","ReadOnly":false})"));
    EXPECT_EQ(mounts[1], json::parse(R"({"Type":"volume","Source":"data","Target":"/data",
                                         "ReadOnly":true})"));
    EXPECT_EQ(mounts[2]["Source"], "/host/dir/sub");
    EXPECT_EQ(mounts[3], json::parse(R"({"Type":"tmpfs","Target":"/scratch"})"));
}

TEST(MakeCreateBody, RefusesVolumeSubPathsThatWereNotResolvedToBindMounts) {
    auto spec = basic_spec();
    spec.mounts.push_back({engine::VolumeMount::Type::Volume, "data", "/data", "part", false, {}});
    const auto body = make_create_body(spec, {});
    ASSERT_FALSE(body.ok());
    EXPECT_EQ(body.error().kind, base::ErrorKind::Internal);
    EXPECT_NE(body.error().message.find("Subpath"), std::string::npos);
    EXPECT_NE(body.error().where.find("train"), std::string::npos);
}

TEST(MakeCreateBody, PutsVolumeLabelsIntoVolumeOptionsForDockerToCreateItWith) {
    auto spec = basic_spec();
    spec.mounts.push_back({engine::VolumeMount::Type::Volume,
                           "kfrun-r1-scratch",
                           "/scratch",
                           "",
                           false,
                           {{"org.kfrun.run", "r1"}, {"org.kfrun.keep", "true"}}});
    const auto mounts = body_of(spec)["HostConfig"]["Mounts"];
    ASSERT_EQ(mounts.size(), 1u);
    EXPECT_EQ(mounts[0], json::parse(R"({"Type":"volume","Source":"kfrun-r1-scratch",
        "Target":"/scratch","ReadOnly":false,
        "VolumeOptions":{"Labels":{"org.kfrun.run":"r1","org.kfrun.keep":"true"}}})"));
}

TEST(MakeCreateBody, MapsTmpfsMountsWithTheirReadOnlyFlag) {
    auto spec = basic_spec();
    spec.mounts.push_back({engine::VolumeMount::Type::Tmpfs, "", "/cache", "", false, {}});
    spec.mounts.push_back({engine::VolumeMount::Type::Tmpfs, "", "/ro", "", true, {}});
    const auto mounts = body_of(spec)["HostConfig"]["Mounts"];
    ASSERT_EQ(mounts.size(), 2u);
    EXPECT_EQ(mounts[0], json::parse(R"({"Type":"tmpfs","Target":"/cache"})"));
    EXPECT_EQ(mounts[1], json::parse(R"({"Type":"tmpfs","Target":"/ro","ReadOnly":true})"));
}

TEST(MakeCreateBody, RefusesBindSubPathsThatLeaveTheSource) {
    auto spec = basic_spec();
    spec.mounts.push_back(
        {engine::VolumeMount::Type::Bind, "/host", "/h", "a/../../etc", false, {}});
    const auto body = make_create_body(spec, {});
    ASSERT_FALSE(body.ok());
    EXPECT_EQ(body.error().kind, base::ErrorKind::Input);
    EXPECT_NE(body.error().message.find(".."), std::string::npos);
}

TEST(MakeCreateBody, SetsInitForContainersThatMustForwardSigterm) {
    ContainerConfig config;
    config.init = true;
    EXPECT_EQ(body_of(basic_spec(), config)["HostConfig"]["Init"], true);
    EXPECT_FALSE(body_of(basic_spec())["HostConfig"].contains("Init"));
}

engine::AuxContainer aux_container(const std::string& name) {
    engine::AuxContainer aux;
    aux.name = name;
    aux.image = "busybox";
    aux.image_id = "sha256:aux";
    aux.command = {"sh", "-c"};
    aux.args = {"echo aux"};
    aux.env = {{"X", "1"}};
    aux.working_dir = "/w";
    aux.resources.memory_bytes = 1 << 20;
    return aux;
}

TEST(MakeCreateBody, MapsTheSecurityContextToUserReadonlyRootfsAndCapabilities) {
    auto spec = basic_spec();
    spec.security.user = "1000:2000";
    spec.security.read_only_root = true;
    spec.security.cap_add = {"NET_BIND_SERVICE"};
    spec.security.cap_drop = {"ALL"};
    spec.security.no_new_privileges = true;
    const auto body = body_of(spec);
    EXPECT_EQ(body["User"], "1000:2000");
    EXPECT_EQ(body["HostConfig"]["ReadonlyRootfs"], true);
    EXPECT_EQ(body["HostConfig"]["CapAdd"], json({"NET_BIND_SERVICE"}));
    EXPECT_EQ(body["HostConfig"]["CapDrop"], json({"ALL"}));
    EXPECT_EQ(body["HostConfig"]["SecurityOpt"], json({"no-new-privileges"}));
    const auto plain = body_of(basic_spec());  // nothing asked: the image's user, Docker's set
    EXPECT_FALSE(plain.contains("User"));
    EXPECT_FALSE(plain["HostConfig"].contains("ReadonlyRootfs"));
    EXPECT_FALSE(plain["HostConfig"].contains("CapAdd"));
}

TEST(AuxStepSpec, KeepsTheAuxContainersOwnSecurity) {
    auto step = basic_spec();
    step.security.user = "1";
    engine::AuxContainer aux;
    aux.name = "init";
    aux.security.user = "2";
    aux.security.cap_drop = {"CHOWN"};
    const auto spec = aux_step_spec(step, aux, AuxRole::Init);
    EXPECT_EQ(spec.security.user, "2");
    EXPECT_EQ(spec.security.cap_drop, std::vector<std::string>{"CHOWN"});
}

// The step's mounts reach an init container only through the engine (mirrorVolumeMounts): a
// Secret volume of the main container is not an init container's (Argo's addInitContainers).
TEST(AuxStepSpec, GivesAnInitContainerOnlyItsOwnMounts) {
    auto step = basic_spec();
    step.labels = {{"org.kfrun.node", "n1"}};
    step.mounts.push_back({engine::VolumeMount::Type::Volume, "work", "/work", "", false, {}});
    step.mounts.push_back({engine::VolumeMount::Type::Bind, "/s/creds", "/secret", "", true, {}});
    step.output_paths = {"/out"};
    step.args = {"main"};
    auto aux = aux_container("Fetch Data");
    aux.mounts.push_back({engine::VolumeMount::Type::Volume, "new", "/shared", "", true, {}});
    const auto spec = aux_step_spec(step, aux, AuxRole::Init);
    EXPECT_EQ(spec.container_name, "kfrun-r1-train-init-fetch-data");
    EXPECT_EQ(spec.display_name, "train init Fetch Data");
    EXPECT_EQ(spec.image_id, "sha256:aux");
    EXPECT_EQ(spec.command, aux.command);
    EXPECT_EQ(spec.args, aux.args);
    EXPECT_EQ(spec.env, aux.env);
    EXPECT_EQ(spec.working_dir, "/w");
    EXPECT_EQ(spec.resources.memory_bytes, 1 << 20);
    EXPECT_EQ(spec.labels, step.labels);
    EXPECT_TRUE(spec.output_paths.empty());
    ASSERT_EQ(spec.mounts.size(), 1u);
    EXPECT_EQ(spec.mounts[0].source, "new");
    EXPECT_TRUE(spec.mounts[0].read_only);
}

TEST(AuxStepSpec, GivesASidecarOnlyItsOwnMounts) {
    auto step = basic_spec();
    step.mounts.push_back({engine::VolumeMount::Type::Volume, "work", "/work", "", false, {}});
    const auto spec = aux_step_spec(step, aux_container("redis"), AuxRole::Sidecar);
    EXPECT_EQ(spec.container_name, "kfrun-r1-train-sidecar-redis");
    EXPECT_TRUE(spec.mounts.empty());
    EXPECT_EQ(body_of(spec)["Entrypoint"], json({"sh", "-c"}));
}

TEST(MakeCreateBody, RefusesRelativePaths) {
    auto spec = basic_spec();
    spec.mounts.push_back({engine::VolumeMount::Type::Bind, "rel/dir", "/x", "", false, {}});
    EXPECT_FALSE(make_create_body(spec, {}).ok());
    auto relative_target = basic_spec();
    relative_target.mounts.push_back({engine::VolumeMount::Type::Volume, "v", "x", "", false, {}});
    EXPECT_FALSE(make_create_body(relative_target, {}).ok());
}

}  // namespace
}  // namespace kfrun::docker
