// VolumeSnapshot resources (dsl.VolumeSnapshotOp) in both of the forms compiled pipelines hold:
// snapshot.storage.k8s.io/v1beta1 (spec.source.persistentVolumeClaimName) and v1alpha1, which
// older KFP compilers write (spec.source {kind: PersistentVolumeClaim, name}) — issue 16, 14.
#include <algorithm>

#include <gtest/gtest.h>

#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::workflow_yaml;

namespace {

std::string snapshot_pipeline(const std::string& snapshot_spec) {
    return workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: claim, template: claim}
      - name: snap
        template: snap
        dependencies: [claim]
        arguments:
          parameters: [{name: pvc, value: '{{tasks.claim.outputs.parameters.name}}'}]
  - name: claim
    resource:
      action: create
      manifest: |
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: '{{workflow.name}}-data'}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
    outputs:
      parameters: [{name: name, valueFrom: {jsonPath: '{.metadata.name}'}}]
  - name: snap
    inputs: {parameters: [{name: pvc}]}
    resource:
      action: create
      successCondition: status.readyToUse == true
      manifest: |
)" + snapshot_spec + R"(
    outputs:
      parameters: [{name: size, valueFrom: {jsonPath: '{.status.restoreSize}'}}]
)");
}

bool copied_from_claim(const std::vector<std::string>& calls) {
    return std::any_of(calls.begin(), calls.end(), [](const std::string& call) {
        return call.rfind("copy ", 0) == 0 && call.find("kfrun-snapshot-wf-snap") != std::string::npos;
    });
}

}  // namespace

TEST(VolumeSnapshot, TheV1beta1FormCopiesTheNamedClaim) {
    EngineHarness h;
    auto r = h.run(snapshot_pipeline(R"(        apiVersion: snapshot.storage.k8s.io/v1beta1
        kind: VolumeSnapshot
        metadata: {name: '{{workflow.name}}-snap'}
        spec: {source: {persistentVolumeClaimName: '{{inputs.parameters.pvc}}'}})"));
    EXPECT_EQ(r.phase("wf.snap"), NodePhase::Succeeded) << r.node("wf.snap").message;
    EXPECT_TRUE(copied_from_claim(h.runtime().volume_calls()));
}

TEST(VolumeSnapshot, TheV1alpha1FormOfOlderKfpCompilersIsAcceptedToo) {
    EngineHarness h;
    auto r = h.run(snapshot_pipeline(R"(        apiVersion: snapshot.storage.k8s.io/v1alpha1
        kind: VolumeSnapshot
        metadata: {name: '{{workflow.name}}-snap'}
        spec:
          source:
            kind: PersistentVolumeClaim
            name: '{{inputs.parameters.pvc}}')"));
    EXPECT_EQ(r.phase("wf.snap"), NodePhase::Succeeded) << r.node("wf.snap").message;
    EXPECT_TRUE(copied_from_claim(h.runtime().volume_calls()));
}

TEST(VolumeSnapshot, ASourceThatNamesNoClaimIsAnErrorNotACrash) {
    EngineHarness h;
    auto r = h.run(snapshot_pipeline(R"(        apiVersion: snapshot.storage.k8s.io/v1alpha1
        kind: VolumeSnapshot
        metadata: {name: '{{workflow.name}}-snap'}
        spec: {source: {kind: PersistentVolumeClaim, name: 42, persistentVolumeClaimName: [x]}})"));
    EXPECT_TRUE(kfrun::engine::is_failed_or_error(r.phase("wf.snap"))) << r.describe();
    EXPECT_NE(r.node("wf.snap").message.find("names no claim to copy"), std::string::npos)
        << r.node("wf.snap").message;
}
