#include "report/artifact_export.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "report/run_files.hpp"
#include "report/run_reports.hpp"
#include "report_test_support.hpp"

namespace kfrun::report {
namespace {

TEST(ArtifactExport, CopiesFilesAndTreesNextToTheReport) {
    testing::StoreFixture fixture;
    nlohmann::json file = fixture.file_artifact("model", "weights", "/tmp/outputs/model");
    nlohmann::json dir =
        fixture.directory_artifact("logs", {{"a.txt", "A"}, {"sub/b.txt", "B"}}, "/tmp/logs");
    nlohmann::json report = testing::make_report({{{"outputs", {{"artifacts", {file, dir}}}}}});
    ArtifactExport exported = export_artifacts(report, fixture.store(), fixture.run_dir());
    EXPECT_TRUE(exported.warnings.empty());
    ASSERT_EQ(exported.artifacts.size(), 2u);
    EXPECT_EQ(exported.artifacts[0].relative_path, "artifacts/wf-abcde-100/model");
    EXPECT_FALSE(exported.artifacts[0].directory);
    EXPECT_TRUE(exported.artifacts[1].directory);
    EXPECT_EQ(testing::read_file(fixture.run_dir() / "artifacts/wf-abcde-100/model"), "weights");
    EXPECT_EQ(testing::read_file(fixture.run_dir() / "artifacts/wf-abcde-100/logs/sub/b.txt"), "B");
    // Same filesystem: the file is the store's blob, hard-linked.
    struct stat exported_stat {};
    struct stat blob_stat {};
    ASSERT_EQ(::stat((fixture.run_dir() / "artifacts/wf-abcde-100/model").c_str(), &exported_stat),
              0);
    ASSERT_EQ(::stat(fixture.store().blob_path(artifact_ref(file)).c_str(), &blob_stat), 0);
    EXPECT_EQ(exported_stat.st_ino, blob_stat.st_ino);
}

TEST(ArtifactExport, ExportingAgainReplacesTheCopies) {
    testing::StoreFixture fixture;
    nlohmann::json report = testing::make_report(
        {{{"outputs", {{"artifacts", {fixture.directory_artifact("d", {{"x", "1"}})}}}}}});
    export_artifacts(report, fixture.store(), fixture.run_dir());
    testing::write_file(fixture.run_dir() / "artifacts/wf-abcde-100/d/stray", "left over");
    ArtifactExport again = export_artifacts(report, fixture.store(), fixture.run_dir());
    EXPECT_TRUE(again.warnings.empty());
    EXPECT_FALSE(std::filesystem::exists(fixture.run_dir() / "artifacts/wf-abcde-100/d/stray"));
    EXPECT_EQ(testing::read_file(fixture.run_dir() / "artifacts/wf-abcde-100/d/x"), "1");
}

TEST(ArtifactExport, MissingBlobsAreWarningsNotErrors) {
    testing::StoreFixture fixture;
    nlohmann::json gone = {
        {"name", "gone"}, {"sha256", std::string(64, 'a')}, {"size", 3}, {"kind", "file"}};
    nlohmann::json report =
        testing::make_report({{{"outputs", {{"artifacts", {gone, {{"name", "no-digest"}}}}}}}});
    ArtifactExport exported = export_artifacts(report, fixture.store(), fixture.run_dir());
    EXPECT_TRUE(exported.artifacts.empty());
    ASSERT_EQ(exported.warnings.size(), 1u);
    EXPECT_NE(exported.warnings[0].find("not in the artifact store"), std::string::npos);
}

TEST(ArtifactExport, HostileNamesStayInsideTheRunDirectory) {
    testing::StoreFixture fixture;
    nlohmann::json file = fixture.file_artifact("../../../escape", "x");
    nlohmann::json report =
        testing::make_report({{{"id", "../../up"}, {"outputs", {{"artifacts", {file}}}}}});
    ArtifactExport exported = export_artifacts(report, fixture.store(), fixture.run_dir());
    ASSERT_EQ(exported.artifacts.size(), 1u);
    EXPECT_EQ(exported.artifacts[0].relative_path, "artifacts/.._.._up/.._.._.._escape");
    EXPECT_TRUE(std::filesystem::exists(fixture.run_dir() / exported.artifacts[0].relative_path));
}

TEST(ArtifactExport, LinksInsideADirectoryAreNotFollowedByViewers) {
    testing::StoreFixture fixture;
    std::filesystem::path source = fixture.dir() / "linked/out";
    testing::write_file(source / "real.csv", "1,2\n");
    std::filesystem::create_directory_symlink("/etc", source / "etc");
    std::filesystem::create_symlink("/etc/hostname", source / "host.csv");
    auto ref = fixture.store().ingest_path(source);
    ASSERT_TRUE(ref) << ref.error().to_string();
    nlohmann::json dir = {{"name", "out"},       {"sha256", ref->digest},    {"size", ref->size},
                          {"kind", "directory"}, {"files", ref->file_count}, {"path", "/out"}};
    nlohmann::json report = testing::make_report({{{"outputs", {{"artifacts", {dir}}}}}});
    ArtifactExport exported = export_artifacts(report, fixture.store(), fixture.run_dir());
    ASSERT_EQ(exported.artifacts.size(), 1u)
        << (exported.warnings.empty() ? "" : exported.warnings[0]);
    RunFiles files(fixture.run_dir(), &fixture.store(), exported.artifacts);
    EXPECT_TRUE(files.read_exported_file(exported.artifacts[0], "real.csv", 1024));
    EXPECT_FALSE(files.read_exported_file(exported.artifacts[0], "host.csv", 1024));
    EXPECT_FALSE(files.read_exported_file(exported.artifacts[0], "etc/hostname", 1024));
    EXPECT_FALSE(files.read_exported_file(exported.artifacts[0], "../../report.json", 1024));
}

TEST(WriteRunReports, WritesTheThreeFilesAndTheArtifacts) {
    testing::StoreFixture fixture;
    nlohmann::json meta = fixture.file_artifact(
        "mlpipeline-ui-metadata",
        R"({"outputs":[{"type":"table","header":["a"],"source":"/tmp/t.csv"}]})", "/tmp/meta");
    nlohmann::json table = fixture.file_artifact("t", "7\n8\n", "/tmp/t.csv");
    nlohmann::json report = testing::make_report(
        {{{"outputs", {{"artifacts", {meta, table}}}},
          {"uiMetadata", {{{"type", "table"}, {"header", {"a"}}, {"source", "/tmp/t.csv"}}}}}});
    auto written = write_run_reports(report, fixture.store(), fixture.run_dir());
    ASSERT_TRUE(written) << written.error().to_string();
    EXPECT_EQ(written->html, fixture.run_dir() / "report.html");
    std::string html = testing::read_file(written->html);
    EXPECT_NE(html.find("<td class=\"num\">8</td>"), std::string::npos);  // read from the store
    EXPECT_EQ(testing::xml_problem(testing::read_file(written->junit)), "");
    EXPECT_NE(testing::read_file(written->summary).find("### "), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(fixture.run_dir() / "artifacts/wf-abcde-100/t"));
    for (const auto& entry : std::filesystem::directory_iterator(fixture.run_dir())) {
        EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos);
    }
}

TEST(WriteRunReports, FailsWhenTheRunDirectoryCannotBeWritten) {
    testing::StoreFixture fixture;
    testing::write_file(fixture.dir() / "not-a-dir", "x");
    auto written =
        write_run_reports(testing::make_report({}), fixture.store(), fixture.dir() / "not-a-dir");
    EXPECT_FALSE(written);
}

}  // namespace
}  // namespace kfrun::report
