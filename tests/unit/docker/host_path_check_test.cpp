// hostPath mounts checked on the host: symbolic links resolved before the grant is applied.
#include "docker/host_path_check.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "base/random_id.hpp"

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

}  // namespace
}  // namespace kfrun::docker
