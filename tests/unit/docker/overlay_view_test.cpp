#include "docker/overlay_view.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

namespace kfrun::docker {
namespace {

namespace fs = std::filesystem;
using Kind = OverlayEntry::Kind;

// Four layer directories laid out as Docker's overlay2 keeps them: the container's upper layer,
// its -init layer and two image layers (topmost first).
class OverlayViewTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_base = fs::temp_directory_path() /
                 ("kfrun-overlay-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_base);
        for (const char* layer : {"upper", "init", "image-top", "image-base"}) {
            fs::create_directories(m_base / layer);
        }
        dir("image-base", "tmp");
        dir("image-base", "etc");
        file("image-base", "etc/os-release", "base");
        file("init", ".dockerenv", "");
    }
    void TearDown() override { fs::remove_all(m_base); }

    fs::path layer(const char* name) const { return m_base / name; }
    void dir(const char* name, const std::string& path) const {
        fs::create_directories(layer(name) / path);
    }
    fs::path file(const char* name, const std::string& path, const std::string& text) const {
        const fs::path target = layer(name) / path;
        fs::create_directories(target.parent_path());
        std::ofstream(target) << text;
        return target;
    }
    // A whiteout as overlayfs writes it: a 0/0 character device (needs CAP_MKNOD).
    bool whiteout(const char* name, const std::string& path) const {
        const fs::path target = layer(name) / path;
        fs::create_directories(target.parent_path());
        return ::mknod(target.c_str(), S_IFCHR | 0000, makedev(0, 0)) == 0;
    }
    // trusted.* xattrs need CAP_SYS_ADMIN; false when the test cannot set one.
    bool xattr(const char* name, const std::string& path, const char* key,
               const char* value) const {
        const fs::path target = layer(name) / path;
        return ::lsetxattr(target.c_str(), key, value, std::strlen(value), 0) == 0;
    }

    OverlayView view(std::vector<std::string> mounts = {}) const {
        return OverlayView(
            OverlayLayers{layer("upper"), {layer("init"), layer("image-top"), layer("image-base")}},
            std::move(mounts));
    }

    fs::path m_base;
};

TEST_F(OverlayViewTest, FindsAFileTheContainerWroteInTheUpperLayer) {
    const auto written = file("upper", "tmp/out", "x.");
    const auto entry = view().locate("/tmp/out");
    EXPECT_EQ(entry.kind, Kind::File) << entry.reason;
    EXPECT_EQ(entry.host_path, written);
}

TEST_F(OverlayViewTest, FindsAnUnchangedImageFileInTheLayerThatHasIt) {
    const auto entry = view().locate("/etc/os-release");
    EXPECT_EQ(entry.kind, Kind::File) << entry.reason;
    EXPECT_EQ(entry.host_path, layer("image-base") / "etc/os-release");
}

TEST_F(OverlayViewTest, TheTopmostLayerWins) {
    file("image-top", "etc/os-release", "top");
    const auto changed = file("upper", "etc/os-release", "changed by the step");
    EXPECT_EQ(view().locate("/etc/os-release").host_path, changed);
}

TEST_F(OverlayViewTest, APathNoLayerHasIsMissing) {
    EXPECT_EQ(view().locate("/tmp/never-written").kind, Kind::Missing);
    EXPECT_EQ(view().locate("/no/such/dir/file").kind, Kind::Missing);
}

TEST_F(OverlayViewTest, AWhiteoutHidesTheFileBelowIt) {
    if (!whiteout("upper", "etc/os-release")) {
        GTEST_SKIP() << "mknod of a 0/0 device needs CAP_MKNOD";
    }
    EXPECT_EQ(view().locate("/etc/os-release").kind, Kind::Missing);
}

TEST_F(OverlayViewTest, AWhiteoutOnTheWayHidesEverythingBelowIt) {
    file("image-top", "opt/app/model.bin", "weights");
    if (!whiteout("upper", "opt")) {
        GTEST_SKIP() << "mknod of a 0/0 device needs CAP_MKNOD";
    }
    EXPECT_EQ(view().locate("/opt/app/model.bin").kind, Kind::Missing);
}

TEST_F(OverlayViewTest, ADirectoryOnlyOneLayerHasIsReadFromThatLayer) {
    file("upper", "tmp/outputs/model/data/a.txt", "a");
    const auto entry = view().locate("/tmp/outputs/model/data");
    EXPECT_EQ(entry.kind, Kind::Directory) << entry.reason;
    EXPECT_EQ(entry.host_path, layer("upper") / "tmp/outputs/model/data");
}

TEST_F(OverlayViewTest, ADirectorySeveralLayersMakeUpIsLeftToTheArchive) {
    file("image-top", "srv/data/shipped.txt", "from the image");
    file("upper", "srv/data/written.txt", "by the step");
    EXPECT_EQ(view().locate("/srv/data").kind, Kind::Unresolved);
    EXPECT_EQ(view().locate("/tmp").kind, Kind::Directory);  // the image's, unchanged
    dir("upper", "tmp");
    EXPECT_EQ(view().locate("/tmp").kind, Kind::Unresolved);  // the image's and the step's
}

TEST_F(OverlayViewTest, AnOpaqueDirectoryEndsTheMerge) {
    file("image-top", "srv/data/shipped.txt", "from the image");
    file("upper", "srv/data/written.txt", "by the step");
    if (!xattr("upper", "srv/data", "trusted.overlay.opaque", "y")) {
        GTEST_SKIP() << "setting trusted.* xattrs needs CAP_SYS_ADMIN";
    }
    const auto entry = view().locate("/srv/data");
    EXPECT_EQ(entry.kind, Kind::Directory) << entry.reason;
    EXPECT_EQ(entry.host_path, layer("upper") / "srv/data");
    EXPECT_EQ(view().locate("/srv/data/shipped.txt").kind, Kind::Missing);
}

TEST_F(OverlayViewTest, OverlayFeaturesThatMoveDataElsewhereAreLeftToTheArchive) {
    file("upper", "tmp/copied-up", "metadata only");
    dir("upper", "srv/renamed");
    if (!xattr("upper", "tmp/copied-up", "trusted.overlay.metacopy", "") ||
        !xattr("upper", "srv/renamed", "trusted.overlay.redirect", "/srv/original")) {
        GTEST_SKIP() << "setting trusted.* xattrs needs CAP_SYS_ADMIN";
    }
    EXPECT_EQ(view().locate("/tmp/copied-up").kind, Kind::Unresolved);
    EXPECT_EQ(view().locate("/srv/renamed").kind, Kind::Unresolved);
    EXPECT_EQ(view().locate("/srv/renamed/file").kind, Kind::Unresolved);
}

TEST_F(OverlayViewTest, PathsAtUnderOrAboveAMountAreLeftToTheArchive) {
    file("upper", "data/result.csv", "stale mount point content");
    file("upper", "tmp/outputs/dir/x", "x");
    dir("upper", "tmp/outputs/dir/input");
    const auto v = view({"/data", "/tmp/outputs/dir/input/"});
    EXPECT_EQ(v.locate("/data").kind, Kind::Unresolved);
    EXPECT_EQ(v.locate("/data/result.csv").kind, Kind::Unresolved);
    EXPECT_EQ(v.locate("/tmp/outputs/dir").kind, Kind::Unresolved);  // a mount inside
    EXPECT_EQ(v.locate("/tmp/outputs/dir/x").kind, Kind::File);
    EXPECT_EQ(v.locate("/database").kind, Kind::Missing);  // only a name prefix
}

TEST_F(OverlayViewTest, WhatDockerAndTheKernelMountIsLeftToTheArchive) {
    file("init", "etc/hosts", "");
    for (const char* path : {"/etc/hosts", "/etc/resolv.conf", "/etc/hostname", "/proc/1/status",
                             "/sys/kernel", "/dev/shm/x"}) {
        EXPECT_EQ(view().locate(path).kind, Kind::Unresolved) << path;
    }
}

TEST_F(OverlayViewTest, SymbolicLinksAreLeftToTheArchive) {
    file("upper", "real/out", "x");
    fs::create_symlink("real", layer("upper") / "alias");
    fs::create_symlink("real/out", layer("upper") / "link-to-out");
    EXPECT_EQ(view().locate("/alias/out").kind, Kind::Unresolved);
    EXPECT_EQ(view().locate("/link-to-out").kind, Kind::Unresolved);
}

TEST_F(OverlayViewTest, AFileAboveADirectoryOfALowerLayerHidesIt) {
    file("image-top", "cfg/app/settings", "image");
    file("upper", "cfg/app", "a file now");
    EXPECT_EQ(view().locate("/cfg/app").kind, Kind::File);
    EXPECT_EQ(view().locate("/cfg/app/settings").kind, Kind::Unresolved);
}

TEST_F(OverlayViewTest, OnlyPlainAbsolutePathsAreLookedUp) {
    file("upper", "tmp/out", "x");
    for (const char* path :
         {"tmp/out", "/tmp/../tmp/out", "/tmp/./out", "/tmp//out", "/tmp/out/", "/", ""}) {
        EXPECT_EQ(view().locate(path).kind, Kind::Unresolved) << path;
    }
}

TEST_F(OverlayViewTest, WithoutAnUpperLayerNothingIsCertain) {
    const OverlayView no_upper(OverlayLayers{{}, {layer("image-base")}}, {});
    EXPECT_EQ(no_upper.locate("/etc/os-release").kind, Kind::Unresolved);
}

}  // namespace
}  // namespace kfrun::docker
