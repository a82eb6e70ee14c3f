#include "report/artifact_export.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

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
    // A copy, never the store's blob: editing it must not change what later steps read.
    struct stat exported_stat {};
    struct stat blob_stat {};
    ASSERT_EQ(::stat((fixture.run_dir() / "artifacts/wf-abcde-100/model").c_str(), &exported_stat),
              0);
    ASSERT_EQ(::stat(fixture.store().blob_path(artifact_ref(file)).c_str(), &blob_stat), 0);
    EXPECT_NE(exported_stat.st_ino, blob_stat.st_ino);
    EXPECT_EQ(exported_stat.st_mode & 0777, 0600u);
    EXPECT_EQ(std::filesystem::status(fixture.run_dir() / "artifacts").permissions(),
              std::filesystem::perms::owner_all);
}

TEST(ArtifactExport, EditingAnExportedFileLeavesTheStoredBytes) {
    testing::StoreFixture fixture;
    nlohmann::json file = fixture.file_artifact("model", "weights");
    nlohmann::json report = testing::make_report({{{"outputs", {{"artifacts", {file}}}}}});
    export_artifacts(report, fixture.store(), fixture.run_dir());
    const std::filesystem::path copy = fixture.run_dir() / "artifacts/wf-abcde-100/model";
    std::filesystem::permissions(copy, std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    testing::write_file(copy, "EDITED!");  // same size, written in place
    engine::ArtifactRef ref = artifact_ref(file);
    EXPECT_TRUE(fixture.store().contains(ref, true));
    EXPECT_EQ(*fixture.store().read_text(ref, 100), "weights");
}

TEST(ArtifactExport, ADamagedBlobIsNotExportedAndLeavesTheStore) {
    testing::StoreFixture fixture;
    nlohmann::json file = fixture.file_artifact("model", "weights");
    engine::ArtifactRef ref = artifact_ref(file);
    const std::filesystem::path blob = fixture.store().blob_path(ref);
    std::filesystem::permissions(blob, std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    testing::write_file(blob, "WEIGHTS");
    nlohmann::json report = testing::make_report({{{"outputs", {{"artifacts", {file}}}}}});
    ArtifactExport exported = export_artifacts(report, fixture.store(), fixture.run_dir());
    EXPECT_TRUE(exported.artifacts.empty());
    ASSERT_EQ(exported.warnings.size(), 1u);
    EXPECT_NE(exported.warnings[0].find("damaged"), std::string::npos) << exported.warnings[0];
    EXPECT_FALSE(std::filesystem::exists(fixture.run_dir() / "artifacts/wf-abcde-100/model"));
    EXPECT_FALSE(fixture.store().contains(ref, false));
}

TEST(ArtifactExport, LinksLeavingAnExportedDirectoryBecomeNotes) {
    testing::StoreFixture fixture;
    std::filesystem::path source = fixture.dir() / "made/out";
    testing::write_file(source / "data.txt", "d");
    std::filesystem::create_directory_symlink("/", source / "root");
    std::filesystem::create_symlink("/etc/shadow", source / "shadow");
    std::filesystem::create_symlink("data.txt", source / "same");
    auto ref = fixture.store().ingest_path(source);
    ASSERT_TRUE(ref) << ref.error().to_string();
    nlohmann::json dir = {{"name", "out"},       {"sha256", ref->digest},    {"size", ref->size},
                          {"kind", "directory"}, {"files", ref->file_count}, {"path", "/out"}};
    nlohmann::json report = testing::make_report({{{"outputs", {{"artifacts", {dir}}}}}});
    ArtifactExport exported = export_artifacts(report, fixture.store(), fixture.run_dir());
    ASSERT_EQ(exported.artifacts.size(), 1u);
    const std::filesystem::path out = fixture.run_dir() / "artifacts/wf-abcde-100/out";
    EXPECT_FALSE(std::filesystem::is_symlink(out / "root"));
    EXPECT_FALSE(std::filesystem::is_symlink(out / "shadow"));
    EXPECT_NE(testing::read_file(out / "shadow").find("symbolic link to\n/etc/shadow\n"),
              std::string::npos);
    EXPECT_NE(testing::read_file(out / "root").find("symbolic link to\n/\n"), std::string::npos);
    EXPECT_TRUE(std::filesystem::is_symlink(out / "same"));
}

TEST(ArtifactExport, APreparedLinkInTheRunFolderIsNotFollowed) {
    testing::StoreFixture fixture;
    const std::filesystem::path elsewhere = fixture.dir() / "elsewhere";
    std::filesystem::create_directories(elsewhere);
    std::filesystem::create_directories(fixture.run_dir());
    std::filesystem::create_directory_symlink(elsewhere, fixture.run_dir() / "artifacts");
    nlohmann::json report = testing::make_report(
        {{{"outputs", {{"artifacts", {fixture.file_artifact("model", "weights")}}}}}});
    ArtifactExport exported = export_artifacts(report, fixture.store(), fixture.run_dir());
    EXPECT_TRUE(exported.artifacts.empty());
    ASSERT_EQ(exported.warnings.size(), 1u);
    EXPECT_NE(exported.warnings[0].find("symbolic link"), std::string::npos)
        << exported.warnings[0];
    EXPECT_TRUE(std::filesystem::is_empty(elsewhere));
}

TEST(WriteFileAtomically, NeverWritesThroughALinkAndIsPrivate) {
    testing::StoreFixture fixture;
    std::filesystem::create_directories(fixture.run_dir());
    const std::filesystem::path target = fixture.dir() / "target";
    testing::write_file(target, "untouched");
    // The old temp name was predictable: report.json.tmp.<pid>.
    std::filesystem::create_symlink(
        target, fixture.run_dir() / ("summary.md.tmp." + std::to_string(::getpid())));
    std::filesystem::create_symlink(target, fixture.run_dir() / "report.html");
    ASSERT_TRUE(write_file_atomically(fixture.run_dir() / "summary.md", "# summary\n"));
    ASSERT_TRUE(write_file_atomically(fixture.run_dir() / "report.html", "<html>"));
    EXPECT_EQ(testing::read_file(target), "untouched");
    EXPECT_FALSE(std::filesystem::is_symlink(fixture.run_dir() / "report.html"));
    EXPECT_EQ(testing::read_file(fixture.run_dir() / "report.html"), "<html>");
    EXPECT_EQ(std::filesystem::status(fixture.run_dir() / "summary.md").permissions(),
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    // A run folder that is itself a link is refused.
    std::filesystem::create_directory_symlink(fixture.dir() / "elsewhere2", fixture.dir() / "run2");
    std::filesystem::create_directories(fixture.dir() / "elsewhere2");
    auto refused = write_file_atomically(fixture.dir() / "run2" / "report.json", "{}");
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("symbolic link"), std::string::npos);
    EXPECT_TRUE(std::filesystem::is_empty(fixture.dir() / "elsewhere2"));
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
    // host.csv was a link out of the tree: exported as a note saying so, not the host's file.
    auto host = files.read_exported_file(exported.artifacts[0], "host.csv", 1024);
    EXPECT_TRUE(!host || host->find("symbolic link to\n/etc/hostname") != std::string::npos);
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
        EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos);
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
