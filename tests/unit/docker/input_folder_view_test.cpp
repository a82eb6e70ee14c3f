#include "docker/input_folder_view.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace kfrun::docker {
namespace {

namespace fs = std::filesystem;
using Kind = FolderEntry::Kind;

// Two staged input folders as StepRun lays them out (`inputs/<i>/<leaf>`), bind-mounted at
// /tmp/kfp and /minio/root, plus a file input at /in/data, and a host folder outside them that
// a step's link may point at.
class InputFolderViewTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_base = fs::temp_directory_path() /
                 ("kfrun-input-folders-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_base);
        fs::create_directories(m_base / "inputs/0/kfp/outputs");
        fs::create_directories(m_base / "inputs/1/root/task");
        fs::create_directories(m_base / "inputs/2");
        fs::create_directories(m_base / "host");
        write(m_base / "inputs/2/data", "input");
        write(m_base / "host/secret", "host secret");
        m_binds = {{m_base / "inputs/0/kfp", "/tmp/kfp"},
                   {m_base / "inputs/1/root", "/minio/root"},
                   {m_base / "inputs/2/data", "/in/data"}};
        m_mounts = {"/tmp/kfp", "/minio/root", "/in/data"};
    }
    void TearDown() override { fs::remove_all(m_base); }

    static void write(const fs::path& path, const std::string& text) {
        std::ofstream(path) << text;
    }
    static std::string read(const fs::path& path) {
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
    InputFolderView view() const { return InputFolderView(m_binds, m_mounts); }
    fs::path folder(const char* relative) const { return m_base / "inputs" / relative; }

    fs::path m_base;
    std::vector<InputBind> m_binds;
    std::vector<std::string> m_mounts;
};

TEST_F(InputFolderViewTest, FindsFilesAndDirectoriesTheStepWroteInAnInputFolder) {
    write(folder("0/kfp/outputs/out"), "x.");
    fs::create_directories(folder("1/root/task/model"));
    const auto file = view().locate("/tmp/kfp/outputs/out");
    ASSERT_EQ(file.kind, Kind::File) << file.reason;
    EXPECT_EQ(read(file.host_path), "x.");
    const auto dir = view().locate("/minio/root/task/model");
    ASSERT_EQ(dir.kind, Kind::Directory) << dir.reason;
    EXPECT_TRUE(fs::is_directory(dir.host_path));
    EXPECT_EQ(view().locate("/tmp/kfp").kind, Kind::Directory) << "the bind's own folder";
    const auto input = view().locate("/in/data");
    ASSERT_EQ(input.kind, Kind::File) << "a file input, the bind's own source";
    EXPECT_EQ(input.host_path, folder("2/data"));
}

TEST_F(InputFolderViewTest, MissingIsCertainInsideAFolder) {
    EXPECT_EQ(view().locate("/tmp/kfp/outputs/never").kind, Kind::Missing);
    EXPECT_EQ(view().locate("/minio/root/task/no/such/file").kind, Kind::Missing);
}

TEST_F(InputFolderViewTest, PathsOutsideTheInputFoldersAreLeftToTheOtherReaders) {
    EXPECT_EQ(view().locate("/tmp/out").kind, Kind::Unresolved);
    EXPECT_EQ(view().locate("/tmp").kind, Kind::Unresolved) << "above a bind";
    EXPECT_EQ(view().locate("/minio").kind, Kind::Unresolved);
    EXPECT_EQ(view().locate("/in/data/x").kind, Kind::Unresolved) << "below a file input";
    EXPECT_EQ(view().locate("/tmp/kfp/../kfp/outputs/out").kind, Kind::Unresolved);
    EXPECT_EQ(view().locate("relative/path").kind, Kind::Unresolved);
    EXPECT_EQ(InputFolderView(m_binds, {}).locate("/tmp/kfp/outputs").kind, Kind::Unresolved)
        << "a bind the container does not show as a mount";
}

TEST_F(InputFolderViewTest, AnotherMountAtOrBelowThePathDecides) {
    write(folder("0/kfp/outputs/out"), "x.");
    m_mounts.push_back("/tmp/kfp/outputs");  // a volume over the folder
    EXPECT_EQ(view().locate("/tmp/kfp/outputs/out").kind, Kind::Unresolved);
    EXPECT_EQ(view().locate("/tmp/kfp").kind, Kind::Unresolved) << "a mount is inside";
    m_mounts.pop_back();
    m_mounts.push_back("/minio/root/task/vol/");
    EXPECT_EQ(view().locate("/minio/root/task").kind, Kind::Unresolved);
    EXPECT_EQ(view().locate("/tmp/kfp/outputs/out").kind, Kind::File);
    // An input folder at /etc: Docker's /etc/hosts is mounted over it.
    fs::create_directories(m_base / "inputs/3/etc");
    write(m_base / "inputs/3/etc/hosts", "staged");
    m_binds.push_back({m_base / "inputs/3/etc", "/etc"});
    m_mounts.push_back("/etc");
    EXPECT_EQ(view().locate("/etc/hosts").kind, Kind::Unresolved);
}

TEST_F(InputFolderViewTest, LinksTheStepPlantedAreNeverFollowedOnTheHost) {
    fs::create_symlink(m_base / "host", folder("0/kfp/outputs/dir"));
    fs::create_symlink(m_base / "host/secret", folder("0/kfp/outputs/leak"));
    fs::create_symlink("/", folder("1/root/task/rootfs"));
    EXPECT_EQ(view().locate("/tmp/kfp/outputs/dir/secret").kind, Kind::Unresolved);
    EXPECT_EQ(view().locate("/tmp/kfp/outputs/dir").kind, Kind::Unresolved);
    EXPECT_EQ(view().locate("/tmp/kfp/outputs/leak").kind, Kind::Unresolved);
    EXPECT_EQ(view().locate("/minio/root/task/rootfs/etc/passwd").kind, Kind::Unresolved);
}

TEST_F(InputFolderViewTest, TheEntryFoundStaysTheOneCheckedWhenItsFolderIsSwappedForALink) {
    write(folder("0/kfp/outputs/out"), "checked");
    const auto entry = view().locate("/tmp/kfp/outputs/out");
    ASSERT_EQ(entry.kind, Kind::File) << entry.reason;
    // Whoever could still write there renames the checked folder away and plants a link.
    fs::rename(folder("0/kfp/outputs"), folder("0/kfp/moved"));
    write(m_base / "host/out", "host secret");
    fs::create_symlink(m_base / "host", folder("0/kfp/outputs"));
    EXPECT_EQ(read(entry.host_path), "checked");
}

}  // namespace
}  // namespace kfrun::docker
