// OwnerLock: a run's owner as a held lock file; a lock nobody holds names an abandoned run.
#include "store/owner_lock.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace kfrun::store::testing {
namespace {

namespace fs = std::filesystem;

class OwnerLockTest : public ::testing::Test {
  protected:
    void SetUp() override { m_dir = make_temp_dir(); }
    void TearDown() override { remove_tree(m_dir); }
    fs::path owners() const { return m_dir / "owners"; }
    // Claims `run_id` in a child process that then dies with SIGKILL, as a killed kfrun does.
    void claim_and_die(const std::string& run_id) {
        pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            auto lock = OwnerLock::claim(owners(), {run_id, static_cast<long>(::getpid()), "x"});
            if (!lock.ok()) {
                ::_exit(3);
            }
            ::kill(::getpid(), SIGKILL);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the child failed to claim: " << status;
    }
    fs::path m_dir;
};

TEST_F(OwnerLockTest, AHeldLockIsAliveAndNotAbandoned) {
    auto lock = OwnerLock::claim(owners(), {"run-1", 42, "unix:///d.sock"});
    ASSERT_TRUE(lock.ok()) << lock.error().to_string();
    EXPECT_EQ(lock->path(), owners() / "run-1.lock");
    EXPECT_TRUE(OwnerLock::owner_alive(lock->path()));
    EXPECT_FALSE(OwnerLock::abandoned(lock->path()));
    EXPECT_TRUE(OwnerLock::take_abandoned(owners()).empty());
    EXPECT_EQ(permissions_of(lock->path()) & 0777, 0600u);
    EXPECT_EQ(permissions_of(owners()) & 0777, 0700u);
}

TEST_F(OwnerLockTest, ReleaseRemovesTheFile) {
    {
        auto lock = OwnerLock::claim(owners(), {"run-1", 42, ""});
        ASSERT_TRUE(lock.ok());
    }
    EXPECT_FALSE(fs::exists(owners() / "run-1.lock"));
    EXPECT_FALSE(OwnerLock::abandoned(owners() / "run-1.lock"));  // missing: no proof
}

TEST_F(OwnerLockTest, AKilledOwnerLeavesAnAbandonedLockThatOneSweeperTakes) {
    claim_and_die("run-killed");
    const fs::path path = owners() / "run-killed.lock";
    ASSERT_TRUE(fs::exists(path));
    EXPECT_FALSE(OwnerLock::owner_alive(path));
    EXPECT_TRUE(OwnerLock::abandoned(path));
    std::vector<OwnerLock> taken = OwnerLock::take_abandoned(owners());
    ASSERT_EQ(taken.size(), 1u);
    EXPECT_EQ(taken[0].info().run_id, "run-killed");
    EXPECT_EQ(taken[0].info().docker_host, "x");
    // While one sweeper holds it, nobody else takes it, and it does not look abandoned.
    EXPECT_TRUE(OwnerLock::take_abandoned(owners()).empty());
    EXPECT_FALSE(OwnerLock::abandoned(path));
    taken[0].release();
    EXPECT_FALSE(fs::exists(path));
    EXPECT_TRUE(OwnerLock::take_abandoned(owners()).empty());
}

// A container the daemon creates for the dead process after the sweep still has an abandoned
// owner: the swept lock leaves a tombstone, which no sweep takes again and gc removes when old.
TEST_F(OwnerLockTest, ASweptRunLeavesATombstoneThatStillSaysAbandoned) {
    claim_and_die("run-swept");
    const fs::path path = owners() / "run-swept.lock";
    std::vector<OwnerLock> taken = OwnerLock::take_abandoned(owners());
    ASSERT_EQ(taken.size(), 1u);
    taken[0].release_swept();
    EXPECT_FALSE(fs::exists(path));
    EXPECT_TRUE(fs::exists(owners() / "run-swept.swept"));
    EXPECT_TRUE(OwnerLock::abandoned(path));
    EXPECT_TRUE(OwnerLock::take_abandoned(owners()).empty());
    EXPECT_FALSE(OwnerLock::abandoned(owners() / "run-other.lock"));

    EXPECT_EQ(OwnerLock::remove_tombstones(owners(), std::chrono::hours(1)), 0u);  // too young
    fs::last_write_time(owners() / "run-swept.swept",
                        fs::file_time_type::clock::now() - std::chrono::hours(2));
    EXPECT_EQ(OwnerLock::remove_tombstones(owners(), std::chrono::hours(1)), 1u);
    EXPECT_FALSE(OwnerLock::abandoned(path));
}

TEST_F(OwnerLockTest, LiveOwnersAreNeverTaken) {
    auto live = OwnerLock::claim(owners(), {"run-live", 1, ""});
    ASSERT_TRUE(live.ok());
    claim_and_die("run-dead");
    std::vector<OwnerLock> taken = OwnerLock::take_abandoned(owners());
    ASSERT_EQ(taken.size(), 1u);
    EXPECT_EQ(taken[0].info().run_id, "run-dead");
    EXPECT_TRUE(fs::exists(owners() / "run-live.lock"));
}

TEST_F(OwnerLockTest, AMissingFolderHasNothingToSweep) {
    EXPECT_TRUE(OwnerLock::take_abandoned(m_dir / "none").empty());
}

TEST_F(OwnerLockTest, ASecondClaimOfALiveRunIsRefused) {
    auto first = OwnerLock::claim(owners(), {"run-1", 1, ""});
    ASSERT_TRUE(first.ok());
    auto second = OwnerLock::claim(owners(), {"run-1", 2, ""});
    EXPECT_FALSE(second.ok());
    EXPECT_TRUE(OwnerLock::owner_alive(owners() / "run-1.lock"));
}

TEST_F(OwnerLockTest, StrangeFilesAndBadRunIdsAreNotRuns) {
    fs::create_directories(owners());
    write_file(owners() / "notes.txt", "hello");
    write_file(owners() / "evil.lock", "kfrun-owner 1\nrun ../../etc\npid 1\ndocker \n");
    EXPECT_TRUE(OwnerLock::take_abandoned(owners()).empty());
    EXPECT_TRUE(fs::exists(owners() / "notes.txt"));
    EXPECT_FALSE(OwnerLock::claim(owners(), {"../x", 1, ""}).ok());
    EXPECT_FALSE(decode_owner("kfrun-owner 2\nrun a\n").has_value());
    auto decoded = decode_owner(encode_owner({"abc", 7, "unix:///s"}));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->run_id, "abc");
    EXPECT_EQ(decoded->pid, 7);
    EXPECT_EQ(decoded->docker_host, "unix:///s");
}

}  // namespace
}  // namespace kfrun::store::testing
