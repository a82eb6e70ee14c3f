// The step cache index shared by several processes: concurrent writers, and writers killed
// with SIGKILL at random moments.
#include <gtest/gtest.h>
#include <signal.h>

#include <random>
#include <thread>

#include "index_support.hpp"
#include "store/file_artifact_store.hpp"
#include "store/rocks_step_cache.hpp"
#include "store_fixture.hpp"
#include "support/sanitizers.hpp"

namespace kfrun::store::testing {
namespace {

namespace fs = std::filesystem;

class IndexProcessesTest : public ::testing::Test {
  protected:
    void SetUp() override { m_dir = make_temp_dir(); }
    void TearDown() override { remove_tree(m_dir); }
    fs::path m_dir;
};

TEST_F(IndexProcessesTest, TwoProcessesStoringAndLookingUpConcurrentlyBothSucceed) {
    constexpr int k_count = 40;
    const fs::path index = m_dir / "index";
    const fs::path go = m_dir / "go";
    const pid_t a = spawn_worker({"concurrent", index, "a", std::to_string(k_count), go});
    const pid_t b = spawn_worker({"concurrent", index, "b", std::to_string(k_count), go});
    write_file(go, "");
    EXPECT_EQ(wait_worker(a), 0);
    EXPECT_EQ(wait_worker(b), 0);

    RocksStepCache cache(index);
    for (const std::string name : {"a", "b"}) {
        for (int i = 0; i < k_count; ++i) {
            auto found = cache.lookup(key_of(name + "-" + std::to_string(i)));
            ASSERT_TRUE(found.ok()) << found.error().to_string();
            ASSERT_TRUE(*found) << name << i;
            EXPECT_EQ((*found)->run_id, name);
        }
        // The last write for step0 (i = 39) was the shared entry 39 % 5.
        auto latest = cache.latest_for_step("p/" + name + "-step0");
        ASSERT_TRUE(latest.ok() && *latest);
        EXPECT_EQ((*latest)->key, key_of("shared-" + std::to_string((k_count - 1) % 5)));
    }
    for (int i = 0; i < 5; ++i) {  // both wrote these keys: one of them won, whole
        auto found = cache.lookup(key_of("shared-" + std::to_string(i)));
        ASSERT_TRUE(found.ok() && *found);
        EXPECT_TRUE((*found)->run_id == "a" || (*found)->run_id == "b");
    }
    auto listing = cache.list();
    ASSERT_TRUE(listing.ok());
    EXPECT_EQ(listing->entries.size(), 2u * k_count + 5);
    EXPECT_EQ(listing->unreadable, 0u);
}

// Every entry of the index references blobs that exist and hash to their names.
std::size_t expect_entries_complete(const fs::path& index, FileArtifactStore& blobs) {
    RocksStepCache cache(index);
    auto listing = cache.list();
    EXPECT_TRUE(listing.ok()) << listing.error().to_string();
    if (!listing.ok()) {
        return 0;
    }
    EXPECT_EQ(listing->unreadable, 0u);
    for (const CacheEntryInfo& info : listing->entries) {
        auto entry = cache.lookup(info.key);
        EXPECT_TRUE(entry.ok() && *entry) << info.key;
        if (!entry.ok() || !*entry) {
            continue;
        }
        EXPECT_EQ((*entry)->outputs.artifacts.size(), 2u);
        for (const engine::NamedArtifact& artifact : (*entry)->outputs.artifacts) {
            EXPECT_TRUE(blobs.contains(artifact.artifact, /*deep=*/true))
                << info.key << " references a missing or damaged blob " << artifact.artifact.digest;
        }
    }
    return listing->entries.size();
}

TEST_F(IndexProcessesTest, KilledWriterNeverLeavesAnEntryWithoutItsBlobs) {
    const fs::path index = m_dir / "index";
    auto blobs = FileArtifactStore::open(m_dir / "store");
    ASSERT_TRUE(blobs.ok());
    std::mt19937 random(20261125);
    std::size_t entries = 0;
    for (int round = 0; round < 25; ++round) {
        const pid_t child = spawn_worker({"crash", index, m_dir / "store"});
        // From "still opening" to "dozens of entries in": 5-150 ms (a sanitized worker starts
        // and writes about ten times slower).
        const int scale = kfrun::test_support::k_sanitized ? 10 : 1;
        std::this_thread::sleep_for(
            std::chrono::microseconds(scale * (5'000 + random() % 145'000)));
        ::kill(child, SIGKILL);
        ASSERT_EQ(wait_worker(child), 128 + SIGKILL) << "the worker stopped on its own";
        entries = expect_entries_complete(index, **blobs);
        if (::testing::Test::HasFailure()) {
            break;
        }
    }
    EXPECT_GT(entries, 0u) << "no worker got as far as storing an entry";
    // The index still takes writes after all those kills.
    RocksStepCache cache(index);
    EXPECT_TRUE(cache.store(make_entry("after", "p/s", 1)).ok());
}

}  // namespace
}  // namespace kfrun::store::testing
