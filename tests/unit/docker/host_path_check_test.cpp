// hostPath mounts checked on the host: symbolic links resolved before the grant is applied.
#include "docker/host_path_check.hpp"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "base/random_id.hpp"
#include "docker/sub_path_staging.hpp"

namespace kfrun::docker {
namespace {

class HostPathCheck : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir =
            std::filesystem::temp_directory_path() / ("kfrun-hostpath-" + base::random_suffix(10));
        std::filesystem::create_directories(m_dir / "granted" / "sub");
        std::filesystem::create_directories(m_dir / "outside");
    }
    void TearDown() override {
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
    }
    static engine::VolumeMount host_mount(const std::filesystem::path& source) {
        engine::VolumeMount mount;
        mount.type = engine::VolumeMount::Type::Bind;
        mount.host_path = true;
        mount.source = source.string();
        mount.container_path = "/host";
        return mount;
    }
    std::filesystem::path m_dir;
};

TEST_F(HostPathCheck, APathInsideTheGrantIsMountedAtItsRealPathReadOnly) {
    auto checked = check_host_paths({host_mount(m_dir / "granted" / "sub")},
                                    {{m_dir / "granted", false}}, "step s");
    ASSERT_TRUE(checked.ok()) << checked.error().to_string();
    EXPECT_EQ((*checked)[0].source, std::filesystem::canonical(m_dir / "granted" / "sub"));
    EXPECT_TRUE((*checked)[0].read_only);
    auto writable =
        check_host_paths({host_mount(m_dir / "granted")}, {{m_dir / "granted", true}}, "step s");
    ASSERT_TRUE(writable.ok());
    EXPECT_FALSE((*writable)[0].read_only);
}

TEST_F(HostPathCheck, ALinkInsideTheGrantThatLeavesItIsRefused) {
    std::filesystem::create_directory_symlink(m_dir / "outside", m_dir / "granted" / "escape");
    auto checked = check_host_paths({host_mount(m_dir / "granted" / "escape")},
                                    {{m_dir / "granted", true}}, "step s");
    ASSERT_FALSE(checked.ok());
    EXPECT_NE(checked.error().message.find("outside every --allow-host-path folder"),
              std::string::npos)
        << checked.error().message;
    EXPECT_EQ(checked.error().where, "step s");
    // A relative link, and `..` after a link.
    std::filesystem::create_directory_symlink("../../outside", m_dir / "granted" / "sub" / "up");
    EXPECT_FALSE(check_host_paths({host_mount(m_dir / "granted" / "sub" / "up")},
                                  {{m_dir / "granted", true}}, "s")
                     .ok());
}

TEST_F(HostPathCheck, AGrantThatIsALinkCoversWhatItPointsAt) {
    std::filesystem::create_directory_symlink(m_dir / "granted", m_dir / "alias");
    auto checked =
        check_host_paths({host_mount(m_dir / "alias" / "sub")}, {{m_dir / "alias", false}}, "s");
    ASSERT_TRUE(checked.ok()) << checked.error().to_string();
    EXPECT_EQ((*checked)[0].source, std::filesystem::canonical(m_dir / "granted" / "sub"));
}

TEST_F(HostPathCheck, AMissingPathIsAnErrorAndOtherMountsPassThrough) {
    EXPECT_FALSE(check_host_paths({host_mount(m_dir / "granted" / "nope")},
                                  {{m_dir / "granted", false}}, "s")
                     .ok());
    engine::VolumeMount volume;
    volume.source = "kfrun-vol";
    volume.container_path = "/data";
    auto checked = check_host_paths({volume}, {}, "s");
    ASSERT_TRUE(checked.ok());
    EXPECT_EQ((*checked)[0].source, "kfrun-vol");
}

// No check-then-use window: with staging, Docker gets a private path mounted from the checked
// descriptor. A directory of the granted path swapped for a link to elsewhere afterwards (what a
// container writing into a granted folder could do while the step starts) changes nothing there;
// without staging, the same path would now lead through the link.
TEST_F(HostPathCheck, AStagedHostPathKeepsShowingWhatWasCheckedAfterASwap) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "bind mounts need root";
    }
    std::ofstream(m_dir / "granted" / "sub" / "mine") << "checked\n";
    std::ofstream(m_dir / "outside" / "mine") << "host secret\n";
    std::ofstream(m_dir / "granted" / "file") << "checked file\n";
    SubPathStaging staging(m_dir / "staging", "step");
    auto checked = check_host_paths(
        {host_mount(m_dir / "granted" / "sub"), host_mount(m_dir / "granted" / "file")},
        {{m_dir / "granted", true}}, "step s", &staging);
    ASSERT_TRUE(checked.ok()) << checked.error().to_string();
    const std::filesystem::path staged = (*checked)[0].source;
    EXPECT_EQ(staged.parent_path(), staging.folder());
    EXPECT_FALSE((*checked)[0].read_only);

    std::filesystem::rename(m_dir / "granted" / "sub", m_dir / "granted" / "moved");
    std::filesystem::create_directory_symlink(m_dir / "outside", m_dir / "granted" / "sub");
    auto read = [](const std::filesystem::path& path) {
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    };
    EXPECT_EQ(read(staged / "mine"), "checked\n");
    EXPECT_EQ(read((*checked)[1].source), "checked file\n");
    EXPECT_TRUE(staging.release().empty());
    EXPECT_FALSE(std::filesystem::exists(staged));
    EXPECT_EQ(read(m_dir / "granted" / "moved" / "mine"), "checked\n");
}

// kfrun shell mounts a run's hostPath again without the run's grants: only as written.
TEST_F(HostPathCheck, TheShellMountsAHostPathOnlyAsWrittenNeverThroughALink) {
    auto plain = host_mount(m_dir / "granted" / "sub");
    plain.source += "/";
    plain.read_only = false;  // as the step spec records it: the run's grant is not in it
    ASSERT_TRUE(pin_host_path(plain, "step s", nullptr).ok());
    EXPECT_EQ(plain.source, (m_dir / "granted" / "sub").string());
    EXPECT_TRUE(plain.read_only);

    std::filesystem::create_directory_symlink(m_dir / "outside", m_dir / "granted" / "link");
    auto linked = host_mount(m_dir / "granted" / "link");
    auto refused = pin_host_path(linked, "step s", nullptr);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().kind, base::ErrorKind::Input);
    EXPECT_NE(refused.error().message.find("now resolves through a symbolic link, to " +
                                           (m_dir / "outside").string()),
              std::string::npos)
        << refused.error().message;
    auto missing = host_mount(m_dir / "gone");
    EXPECT_FALSE(pin_host_path(missing, "step s", nullptr).ok());
}

// ... and, as root, from the checked descriptor: a swap after the check changes nothing.
TEST_F(HostPathCheck, TheShellsHostPathIsStagedFromWhatWasChecked) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "bind mounts need root";
    }
    std::ofstream(m_dir / "granted" / "sub" / "mine") << "checked\n";
    std::ofstream(m_dir / "outside" / "mine") << "host secret\n";
    SubPathStaging staging(m_dir / "staging", "shell");
    auto mount = host_mount(m_dir / "granted" / "sub");
    auto pinned = pin_host_path(mount, "step s", &staging);
    ASSERT_TRUE(pinned.ok()) << pinned.error().to_string();
    EXPECT_EQ(std::filesystem::path(mount.source).parent_path(), staging.folder());
    std::filesystem::rename(m_dir / "granted" / "sub", m_dir / "granted" / "moved");
    std::filesystem::create_directory_symlink(m_dir / "outside", m_dir / "granted" / "sub");
    std::ifstream in(std::filesystem::path(mount.source) / "mine");
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), "checked\n");
    EXPECT_TRUE(staging.release().empty());
}

}  // namespace
}  // namespace kfrun::docker
