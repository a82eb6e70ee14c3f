// KFP v2 importers (issue 17, checklist rows 78–79): where a URI is read on this host
// (--artifact-map, --allow-host-path), and an importer node in a run: no container, the
// artifact stored with the URI, type and metadata the backend records, a consumer reading it.
#include <gtest/gtest.h>

#include <fstream>

#include "engine/importer_source.hpp"
#include "engine/run_preflight.hpp"
#include "support/engine_harness.hpp"
#include "support/temp_dir.hpp"
#include "support/workflow_yaml.hpp"

namespace kfrun::engine {
namespace {

using test_support::EngineHarness;

std::vector<ArtifactMapping> maps() {
    return {{"gs://bucket", "/data/bucket"},
            {"gs://bucket/models", "/data/models"},
            {"s3://b/", "/data/s3"}};
}

TEST(ImporterSource, ARemoteUriIsReadFromTheFolderOfItsLongestMappedPrefix) {
    auto a = importer_source("gs://bucket/sets/a.csv", maps(), {});
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_EQ(a->root, "/data/bucket");
    EXPECT_EQ(a->relative, "sets/a.csv");
    auto m = importer_source("gs://bucket/models/m1", maps(), {});
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->root, "/data/models");
    EXPECT_EQ(m->relative, "m1");
    auto whole = importer_source("gs://bucket", maps(), {});
    ASSERT_TRUE(whole.ok());
    EXPECT_EQ(whole->relative, "");
    auto s3 = importer_source("s3://b/x//y/./z", maps(), {});
    ASSERT_TRUE(s3.ok());
    EXPECT_EQ(s3->relative, "x/y/z");
}

TEST(ImporterSource, APrefixMatchesAtAPathBoundaryOnly) {
    auto other = importer_source("gs://bucket2/x", maps(), {});
    ASSERT_FALSE(other.ok());
    EXPECT_NE(other.error().message.find("--artifact-map gs://bucket2=DIR"), std::string::npos)
        << other.error().message;
}

TEST(ImporterSource, Row79_AnUnmappedRemoteUriNamesTheFlagThatMapsIt) {
    auto r = importer_source("gs://ml-pipeline-playground/shakespeare1.txt", {}, {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, base::ErrorKind::Input);
    EXPECT_EQ(r.error().message,
              "importer URI `gs://ml-pipeline-playground/shakespeare1.txt` is not on this "
              "machine: map its prefix to a local folder with --artifact-map "
              "gs://ml-pipeline-playground=DIR (kfrun then reads DIR/shakespeare1.txt)");
    EXPECT_FALSE(importer_source("https://example.com/x", {}, {}).ok());
}

TEST(ImporterSource, ADotDotComponentNeverLeavesTheMappedFolder) {
    auto r = importer_source("gs://bucket/../../etc/shadow", maps(), {});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("`..`"), std::string::npos);
    std::vector<HostPathGrant> grants = {{"/data", false}};
    EXPECT_FALSE(importer_source("/data/../etc/shadow", {}, grants).ok());
    EXPECT_FALSE(importer_source("file:///data/x/../../etc/shadow", {}, grants).ok());
}

TEST(ImporterSource, ALocalPathNeedsAnAllowHostPathGrant) {
    auto refused = importer_source("/home/me/data.csv", {}, {});
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("--allow-host-path /home/me/data.csv"),
              std::string::npos)
        << refused.error().message;
    std::vector<HostPathGrant> grants = {{"/home/me", false}};
    auto path = importer_source("/home/me/data.csv", {}, grants);
    ASSERT_TRUE(path.ok());
    EXPECT_EQ(path->root, "/home/me");
    EXPECT_EQ(path->relative, "data.csv");
    auto file = importer_source("file:///home/me/sets/a", {}, grants);
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file->relative, "sets/a");
    EXPECT_FALSE(importer_source("file://host/home/me/a", {}, grants).ok());
    EXPECT_FALSE(importer_source("/home/meX/a", {}, grants).ok());  // a prefix is not a parent
}

TEST(ImporterSource, HostileUrisAreRefusedWithABoundedMessage) {
    EXPECT_FALSE(importer_source("", {}, {}).ok());
    EXPECT_FALSE(importer_source("relative/path", {}, {}).ok());
    EXPECT_FALSE(importer_source("gs://bucket/a\nb", maps(), {}).ok());
    auto huge = importer_source("gs://x/" + std::string(100000, 'a'), {}, {});
    ASSERT_FALSE(huge.ok());
    EXPECT_LT(huge.error().message.size(), 600u);
    EXPECT_EQ(imported_local_path("file:///data/x"), "/data/x");
    EXPECT_EQ(imported_local_path("/data/x"), "/data/x");
    EXPECT_EQ(imported_local_path("gs://b/x"), "");
    // What a producer's executor_output.json may set is no mount target in the consumer.
    for (const char* uri : {"/", "file:///", "/a/..", "/a//b", "/proc/self", "/dev", "/sys/x"}) {
        EXPECT_EQ(imported_local_path(uri), "") << uri;
    }
}

// imp (an Importer of `uri`) → c (an Argo container reading the artifact at /in/a).
model::Workflow importer_pipeline(EngineHarness& h, const std::string& uri) {
    model::Workflow wf = h.load(test_support::workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: imp
        template: imp
      - name: c
        template: c
        dependencies: [imp]
        arguments:
          artifacts:
          - {name: a, from: '{{tasks.imp.outputs.artifacts.artifact}}'}
  - name: imp
    container: {image: none}
  - name: c
    inputs:
      artifacts:
      - {name: a, path: /in/a}
    container: {image: busybox, command: [cat, /in/a]}
)"));
    for (model::Template& tmpl : wf.templates) {
        if (tmpl.name == "imp") {
            tmpl.kind = model::Template::Kind::Importer;
            tmpl.container = {};
            tmpl.importer.uri = uri;
            model::Artifact out;
            out.name = "artifact";
            out.schema_title = "system.Dataset";
            out.schema_version = "0.0.1";
            out.metadata = {{"name", "{{$.inputs.parameters['n']}}"}};
            tmpl.outputs.artifacts.push_back(out);
        }
    }
    return wf;
}

TEST(Importer, Row78_AMappedUriIsStoredAndAConsumerReadsItWithTheUriAndMetadataAsWritten) {
    test_support::TempDir dir("kfrun-importer");
    std::filesystem::create_directories(dir.path() / "sets");
    std::ofstream(dir.path() / "sets" / "a.csv") << "x,y\n";
    EngineHarness h;
    h.options().artifact_map = {{"gs://b", dir.path()}};
    auto r = h.run_model(importer_pipeline(h, "gs://b/sets/a.csv"));
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.runtime().count("imp"), 0);  // no container
    const NamedArtifact& out = r.node("wf.imp").outputs.artifacts.at(0);
    ASSERT_TRUE(out.artifact.typed);
    EXPECT_EQ(out.artifact.typed->uri, "gs://b/sets/a.csv");
    EXPECT_EQ(out.artifact.typed->schema_title, "system.Dataset");
    EXPECT_EQ(out.artifact.typed->metadata, R"({"name":"{{$.inputs.parameters['n']}}"})");
    EXPECT_EQ(h.read(out.artifact), "x,y\n");
    EXPECT_EQ(h.input_text(h.runtime().spec("c"), "/in/a"), "x,y\n");
}

TEST(Importer, Row79_AnUnreadableUriFailsTheTaskAndTheConsumerNeverRuns) {
    EngineHarness h;
    auto r = h.run_model(importer_pipeline(h, "gs://nowhere/x"));
    EXPECT_EQ(r.phase("wf.imp"), NodePhase::Failed) << r.describe();
    EXPECT_NE(r.node("wf.imp").message.find("--artifact-map gs://nowhere=DIR"), std::string::npos);
    EXPECT_EQ(h.runtime().count("c"), 0);
}

TEST(Importer, ThePreflightRefusesAWrittenOutUriThatCannotBeReadBeforeAnythingStarts) {
    EngineHarness h;
    RunOptions options;
    auto refused = check_run_options(importer_pipeline(h, "gs://nowhere/x"), options);
    ASSERT_EQ(refused.size(), 1u);
    EXPECT_NE(refused[0].message.find("--artifact-map"), std::string::npos);
    options.dry_run = true;  // a dry run predicts the refusal
    EXPECT_EQ(check_run_options(importer_pipeline(h, "gs://nowhere/x"), options).size(), 1u);
    options.dry_run = false;
    options.artifact_map = {{"gs://nowhere", "/tmp"}};
    EXPECT_TRUE(check_run_options(importer_pipeline(h, "gs://nowhere/x"), options).empty());
    // From an input: judged when the importer runs.
    EXPECT_TRUE(
        check_run_options(importer_pipeline(h, "{{inputs.parameters.uri}}"), RunOptions{}).empty());
}

}  // namespace
}  // namespace kfrun::engine
