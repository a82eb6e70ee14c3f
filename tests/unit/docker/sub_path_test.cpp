#include "docker/sub_path.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace kfrun::docker {
namespace {

namespace fs = std::filesystem;

std::string normalized(std::string_view sub_path) {
    auto result = normalize_sub_path(sub_path);
    EXPECT_TRUE(result.ok()) << sub_path << ": " << result.error().to_string();
    return result.ok() ? *result : "<error>";
}

TEST(NormalizeSubPath, KeepsRelativePathsInCleanForm) {
    EXPECT_EQ(normalized("a"), "a");
    EXPECT_EQ(normalized("a/b/c"), "a/b/c");
    EXPECT_EQ(normalized("./a//b/./c/"), "a/b/c");
    EXPECT_EQ(normalized("run-1.2_x"), "run-1.2_x");
}

TEST(NormalizeSubPath, TreatsEmptyAndDotAsTheWholeVolume) {
    EXPECT_EQ(normalized(""), "");
    EXPECT_EQ(normalized("."), "");
    EXPECT_EQ(normalized("./"), "");
}

TEST(NormalizeSubPath, RefusesAbsolutePathsAndParentComponents) {
    for (const char* bad : {"/etc", "..", "../x", "a/../b", "a/..", "/"}) {
        auto result = normalize_sub_path(bad);
        ASSERT_FALSE(result.ok()) << bad;
        EXPECT_EQ(result.error().kind, base::ErrorKind::Input) << bad;
    }
    EXPECT_NE(normalize_sub_path("a/../b").error().message.find("\"..\""), std::string::npos);
    EXPECT_NE(normalize_sub_path("/etc").error().message.find("relative"), std::string::npos);
}

TEST(NormalizeSubPath, AllowsDotsInsideNames) {
    EXPECT_EQ(normalized("..a/b..c/..."), "..a/b..c/...");
}

class MakeSubPath : public ::testing::Test {
  protected:
    void SetUp() override {
        m_base = fs::temp_directory_path() /
                 ("kfrun-subpath-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_base);
        fs::create_directories(m_base / "volume");
        fs::create_directories(m_base / "outside");
    }
    void TearDown() override { fs::remove_all(m_base); }

    fs::path volume() const { return m_base / "volume"; }
    fs::path outside() const { return m_base / "outside"; }

  private:
    fs::path m_base;
};

TEST_F(MakeSubPath, CreatesNestedDirectoriesAndIsIdempotent) {
    auto made = make_sub_path(volume(), "a/b/c");
    ASSERT_TRUE(made.ok()) << made.error().to_string();
    EXPECT_EQ(made->path, volume() / "a" / "b" / "c");
    EXPECT_FALSE(made->is_file);
    EXPECT_TRUE(fs::is_directory(made->path));
    std::ofstream(made->path / "kept") << "x";
    auto again = make_sub_path(volume(), "a/b/c");
    ASSERT_TRUE(again.ok()) << again.error().to_string();
    EXPECT_TRUE(fs::exists(again->path / "kept")) << "an existing directory is left as it is";
}

TEST_F(MakeSubPath, RefusesASymbolicLinkAnywhereOnThePath) {
    fs::create_directory_symlink(outside(), volume() / "escape");
    for (const char* relative : {"escape", "escape/inner"}) {
        auto made = make_sub_path(volume(), relative);
        ASSERT_FALSE(made.ok()) << relative;
        EXPECT_EQ(made.error().kind, base::ErrorKind::Input);
        EXPECT_NE(made.error().message.find("symbolic link"), std::string::npos)
            << made.error().message;
    }
    EXPECT_FALSE(fs::exists(outside() / "inner")) << "nothing is made through the link";
}

TEST_F(MakeSubPath, RefusesAFileInTheWay) {
    std::ofstream(volume() / "file") << "x";
    auto made = make_sub_path(volume(), "file/sub");
    ASSERT_FALSE(made.ok());
    EXPECT_NE(made.error().message.find("not a directory"), std::string::npos)
        << made.error().message;
}

TEST_F(MakeSubPath, AcceptsAnExistingFileAsTheLastComponent) {
    fs::create_directories(volume() / "config");
    std::ofstream(volume() / "config" / "app.yaml") << "x: 1\n";
    auto made = make_sub_path(volume(), "config/app.yaml");
    ASSERT_TRUE(made.ok()) << made.error().to_string();
    EXPECT_EQ(made->path, volume() / "config" / "app.yaml");
    EXPECT_TRUE(made->is_file);
    EXPECT_TRUE(fs::is_regular_file(made->path));
}

TEST_F(MakeSubPath, KeepsTheCheckedDirectoryOpenThroughASwap) {
    fs::create_directories(volume() / "d");
    std::ofstream(volume() / "d" / "mine") << "x";
    auto made = make_sub_path(volume(), "d");
    ASSERT_TRUE(made.ok()) << made.error().to_string();
    fs::rename(volume() / "d", volume() / "moved");
    fs::create_directory_symlink(outside(), volume() / "d");
    struct stat held {};
    ASSERT_EQ(::fstatat(made->fd.get(), "mine", &held, 0), 0)
        << "the descriptor still names the directory that was checked";
}

// A sub-path of a hostPath granted read-only (or of a secret's folder) made its missing folders
// on the host as root, although the container saw the mount read-only.
TEST_F(MakeSubPath, AReadOnlyMountGetsNoNewFolders) {
    auto refused = make_sub_path(volume(), "made-by-pipeline/deeper", false);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().kind, kfrun::base::ErrorKind::Input);
    EXPECT_NE(refused.error().message.find("read-only"), std::string::npos)
        << refused.error().message;
    EXPECT_FALSE(std::filesystem::exists(volume() / "made-by-pipeline"));
    std::filesystem::create_directories(volume() / "there" / "deeper");
    EXPECT_TRUE(make_sub_path(volume(), "there/deeper", false).ok());
}

TEST_F(MakeSubPath, ExplainsAMissingBase) {
    auto made = make_sub_path(volume() / "missing", "a");
    ASSERT_FALSE(made.ok());
    EXPECT_EQ(made.error().kind, base::ErrorKind::Io);
}

}  // namespace
}  // namespace kfrun::docker
