// RocksStepCache's admin operations: stats, list, prune by age and size, clear.
#include <gtest/gtest.h>

#include "index_support.hpp"
#include "store/rocks_step_cache.hpp"
#include "store_fixture.hpp"

namespace kfrun::store::testing {
namespace {

namespace fs = std::filesystem;
using base::Millis;

constexpr long long k_day_ms = 24LL * 3600 * 1000;
const base::SystemTime k_now{Millis(100 * k_day_ms)};

class CacheAdminTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir = make_temp_dir();
        m_cache = std::make_unique<RocksStepCache>(m_dir / "index");
        // Ages 10, 5, 3, 1 days; sizes 1000, 200, 30, 4 bytes.
        store("d10", "p/a", 10, 1000);
        store("d5", "p/b", 5, 200);
        store("d3", "p/a", 3, 30);
        store("d1", "p/c", 1, 4);
    }
    void TearDown() override {
        m_cache.reset();
        remove_tree(m_dir);
    }
    void store(const std::string& name, const std::string& step, int age_days,
               std::uint64_t bytes) {
        const long long created = 100 * k_day_ms - age_days * k_day_ms;
        ASSERT_TRUE(m_cache->store(make_entry(name, step, created, bytes)).ok());
    }
    std::vector<std::string> keys_left() {
        auto listing = RocksStepCache(m_dir / "index").list();
        EXPECT_TRUE(listing.ok());
        std::vector<std::string> keys;
        for (const CacheEntryInfo& entry : listing->entries) {
            keys.push_back(entry.key);
        }
        return keys;
    }
    static std::vector<std::string> keys(std::initializer_list<const char*> names) {
        std::vector<std::string> result;
        for (const char* name : names) {
            result.push_back(key_of(name));
        }
        return result;
    }
    static std::vector<std::string> keys_of(const std::vector<CacheEntryInfo>& entries) {
        std::vector<std::string> result;
        for (const CacheEntryInfo& entry : entries) {
            result.push_back(entry.key);
        }
        return result;
    }

    fs::path m_dir;
    std::unique_ptr<RocksStepCache> m_cache;
};

TEST_F(CacheAdminTest, StatsCountEntriesBytesAndTimes) {
    auto stats = m_cache->stats();
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(stats->entries, 4u);
    EXPECT_EQ(stats->unreadable, 0u);
    EXPECT_EQ(stats->artifact_bytes, 1234u);
    EXPECT_EQ(stats->oldest, k_now - Millis(10 * k_day_ms));
    EXPECT_EQ(stats->newest, k_now - Millis(1 * k_day_ms));
}

TEST_F(CacheAdminTest, ListIsNewestFirstWithTheEntryFacts) {
    auto listing = m_cache->list();
    ASSERT_TRUE(listing.ok());
    EXPECT_EQ(keys_of(listing->entries), keys({"d1", "d3", "d5", "d10"}));
    const CacheEntryInfo& first = listing->entries.front();
    EXPECT_EQ(first.step, "p/c");
    EXPECT_EQ(first.pipeline, "p");
    EXPECT_EQ(first.run_id, "run-d1");
    EXPECT_EQ(first.run_time, Millis(1500));
    EXPECT_EQ(first.artifact_bytes, 4u);
}

TEST_F(CacheAdminTest, PruneByAgeRemovesOlderEntriesAndTheirStepPointers) {
    auto removed = m_cache->prune(Millis(4 * k_day_ms), std::nullopt, k_now);
    ASSERT_TRUE(removed.ok()) << removed.error().to_string();
    EXPECT_EQ(keys_of(*removed), keys({"d10", "d5"}));
    EXPECT_EQ(keys_left(), keys({"d1", "d3"}));
    EXPECT_FALSE(m_cache->lookup(key_of("d10"))->has_value());  // also in this instance
    auto latest_b = m_cache->latest_for_step("p/b");
    ASSERT_TRUE(latest_b.ok());
    EXPECT_FALSE(*latest_b);
    auto latest_a = m_cache->latest_for_step("p/a");
    ASSERT_TRUE(latest_a.ok() && *latest_a);
    EXPECT_EQ((*latest_a)->key, key_of("d3"));
}

TEST_F(CacheAdminTest, PruneBySizeRemovesOldestUntilTheRestFits) {
    auto removed = m_cache->prune(std::nullopt, 234, k_now);
    ASSERT_TRUE(removed.ok());
    EXPECT_EQ(keys_of(*removed), keys({"d10"}));
    removed = m_cache->prune(std::nullopt, 233, k_now);
    ASSERT_TRUE(removed.ok());
    EXPECT_EQ(keys_of(*removed), keys({"d5"}));
    removed = m_cache->prune(std::nullopt, 0, k_now);
    ASSERT_TRUE(removed.ok());
    EXPECT_EQ(keys_of(*removed), keys({"d3", "d1"}));
    EXPECT_TRUE(keys_left().empty());
}

TEST_F(CacheAdminTest, PruneByAgeAndSizeTogether) {
    auto removed = m_cache->prune(Millis(7 * k_day_ms), 10, k_now);
    ASSERT_TRUE(removed.ok());
    EXPECT_EQ(keys_of(*removed), keys({"d10", "d5", "d3"}));
    EXPECT_EQ(keys_left(), keys({"d1"}));
    removed = m_cache->prune(Millis(7 * k_day_ms), 10, k_now);
    ASSERT_TRUE(removed.ok());
    EXPECT_TRUE(removed->empty());
}

TEST_F(CacheAdminTest, ClearRemovesEverythingAndTheIndexStaysUsable) {
    auto cleared = m_cache->clear();
    ASSERT_TRUE(cleared.ok());
    EXPECT_EQ(*cleared, 4u);
    EXPECT_TRUE(keys_left().empty());
    EXPECT_FALSE(m_cache->lookup(key_of("d1"))->has_value());
    auto latest = m_cache->latest_for_step("p/a");
    ASSERT_TRUE(latest.ok());
    EXPECT_FALSE(*latest);
    store("again", "p/a", 0, 7);
    EXPECT_EQ(keys_left(), keys({"again"}));
}

}  // namespace
}  // namespace kfrun::store::testing
