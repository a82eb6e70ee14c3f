#include "report/source_uri.hpp"

#include <gtest/gtest.h>

#include "report/artifact_export.hpp"
#include "report_test_support.hpp"

namespace kfrun::report {
namespace {

TEST(StorageUri, ParsesMinioS3AndGs) {
    auto uri = parse_storage_uri("minio://mlpipeline/artifacts/wf/pod/x.tgz");
    ASSERT_TRUE(uri);
    EXPECT_EQ(uri->scheme, "minio");
    EXPECT_EQ(uri->bucket, "mlpipeline");
    EXPECT_EQ(uri->key, "artifacts/wf/pod/x.tgz");
    EXPECT_TRUE(parse_storage_uri("S3://b/k"));
    EXPECT_TRUE(parse_storage_uri("gs://b"));
    EXPECT_FALSE(parse_storage_uri("https://example.com/x"));
    EXPECT_FALSE(parse_storage_uri("gs:///no-bucket"));
    EXPECT_FALSE(parse_storage_uri("/tmp/outputs/x"));
}

class SourceMatch : public ::testing::Test {
  protected:
    SourceMatch() {
        nlohmann::json producer = {{"template", "train"},
                                   {"outputs",
                                    {{"artifacts",
                                      {{{"name", "mlpipeline-ui-metadata"},
                                        {"path", "/tmp/outputs/meta/data"},
                                        {"sha256", "aa"},
                                        {"kind", "file"}},
                                       {{"name", "train-model"},
                                        {"path", "/tmp/outputs/model"},
                                        {"sha256", "bb"},
                                        {"kind", "directory"}},
                                       {{"name", "shared-name"},
                                        {"path", "/tmp/a"},
                                        {"sha256", "cc"},
                                        {"kind", "file"}}}}}}};
        nlohmann::json other = {{"template", "eval"},
                                {"outputs",
                                 {{"artifacts",
                                   {{{"name", "eval-table"},
                                     {"path", "/tmp/t.csv"},
                                     {"sha256", "dd"},
                                     {"kind", "file"}},
                                    {{"name", "shared-name"},
                                     {"path", "/tmp/b"},
                                     {"sha256", "ee"},
                                     {"kind", "file"}}}}}}};
        m_report = testing::make_report({producer, other});
        m_run = std::make_unique<RunView>(m_report);
    }
    const StepInfo& producer() { return m_run->steps()[0]; }
    const StepInfo& other() { return m_run->steps()[1]; }
    std::optional<ArtifactMatch> match(const StepInfo& step, const std::string& source) {
        return match_source(*m_run, step, source);
    }

    nlohmann::json m_report;
    std::unique_ptr<RunView> m_run;
};

TEST_F(SourceMatch, AContainerPathOfTheStepsOwnOutputs) {
    auto found = match(producer(), "/tmp/outputs/meta/data");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->step, &producer());
    EXPECT_EQ((*found->artifact)["name"], "mlpipeline-ui-metadata");
    EXPECT_TRUE(found->sub_path.empty());
    EXPECT_FALSE(match(other(), "/tmp/outputs/meta/data"));  // not that step's output
}

TEST_F(SourceMatch, AFileInsideADirectoryOutput) {
    auto found = match(producer(), "/tmp/outputs/model/logs/events.1");
    ASSERT_TRUE(found);
    EXPECT_EQ((*found->artifact)["name"], "train-model");
    EXPECT_EQ(found->sub_path, "logs/events.1");
    EXPECT_TRUE(match(producer(), "/tmp/outputs/model/"));
}

TEST_F(SourceMatch, KfpKeysNamingThePod) {
    // Pod names v1 (the node ID) and v2 (<workflow>-<template>-<hash>).
    auto v1 = match(other(), "minio://mlpipeline/artifacts/wf-abcde/wf-abcde-100/train-model.tgz");
    ASSERT_TRUE(v1);
    EXPECT_EQ(v1->step, &producer());
    EXPECT_EQ((*v1->artifact)["name"], "train-model");
    auto v2 = match(other(), "s3://mlpipeline/runs/run-1234/wf-abcde-train-100/shared-name.tgz");
    ASSERT_TRUE(v2);
    EXPECT_EQ(v2->step, &producer());
    EXPECT_EQ((*v2->artifact)["sha256"], "cc");
    // Our pod, but no such artifact: no guessing by name.
    EXPECT_FALSE(
        match(other(), "minio://mlpipeline/artifacts/wf-abcde/wf-abcde-100/eval-table.tgz"));
}

TEST_F(SourceMatch, ABareArtifactName) {
    auto own = match(other(), "gs://bucket/somewhere/shared-name.tgz");
    ASSERT_TRUE(own);
    EXPECT_EQ(own->step, &other());  // the step's own output first
    auto unique = match(producer(), "gs://bucket/x/eval-table");
    ASSERT_TRUE(unique);
    EXPECT_EQ(unique->step, &other());
    EXPECT_FALSE(match(m_run->steps()[0], "gs://bucket/x/unknown.tgz"));
}

TEST_F(SourceMatch, AmbiguousWildcardAndForeignSourcesDoNotMatch) {
    nlohmann::json third = {
        {"outputs", {{"artifacts", {{{"name", "eval-table"}, {"sha256", "ff"}}}}}}};
    nlohmann::json report =
        testing::make_report({m_report["steps"][0], m_report["steps"][1], third});
    RunView run(report);
    EXPECT_FALSE(match_source(run, run.steps()[0], "s3://b/eval-table.tgz"));  // in two steps
    EXPECT_FALSE(match(producer(), "gs://b/*/train-model.tgz"));
    EXPECT_FALSE(match(producer(), "https://example.com/train-model"));
    EXPECT_FALSE(match(producer(), "volume://v/train-model"));
}

TEST(ResolveSource, InlineIsTheData) {
    nlohmann::json report = testing::make_report({{}});
    RunView run(report);
    RunFiles files("/nonexistent", nullptr);
    ResolvedSource source =
        resolve_source(run, run.steps()[0],
                       {{"type", "markdown"}, {"storage", "inline"}, {"source", "# hi"}}, files);
    EXPECT_TRUE(source.available);
    EXPECT_EQ(source.data, "# hi");
    EXPECT_EQ(source.origin, "inline");
}

TEST(ResolveSource, ReadsTheStoredBlobOfAMatchedArtifact) {
    testing::StoreFixture fixture;
    nlohmann::json table =
        fixture.file_artifact("eval-table", "1,2\n3,4\n", "/tmp/outputs/table.csv");
    nlohmann::json step = {{"outputs", {{"artifacts", {table}}}}};
    nlohmann::json report = testing::make_report({step});
    RunView run(report);
    RunFiles files(fixture.run_dir(), &fixture.store());
    ResolvedSource by_path = resolve_source(
        run, run.steps()[0], {{"type", "table"}, {"source", "/tmp/outputs/table.csv"}}, files);
    EXPECT_TRUE(by_path.available) << by_path.notice;
    EXPECT_EQ(by_path.data, "1,2\n3,4\n");
    ResolvedSource by_key = resolve_source(
        run, run.steps()[0],
        {{"type", "table"},
         {"source", "minio://mlpipeline/artifacts/wf-abcde/wf-abcde-100/eval-table.tgz"}},
        files);
    EXPECT_TRUE(by_key.available) << by_key.notice;
    EXPECT_EQ(by_key.data, "1,2\n3,4\n");
}

TEST(ResolveSource, ReadsAFileOfAnExportedDirectoryButNotThroughLinks) {
    testing::StoreFixture fixture;
    nlohmann::json dir =
        fixture.directory_artifact("report-dir", {{"sub/table.csv", "a,b\n"}}, "/tmp/outputs/dir");
    nlohmann::json report = testing::make_report({{{"outputs", {{"artifacts", {dir}}}}}});
    ArtifactExport exported = export_artifacts(report, fixture.store(), fixture.run_dir());
    ASSERT_EQ(exported.artifacts.size(), 1u);
    RunView run(report);
    RunFiles files(fixture.run_dir(), &fixture.store(), exported.artifacts);
    ResolvedSource inside =
        resolve_source(run, run.steps()[0],
                       {{"type", "table"}, {"source", "/tmp/outputs/dir/sub/table.csv"}}, files);
    EXPECT_TRUE(inside.available) << inside.notice;
    EXPECT_EQ(inside.data, "a,b\n");
    ResolvedSource escape = resolve_source(
        run, run.steps()[0],
        {{"type", "table"}, {"source", "/tmp/outputs/dir/../../../etc/passwd"}}, files);
    EXPECT_FALSE(escape.available);
    ResolvedSource whole = resolve_source(
        run, run.steps()[0], {{"type", "table"}, {"source", "/tmp/outputs/dir"}}, files);
    EXPECT_FALSE(whole.available);
    EXPECT_NE(whole.notice.find("directory"), std::string::npos);
    ResolvedSource logs = resolve_source(
        run, run.steps()[0], {{"type", "tensorboard"}, {"source", "/tmp/outputs/dir"}}, files);
    EXPECT_TRUE(logs.available);
    EXPECT_EQ(logs.local_path, exported.artifacts[0].relative_path);
}

TEST(ResolveSource, UnknownSourcesExplainWhy) {
    nlohmann::json report = testing::make_report({{}});
    RunView run(report);
    RunFiles files("/nonexistent", nullptr);
    auto notice = [&](const std::string& uri) {
        ResolvedSource source =
            resolve_source(run, run.steps()[0], {{"type", "table"}, {"source", uri}}, files);
        EXPECT_FALSE(source.available) << uri;
        EXPECT_EQ(source.uri, uri);
        return source.notice;
    };
    EXPECT_NE(notice("gs://b/eval/predictions-*.csv").find("wildcard"), std::string::npos);
    EXPECT_NE(notice("/tmp/outputs/logs").find("not one of its output artifacts"),
              std::string::npos);
    EXPECT_NE(notice("https://example.com/x.csv").find("not available offline"), std::string::npos);
    ResolvedSource missing = resolve_source(run, run.steps()[0], {{"type", "table"}}, files);
    EXPECT_FALSE(missing.available);
    EXPECT_NE(missing.notice.find("no `source`"), std::string::npos);
}

}  // namespace
}  // namespace kfrun::report
