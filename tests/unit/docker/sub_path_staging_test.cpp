// SubPathStaging against the real kernel: bind mounts need root (CAP_SYS_ADMIN); without it the
// tests that mount are skipped and the error text is checked instead.
#include "docker/sub_path_staging.hpp"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <fstream>
#include <sstream>

#include "docker/sub_path.hpp"

namespace kfrun::docker {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

class SubPathStagingTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_base = fs::temp_directory_path() /
                 ("kfrun-staging-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(volume() / "d");
        fs::create_directories(host());
        std::ofstream(volume() / "d" / "mine") << "checked\n";
        std::ofstream(volume() / "f") << "checked file\n";
        std::ofstream(host() / "mine") << "host\n";
        std::ofstream(host() / "f") << "host\n";
    }
    void TearDown() override {
        // Only after every staging object released its mounts (each test ends its own).
        fs::remove_all(m_base);
    }

    fs::path volume() const { return m_base / "volume"; }
    fs::path host() const { return m_base / "host"; }
    fs::path staging() const { return m_base / "staging"; }

    // Skips the test when this process may not bind-mount.
    void require_mounts() {
        fs::create_directories(m_base / "probe-from");
        fs::create_directories(m_base / "probe-to");
        const auto to = m_base / "probe-to";
        if (::mount((m_base / "probe-from").c_str(), to.c_str(), nullptr, MS_BIND, nullptr) != 0) {
            GTEST_SKIP() << "bind mounts are not permitted here";
        }
        ::umount2(to.c_str(), MNT_DETACH);
    }

  private:
    fs::path m_base;
};

TEST_F(SubPathStagingTest, StagedDirectoryKeepsShowingWhatWasCheckedAfterASwap) {
    require_mounts();
    if (IsSkipped()) {
        return;
    }
    SubPathStaging stager(staging(), "step");
    auto checked = make_sub_path(volume(), "d");
    ASSERT_TRUE(checked.ok()) << checked.error().to_string();
    // The swap a container would make after the check: the directory becomes a link.
    fs::rename(volume() / "d", volume() / "gone");
    fs::create_directory_symlink(host(), volume() / "d");
    auto staged = stager.stage(*checked);
    ASSERT_TRUE(staged.ok()) << staged.error().to_string();
    EXPECT_EQ(staged->parent_path().parent_path(), staging());
    EXPECT_EQ(read_text(*staged / "mine"), "checked\n");
    struct stat info {};
    ASSERT_EQ(::stat(stager.folder().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0700u);
    EXPECT_TRUE(stager.release().empty());
    EXPECT_FALSE(fs::exists(*staged));
    EXPECT_TRUE(fs::is_empty(staging())) << "the step's folder is gone";
    EXPECT_EQ(read_text(volume() / "gone" / "mine"), "checked\n") << "release keeps the files";
}

TEST_F(SubPathStagingTest, StagedFileKeepsShowingWhatWasChecked) {
    require_mounts();
    if (IsSkipped()) {
        return;
    }
    SubPathStaging stager(staging(), "step");
    auto checked = make_sub_path(volume(), "f");
    ASSERT_TRUE(checked.ok()) << checked.error().to_string();
    ASSERT_TRUE(checked->is_file);
    fs::rename(volume() / "f", volume() / "f-moved");
    fs::create_symlink(host() / "f", volume() / "f");
    auto staged = stager.stage(*checked);
    ASSERT_TRUE(staged.ok()) << staged.error().to_string();
    EXPECT_EQ(read_text(*staged), "checked file\n");
    EXPECT_TRUE(stager.release().empty());
    EXPECT_FALSE(fs::exists(*staged));
}

TEST_F(SubPathStagingTest, ACheckedDirectoryDeletedBeforeTheMountIsAnErrorNeverTheLink) {
    require_mounts();
    if (IsSkipped()) {
        return;
    }
    SubPathStaging stager(staging(), "step");
    auto checked = make_sub_path(volume(), "d");
    ASSERT_TRUE(checked.ok()) << checked.error().to_string();
    fs::remove_all(volume() / "d");
    fs::create_directory_symlink(host(), volume() / "d");
    auto staged = stager.stage(*checked);
    ASSERT_FALSE(staged.ok());
    EXPECT_EQ(staged.error().kind, base::ErrorKind::Input);
    EXPECT_NE(staged.error().message.find("was removed while kfrun was mounting it"),
              std::string::npos)
        << staged.error().message;
    EXPECT_TRUE(stager.release().empty());
    EXPECT_TRUE(fs::is_empty(staging()));
}

TEST_F(SubPathStagingTest, DestructorReleasesWhatWasStaged) {
    require_mounts();
    if (IsSkipped()) {
        return;
    }
    fs::path staged_path;
    {
        SubPathStaging stager(staging(), "step");
        auto checked = make_sub_path(volume(), "d");
        ASSERT_TRUE(checked.ok()) << checked.error().to_string();
        auto staged = stager.stage(*checked);
        ASSERT_TRUE(staged.ok()) << staged.error().to_string();
        staged_path = *staged;
    }
    EXPECT_FALSE(fs::exists(staged_path));
    EXPECT_TRUE(fs::exists(volume() / "d" / "mine"));
}

// kill -9 leaves a step's staging mounts behind; the sweep of the dead run releases them and
// leaves other runs' folders alone, even a live run whose id starts with the same characters
// (folders were once named after the run id's first 8, and the sweep unmounted both).
TEST_F(SubPathStagingTest, LeftoversOfADeadRunAreReleasedOthersAreKept) {
    require_mounts();
    if (IsSkipped()) {
        return;
    }
    const std::string dead_run = "deadbeef-1111-4111-8111-111111111111";
    const std::string live_run = "deadbeef-2222-4222-8222-222222222222";
    // Its process died (the object stands for what it left); released at the end either way.
    auto dead = std::make_unique<SubPathStaging>(
        staging(), run_staging_prefix(dead_run) + "kfrun-deadbeef-train-1");
    auto live = std::make_unique<SubPathStaging>(
        staging(), run_staging_prefix(live_run) + "kfrun-deadbeef-train-1");
    auto dead_checked = make_sub_path(volume(), "d");
    auto live_checked = make_sub_path(volume(), "d");
    ASSERT_TRUE(dead_checked.ok() && live_checked.ok());
    auto dead_staged = dead->stage(*dead_checked);
    auto live_staged = live->stage(*live_checked);
    ASSERT_TRUE(dead_staged.ok()) << dead_staged.error().to_string();
    ASSERT_TRUE(live_staged.ok()) << live_staged.error().to_string();
    ASSERT_EQ(read_text(*dead_staged / "mine"), "checked\n");

    const auto problems =
        SubPathStaging::release_leftovers(staging(), run_staging_prefix(dead_run));
    EXPECT_TRUE(problems.empty()) << problems.front();
    EXPECT_FALSE(fs::exists(*dead_staged));
    EXPECT_FALSE(fs::exists(dead->folder()));
    EXPECT_EQ(read_text(*live_staged / "mine"), "checked\n");  // another run's: still mounted
    EXPECT_TRUE(fs::exists(volume() / "d" / "mine"));          // never removed through a mount
    dead.reset();  // finds nothing left to undo
    live.reset();
    EXPECT_FALSE(fs::exists(*live_staged));
}

// A killed `kfrun shell` leaves its staging behind too; it has no run (and no lock): the sweep
// releases the folders whose process is gone and keeps those of a shell still running.
TEST_F(SubPathStagingTest, LeftoversOfADeadShellAreReleasedALiveShellsAreKept) {
    require_mounts();
    if (IsSkipped()) {
        return;
    }
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::_exit(0);
    }
    ASSERT_EQ(::waitpid(child, nullptr, 0), child);  // its process id is now free
    auto dead = std::make_unique<SubPathStaging>(staging(),
                                                 "kfrun-shell-" + std::to_string(child) + "-abc");
    auto live = std::make_unique<SubPathStaging>(staging(), shell_staging_prefix() + "def");
    auto dead_checked = make_sub_path(volume(), "d");
    auto live_checked = make_sub_path(volume(), "d");
    ASSERT_TRUE(dead_checked.ok() && live_checked.ok());
    auto dead_staged = dead->stage(*dead_checked);
    auto live_staged = live->stage(*live_checked);
    ASSERT_TRUE(dead_staged.ok() && live_staged.ok());

    const auto problems = SubPathStaging::release_dead_shells(staging());
    EXPECT_TRUE(problems.empty()) << problems.front();
    EXPECT_FALSE(fs::exists(dead->folder()));
    EXPECT_EQ(read_text(*live_staged / "mine"), "checked\n");
    dead.reset();
    live.reset();
    EXPECT_FALSE(fs::exists(*live_staged));
}

TEST_F(SubPathStagingTest, RefusesARelativeBase) {
    SubPathStaging stager("relative/dir", "step");
    auto checked = make_sub_path(volume(), "d");
    ASSERT_TRUE(checked.ok()) << checked.error().to_string();
    auto staged = stager.stage(*checked);
    ASSERT_FALSE(staged.ok());
    EXPECT_NE(staged.error().message.find("absolute"), std::string::npos) << staged.error().message;
}

}  // namespace
}  // namespace kfrun::docker
