// What a run leaves on the host, end to end (issue 16, findings 5, 9, 10): the artifacts folder
// holds copies whose links never lead out of their folder, editing a copy changes nothing a
// later run reads, and a link placed in the report folder is refused, never written through.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

class ExportedFiles : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
    }
    std::string pipeline() const {
        return KfrunProcess::fixture("tests/integration/pipelines/data/exported-files.yaml")
            .string();
    }
    KfrunProcess kfrun;
};

TEST_F(ExportedFiles, LinksOutOfAnExportedFolderBecomeNotes) {
    KfrunResult result = kfrun.run(pipeline());
    ASSERT_EQ(result.exit_code, 0) << result.output;
    const fs::path tree =
        result.report_dir / "artifacts" / result.step("make")["id"].get<std::string>() / "tree";
    ASSERT_TRUE(fs::is_directory(tree)) << result.output;
    EXPECT_FALSE(fs::is_symlink(tree / "root"));
    EXPECT_FALSE(fs::is_symlink(tree / "shadow"));
    EXPECT_NE(read_file(tree / "shadow").find("symbolic link to\n/etc/shadow\n"),
              std::string::npos);
    EXPECT_NE(read_file(tree / "root").find("symbolic link to\n/\n"), std::string::npos);
    EXPECT_TRUE(fs::is_symlink(tree / "same")) << "a link inside the folder stays a link";
    // No link anywhere in the run folder leads outside it.
    for (const auto& entry : fs::recursive_directory_iterator(result.report_dir)) {
        if (entry.is_symlink()) {
            const fs::path target = fs::read_symlink(entry.path());
            EXPECT_TRUE(target.is_relative()) << entry.path() << " -> " << target;
        }
    }
    // Private: the run folder, its artifacts and logs.
    EXPECT_EQ(fs::status(result.report_dir).permissions(), fs::perms::owner_all);
    EXPECT_EQ(fs::status(result.report_dir / "logs").permissions(), fs::perms::owner_all);
    EXPECT_EQ(fs::status(result.report_dir / "report.json").permissions(),
              fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(ExportedFiles, EditingAnExportedFileDoesNotChangeWhatTheNextRunReads) {
    KfrunResult first = kfrun.run(pipeline());
    ASSERT_EQ(first.exit_code, 0) << first.output;
    const fs::path copy =
        first.report_dir / "artifacts" / first.step("make")["id"].get<std::string>() / "file";
    ASSERT_EQ(read_file(copy), "original-bytes");
    fs::permissions(copy, fs::perms::owner_write, fs::perm_options::add);
    {
        std::ofstream out(copy, std::ios::binary | std::ios::in);  // in place, same size
        out << "EDITED!!-bytes";
    }
    KfrunResult second = kfrun.run(pipeline());
    ASSERT_EQ(second.exit_code, 0) << second.output;
    EXPECT_EQ(second.step("make")["cache"], "hit") << second.output;
    EXPECT_EQ(second.step("use")["outputs"]["parameters"]["seen"], "original-bytes")
        << second.output;
}

TEST_F(ExportedFiles, APreparedLinkInTheReportFolderIsNotWrittenThrough) {
    const fs::path report_dir = kfrun.work_dir() / "prepared";
    const fs::path target = kfrun.work_dir() / "victim.txt";
    { std::ofstream(target) << "victim\n"; }
    fs::create_directories(report_dir / "logs");
    fs::create_symlink(target, report_dir / "logs" / "steps.tsv");
    KfrunResult result =
        kfrun.exec({"run", pipeline(), "--no-color", "--data-dir", kfrun.data_dir().string(),
                    "--cache-dir", kfrun.cache_dir().string(), "--report-dir", report_dir.string(),
                    "--image-map-file", KfrunProcess::fixture("fixtures/image-map.txt").string()});
    EXPECT_EQ(read_file(target), "victim\n") << result.output;
    EXPECT_NE(result.output.find("symbolic link"), std::string::npos) << result.output;

    // A report folder that is itself a link: refused before anything runs.
    const fs::path linked = kfrun.work_dir() / "linked-report";
    fs::create_directories(kfrun.work_dir() / "elsewhere");
    fs::create_directory_symlink(kfrun.work_dir() / "elsewhere", linked);
    KfrunResult refused =
        kfrun.exec({"run", pipeline(), "--no-color", "--data-dir", kfrun.data_dir().string(),
                    "--report-dir", linked.string(), "--image-map-file",
                    KfrunProcess::fixture("fixtures/image-map.txt").string()});
    EXPECT_EQ(refused.exit_code, 3) << refused.output;
    EXPECT_NE(refused.output.find("is a symbolic link"), std::string::npos) << refused.output;
    EXPECT_TRUE(fs::is_empty(kfrun.work_dir() / "elsewhere"));
}

}  // namespace
}  // namespace kfrun::testing
