// Output and input artifacts through the engine (argo-semantics.md §2, checklist rows 10-19).
// The tar layout itself belongs to the store and Docker tests; here: what is stored, what is
// placed where, and the phases.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/sha256.hpp"
#include "support/engine_harness.hpp"
#include "support/temp_dir.hpp"
#include "support/workflow_yaml.hpp"

using namespace kfrun;
using kfrun::engine::ArtifactRef;
using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::workflow_yaml;

namespace {

// produce (writes output artifact `out` at `out_path`) → consume (input `in` at `in_path`).
std::string pass_artifact(
    const std::string& out_decl, const std::string& in_path,
    const std::string& argument = "from: '{{tasks.produce.outputs.artifacts.out}}'") {
    return workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: produce, template: produce}
      - name: consume
        template: consume
        dependencies: [produce]
        arguments:
          artifacts:
          - {name: in, )" +
                         argument + R"(}
  - name: produce
    container: {image: busybox}
    outputs:
      artifacts:
      - )" + out_decl + R"(
  - name: consume
    inputs:
      artifacts:
      - {name: in, path: )" +
                         in_path + R"(}
    container: {image: busybox}
)");
}

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

}  // namespace

TEST(OutputArtifacts, AFileIsStoredByTheSha256OfItsBytes) {  // row 10 (file)
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/o/data", "payload\n"));
    auto r = h.run(pass_artifact("{name: out, path: /tmp/o/data}", "/in/data"));
    const auto* out = r.node("wf.produce").outputs.artifact("out");
    ASSERT_NE(out, nullptr) << r.describe();
    EXPECT_EQ(out->artifact.kind, ArtifactRef::Kind::File);
    EXPECT_EQ(out->artifact.digest, base::sha256_hex("payload\n"));
    EXPECT_EQ(out->artifact.size, 8u);
    EXPECT_EQ(out->path, "/tmp/o/data");
    EXPECT_EQ(h.read(out->artifact), "payload\n");
}

TEST(OutputArtifacts, ADirectoryIsStoredWithItsChildren) {  // row 10 (directory)
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/d/x", "xx").file("/tmp/d/y", "yyy"));
    auto r = h.run(pass_artifact("{name: out, path: /tmp/d}", "/in/d"));
    const auto* out = r.node("wf.produce").outputs.artifact("out");
    ASSERT_NE(out, nullptr) << r.describe();
    EXPECT_EQ(out->artifact.kind, ArtifactRef::Kind::Directory);
    EXPECT_EQ(out->artifact.file_count, 2u);
    EXPECT_EQ(out->artifact.size, 5u);
    test_support::TempDir dir;
    ASSERT_TRUE(h.store().materialize(out->artifact, dir.path() / "d").ok());
    EXPECT_EQ(slurp(dir.path() / "d" / "x"), "xx");
    EXPECT_EQ(slurp(dir.path() / "d" / "y"), "yyy");
}

TEST(OutputArtifacts, ArchiveNoneStoresTheFileAsItIs) {  // row 11
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/o/model.bin", "raw bytes"));
    auto r =
        h.run(pass_artifact("{name: out, path: /tmp/o/model.bin, archive: {none: {}}}", "/in/m"));
    const auto* out = r.node("wf.produce").outputs.artifact("out");
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->artifact.kind, ArtifactRef::Kind::File);
    EXPECT_EQ(out->artifact.digest, base::sha256_hex("raw bytes"));
}

TEST(OutputArtifacts, AMissingRequiredOutputAfterExitZeroIsError) {  // row 12
    EngineHarness h;
    auto r = h.run(pass_artifact("{name: out, path: /tmp/o/data}", "/in/data"));
    EXPECT_EQ(r.phase("wf.produce"), NodePhase::Error) << r.describe();
    EXPECT_EQ(r.phase("wf.consume"), NodePhase::Omitted);
    EXPECT_EQ(r.state.phase, NodePhase::Error);
}

TEST(OutputArtifacts, AMissingRequiredOutputAfterAFailureStaysFailed) {
    EngineHarness h;
    h.runtime().on("produce", FakeStep().exit(2));
    auto r = h.run(pass_artifact("{name: out, path: /tmp/o/data}", "/in/data"));
    EXPECT_EQ(r.phase("wf.produce"), NodePhase::Failed);
    EXPECT_EQ(r.node("wf.produce").message, "Error (exit code 2)");
}

TEST(OutputArtifacts, MissingKfpMetricsAreOptionalEvenIfTheYamlSaysNot) {  // row 13
    EngineHarness h;
    auto r = h.run(workflow_yaml(R"(
  entrypoint: step
  templates:
  - name: step
    container: {image: busybox}
    outputs:
      artifacts:
      - {name: mlpipeline-metrics, path: /mlpipeline-metrics.json}
      - {name: mlpipeline-ui-metadata, path: /mlpipeline-ui-metadata.json}
)"));
    EXPECT_EQ(r.phase("wf"), NodePhase::Succeeded) << r.describe();
    EXPECT_TRUE(r.node("wf").outputs.artifacts.empty());
}

TEST(InputArtifacts, AreThePlacedProducersContentWhateverItsName) {  // row 14
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/o/result.txt", "content 14"));
    auto r = h.run(pass_artifact("{name: out, path: /tmp/o/result.txt}", "/in/x/data"));
    auto consume = h.runtime().spec("consume");
    ASSERT_EQ(consume.inputs.size(), 1u);
    EXPECT_EQ(consume.inputs[0].container_path, "/in/x/data");
    EXPECT_EQ(consume.inputs[0].artifact, r.node("wf.produce").outputs.artifact("out")->artifact);
    EXPECT_EQ(h.input_text(consume, "/in/x/data"), "content 14");
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
}

TEST(InputArtifacts, ADirectoryArrivesAsTheSameTree) {  // row 15
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/d/x", "1").file("/tmp/d/y", "2"));
    auto r = h.run(pass_artifact("{name: out, path: /tmp/d}", "/in/dir"));
    auto consume = h.runtime().spec("consume");
    ASSERT_EQ(consume.inputs.size(), 1u);
    EXPECT_EQ(consume.inputs[0].container_path, "/in/dir");
    EXPECT_TRUE(consume.inputs[0].artifact.is_directory());
    EXPECT_EQ(consume.inputs[0].artifact.file_count, 2u);
}

TEST(InputArtifacts, ArePlacedAtTheirFullPathWhateverItsParents) {  // row 16
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/o", "deep"));
    auto r = h.run(pass_artifact("{name: out, path: /tmp/o}", "/a/b/c/data"));
    auto consume = h.runtime().spec("consume");
    ASSERT_EQ(consume.inputs.size(), 1u);
    EXPECT_EQ(consume.inputs[0].container_path, "/a/b/c/data");
    EXPECT_EQ(h.input_text(consume, "/a/b/c/data"), "deep");
}

TEST(InputArtifacts, AnOptionalInputNotSuppliedIsNotPlacedAndTheStepRuns) {  // row 17
    EngineHarness h;
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: consume, template: consume}
  - name: consume
    inputs:
      artifacts:
      - {name: in, path: /in/data, optional: true}
    container: {image: busybox}
)"));
    EXPECT_EQ(r.phase("wf.consume"), NodePhase::Succeeded) << r.describe();
    EXPECT_TRUE(h.runtime().spec("consume").inputs.empty());
}

TEST(InputArtifacts, ARequiredInputNotSuppliedIsError) {
    EngineHarness h;
    auto r = h.run_unchecked(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: consume, template: consume}
  - name: consume
    inputs:
      artifacts:
      - {name: in, path: /in/data}
    container: {image: busybox}
)"));
    EXPECT_EQ(r.phase("wf.consume"), NodePhase::Error);
    EXPECT_NE(r.node("wf.consume").message.find("inputs.artifacts.in was not supplied"),
              std::string::npos)
        << r.node("wf.consume").message;
    EXPECT_EQ(h.runtime().steps().size(), 0u);
}

TEST(InputArtifacts, FromAnOptionalOutputThatWasNotProducedIsError) {  // row 18
    EngineHarness h;
    auto r = h.run(pass_artifact("{name: out, path: /tmp/o, optional: true}", "/in/data"));
    EXPECT_EQ(r.phase("wf.produce"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf.consume"), NodePhase::Error) << r.describe();
    EXPECT_NE(r.node("wf.consume").message.find("Unable to resolve"), std::string::npos)
        << r.node("wf.consume").message;
    EXPECT_EQ(h.runtime().count("consume"), 0);
}

TEST(InputArtifacts, AnOptionalArgumentThatCannotBeResolvedIsDropped) {
    EngineHarness h;
    auto yaml = pass_artifact("{name: out, path: /tmp/o, optional: true}", "/in/data",
                              "from: '{{tasks.produce.outputs.artifacts.out}}', optional: true");
    yaml.replace(yaml.find("{name: in, path: /in/data}"), 26,
                 "{name: in, path: /in/data, optional: true}");
    auto r = h.run(yaml);
    EXPECT_EQ(r.phase("wf.consume"), NodePhase::Succeeded) << r.describe();
    EXPECT_TRUE(h.runtime().spec("consume").inputs.empty());
}

TEST(RawArtifacts, ATaskArgumentIsWrittenExactlyAfterSubstitution) {  // row 19
    EngineHarness h;
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  arguments:
    parameters: [{name: p, value: v}]
  templates:
  - name: main
    inputs: {parameters: [{name: p}]}
    dag:
      tasks:
      - name: consume
        template: consume
        arguments:
          artifacts:
          - {name: in, raw: {data: '{{inputs.parameters.p}}'}}
  - name: consume
    inputs:
      artifacts:
      - {name: in, path: /in/raw}
    container: {image: busybox}
)"));
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.input_text(h.runtime().spec("consume"), "/in/raw"), "v");
}

TEST(RawArtifacts, ATemplateInputIsWrittenExactlyAfterSubstitution) {  // row 19
    EngineHarness h;
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: consume
        template: consume
        arguments: {parameters: [{name: p, value: v}]}
  - name: consume
    inputs:
      parameters: [{name: p}]
      artifacts:
      - {name: in, path: /in/raw, raw: {data: "{{inputs.parameters.p}}"}}
    container: {image: busybox}
)"));
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.input_text(h.runtime().spec("consume"), "/in/raw"), "v");
}

TEST(InputArtifacts, PassThroughADagsOwnInputs) {
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/o", "nested"));
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: produce, template: produce}
      - name: inner
        template: inner
        dependencies: [produce]
        arguments:
          artifacts: [{name: data, from: '{{tasks.produce.outputs.artifacts.out}}'}]
  - name: inner
    inputs: {artifacts: [{name: data}]}
    dag:
      tasks:
      - name: consume
        template: consume
        arguments:
          artifacts: [{name: in, from: '{{inputs.artifacts.data}}'}]
  - name: produce
    container: {image: busybox}
    outputs: {artifacts: [{name: out, path: /tmp/o}]}
  - name: consume
    inputs: {artifacts: [{name: in, path: /in/data}]}
    container: {image: busybox}
)"));
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.input_text(h.runtime().spec("consume"), "/in/data"), "nested");
}

TEST(OutputArtifacts, ADagExportsATasksArtifactWithFrom) {
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/o", "exported"));
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: inner, template: inner}
      - name: consume
        template: consume
        dependencies: [inner]
        arguments:
          artifacts: [{name: in, from: '{{tasks.inner.outputs.artifacts.result}}'}]
  - name: inner
    dag:
      tasks:
      - {name: produce, template: produce}
    outputs:
      artifacts: [{name: result, from: '{{tasks.produce.outputs.artifacts.out}}'}]
  - name: produce
    container: {image: busybox}
    outputs: {artifacts: [{name: out, path: /tmp/o}]}
  - name: consume
    inputs: {artifacts: [{name: in, path: /in/data}]}
    container: {image: busybox}
)"));
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.input_text(h.runtime().spec("consume"), "/in/data"), "exported");
}

TEST(OutputArtifacts, AreSavedEvenWhenTheStepFails) {
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/o/log", "partial").exit(1));
    auto r = h.run(pass_artifact("{name: out, path: /tmp/o/log}", "/in/log"));
    EXPECT_EQ(r.phase("wf.produce"), NodePhase::Failed);
    const auto* out = r.node("wf.produce").outputs.artifact("out");
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(h.read(out->artifact), "partial");
}
