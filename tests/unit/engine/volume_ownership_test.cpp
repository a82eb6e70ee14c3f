// A claim name is a Docker volume name on the daemon: a pipeline may use only a volume that does
// not exist yet or one kfrun made for that claim (label org.kfrun.pvc=<claim>); any other volume
// (another project's, a CI cache) needs --allow-volume (issue 16, found by trying kfrun as a
// hostile pipeline would). Mount, VolumeOp volumeName, DeletePVC and VolumeSnapshot copies.
#include <algorithm>

#include <gtest/gtest.h>

#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::workflow_yaml;

namespace {

// One step mounting claim `claim`.
std::string mount_pipeline(const std::string& claim) {
    return workflow_yaml(R"(
  entrypoint: main
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: )" +
                         claim + R"(}
  templates:
  - name: main
    container:
      image: busybox
      command: [sh, -c, 'ls /data']
      volumeMounts: [{name: data, mountPath: /data}]
)");
}

// One resource step: `manifest` (an indented block) with `action`.
std::string resource_pipeline(const std::string& action, const std::string& manifest) {
    return workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    resource:
      action: )" + action +
                         R"(
      manifest: |
)" + manifest);
}

bool called(const std::vector<std::string>& calls, const std::string& call) {
    return std::find(calls.begin(), calls.end(), call) != calls.end();
}

}  // namespace

TEST(VolumeOwnership, AClaimMayNotMountAVolumeKfrunDidNotMakeForIt) {
    EngineHarness h;
    h.runtime().add_volume("postgres-data");  // someone else's, no labels
    auto r = h.run(mount_pipeline("postgres-data"));
    EXPECT_EQ(r.phase("wf"), NodePhase::Error);
    EXPECT_NE(r.node("wf").message.find("--allow-volume postgres-data"), std::string::npos)
        << r.node("wf").message;
    EXPECT_TRUE(h.runtime().steps().empty()) << "no container may start with the volume";
}

TEST(VolumeOwnership, AVolumeLabelledForAnotherClaimIsRefusedToo) {
    EngineHarness h;
    h.runtime().add_volume("shared", {{"org.kfrun.pvc", "other-claim"}});
    auto r = h.run(mount_pipeline("shared"));
    EXPECT_EQ(r.phase("wf"), NodePhase::Error);
    EXPECT_TRUE(h.runtime().steps().empty());
}

TEST(VolumeOwnership, AMissingVolumeIsMadeForTheClaimAndKeptForTheNextRun) {
    EngineHarness h;
    auto first = h.run(mount_pipeline("my-claim"));
    EXPECT_EQ(first.phase("wf"), NodePhase::Succeeded) << first.node("wf").message;
    auto second = h.run(mount_pipeline("my-claim"));  // now labelled org.kfrun.pvc=my-claim
    EXPECT_EQ(second.phase("wf"), NodePhase::Succeeded) << second.node("wf").message;
    EXPECT_EQ(h.runtime().steps().size(), 2u);
}

TEST(VolumeOwnership, AllowVolumeLetsAClaimMountAnExistingVolume) {
    EngineHarness h;
    h.runtime().add_volume("datasets");
    h.options().allowed_volumes = {"datasets"};
    auto r = h.run(mount_pipeline("datasets"));
    EXPECT_EQ(r.phase("wf"), NodePhase::Succeeded) << r.node("wf").message;
}

TEST(VolumeOwnership, AVolumeOpMayNotBindAForeignVolumeThroughVolumeName) {
    EngineHarness h;
    h.runtime().add_volume("victim");
    auto r = h.run(resource_pipeline("create", R"(        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: innocent}
        spec: {volumeName: victim, accessModes: [ReadWriteOnce]}
)"));
    EXPECT_EQ(r.phase("wf"), NodePhase::Failed);
    EXPECT_NE(r.node("wf").message.find("--allow-volume victim"), std::string::npos)
        << r.node("wf").message;
    EXPECT_FALSE(called(h.runtime().volume_calls(), "create victim"));
}

TEST(VolumeOwnership, ADeletePvcMayNotRemoveAForeignVolume) {
    EngineHarness h;
    h.runtime().add_volume("ci-cache");
    auto r = h.run(resource_pipeline("delete", R"(        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: ci-cache}
)"));
    EXPECT_EQ(r.phase("wf"), NodePhase::Failed);
    EXPECT_FALSE(called(h.runtime().volume_calls(), "remove ci-cache"));
}

TEST(VolumeOwnership, ADeletePvcRemovesTheVolumeKfrunMadeForTheClaim) {
    EngineHarness h;
    h.runtime().add_volume("old-claim", {{"org.kfrun.pvc", "old-claim"}});
    auto r = h.run(resource_pipeline("delete", R"(        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: old-claim}
)"));
    EXPECT_EQ(r.phase("wf"), NodePhase::Succeeded) << r.node("wf").message;
    EXPECT_TRUE(called(h.runtime().volume_calls(), "remove old-claim"));
}

TEST(VolumeOwnership, ASnapshotMayNotCopyAForeignVolume) {
    EngineHarness h;
    h.runtime().add_volume("secrets-vault");
    auto r = h.run(resource_pipeline("create", R"(        apiVersion: snapshot.storage.k8s.io/v1
        kind: VolumeSnapshot
        metadata: {name: loot}
        spec: {source: {persistentVolumeClaimName: secrets-vault}}
)"));
    EXPECT_EQ(r.phase("wf"), NodePhase::Failed);
    for (const std::string& call : h.runtime().volume_calls()) {
        EXPECT_NE(call.rfind("copy secrets-vault", 0), 0u) << call;
    }
}

TEST(VolumeOwnership, ASnapshotMayNotOverwriteAVolumeThatOnlyLooksLikeOne) {
    EngineHarness h;
    h.runtime().add_volume("kfrun-snapshot-s1");  // not labelled org.kfrun.snapshot=s1
    auto r = h.run(resource_pipeline("delete", R"(        apiVersion: snapshot.storage.k8s.io/v1
        kind: VolumeSnapshot
        metadata: {name: s1}
        spec: {source: {persistentVolumeClaimName: c}}
)"));
    EXPECT_EQ(r.phase("wf"), NodePhase::Failed);
    EXPECT_FALSE(called(h.runtime().volume_calls(), "remove kfrun-snapshot-s1"));
}

// Checked before any Docker call: a '/' or '..' would change the API path of the inspect.
TEST(VolumeOwnership, AClaimThatIsNotAVolumeNameIsRefusedBeforeDockerIsAsked) {
    EngineHarness h;
    auto r = h.run(mount_pipeline("'data/../x'"));
    EXPECT_EQ(r.phase("wf"), NodePhase::Error);
    EXPECT_NE(r.node("wf").message.find("not a Docker volume name"), std::string::npos)
        << r.node("wf").message;
    EXPECT_TRUE(h.runtime().steps().empty());
}
