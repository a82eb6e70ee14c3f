// RocksStepCache: the step cache index in one process (round trip, versions, latest_for_step,
// a view opened before a write, lock waits).
#include "store/rocks_step_cache.hpp"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <thread>

#include "index_support.hpp"
#include "store/rocks_handle.hpp"
#include "store_fixture.hpp"

namespace kfrun::store::testing {
namespace {

namespace fs = std::filesystem;

class StepCacheTest : public ::testing::Test {
  protected:
    void SetUp() override { m_dir = make_temp_dir(); }
    void TearDown() override { remove_tree(m_dir); }
    fs::path index_dir() const { return m_dir / "index"; }

    // Writes raw key/value pairs with RocksDB itself, as another kfrun version might.
    void put_raw(const std::string& key, const std::string& value) {
        RocksHandle handle(index_dir(), {});
        auto written = handle.write([&](rocksdb::DB& db) -> base::Result<void> {
            EXPECT_TRUE(db.Put(rocksdb::WriteOptions(), key, value).ok());
            return base::ok();
        });
        ASSERT_TRUE(written.ok()) << written.error().to_string();
    }

    std::optional<engine::CacheEntry> lookup(RocksStepCache& cache, const std::string& key) {
        auto found = cache.lookup(key);
        EXPECT_TRUE(found.ok()) << found.error().to_string();
        return found.ok() ? *found : std::nullopt;
    }

    fs::path m_dir;
};

StepCacheSettings refresh_after(std::chrono::milliseconds age) {
    StepCacheSettings settings;
    settings.refresh_after = age;
    return settings;
}

StepCacheSettings lock_timeout(std::chrono::milliseconds timeout) {
    StepCacheSettings settings;
    settings.rocks.lock_timeout = timeout;
    return settings;
}

void expect_same_entry(const engine::CacheEntry& actual, const engine::CacheEntry& expected) {
    EXPECT_EQ(engine::encode_cache_entry(actual), engine::encode_cache_entry(expected));
}

TEST_F(StepCacheTest, StoredEntryIsFoundAgainByTheSameAndANewInstance) {
    const engine::CacheEntry entry = make_entry("one", "p/train", 1'700'000'000'123);
    {
        RocksStepCache cache(index_dir());
        ASSERT_TRUE(cache.store(entry).ok());
        auto found = lookup(cache, entry.key);
        ASSERT_TRUE(found);
        expect_same_entry(*found, entry);
    }
    RocksStepCache fresh(index_dir());
    auto found = lookup(fresh, entry.key);
    ASSERT_TRUE(found);
    expect_same_entry(*found, entry);
    EXPECT_EQ(found->outputs.artifacts.at(0).artifact.digest,
              entry.outputs.artifacts.at(0).artifact.digest);
    EXPECT_FALSE(lookup(fresh, key_of("other")));
}

TEST_F(StepCacheTest, LookupWithoutADatabaseIsAMissAndCreatesNothing) {
    RocksStepCache cache(index_dir());
    EXPECT_FALSE(lookup(cache, key_of("one")));
    auto latest = cache.latest_for_step("p/train");
    ASSERT_TRUE(latest.ok());
    EXPECT_FALSE(*latest);
    EXPECT_FALSE(fs::exists(index_dir()));
    auto stats = cache.stats();
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(stats->entries, 0u);
}

TEST_F(StepCacheTest, UnknownHeaderOrVersionIsAMissWithAWarning) {
    const engine::CacheEntry entry = make_entry("one", "p/train", 1000);
    const std::string encoded = engine::encode_cache_entry(entry);
    std::string version2 = encoded;
    version2.replace(version2.find("\"version\":1"), 11, "\"version\":2");
    const std::vector<std::pair<std::string, std::string>> values = {
        {"header 2", "kfrun-idx 2\n" + encoded},
        {"no header", encoded},
        {"garbage", "kfrun-idx 1\n{not json"},
        {"entry version 2", "kfrun-idx 1\n" + version2},
        {"empty", ""},
    };
    for (const auto& [label, value] : values) {
        put_raw("e/" + entry.key, value);
        std::vector<std::string> warnings;
        StepCacheSettings settings;
        settings.on_warning = [&](const std::string& message) { warnings.push_back(message); };
        RocksStepCache cache(index_dir(), settings);
        EXPECT_FALSE(lookup(cache, entry.key)) << label;
        EXPECT_EQ(warnings.size(), 1u) << label;
        auto stats = cache.stats();
        ASSERT_TRUE(stats.ok());
        EXPECT_EQ(stats->entries, 0u) << label;
        EXPECT_EQ(stats->unreadable, 1u) << label;
    }
    // An entry stored under another key than its own is not handed out either.
    put_raw("e/" + key_of("two"), "kfrun-idx 1\n" + encoded);
    RocksStepCache cache(index_dir());
    EXPECT_FALSE(lookup(cache, key_of("two")));
}

TEST_F(StepCacheTest, LatestForStepIsTheLastStoredEntryOfThatStep) {
    {
        RocksStepCache cache(index_dir());
        ASSERT_TRUE(cache.store(make_entry("a1", "p/train", 1000)).ok());
        ASSERT_TRUE(cache.store(make_entry("b1", "p/eval", 1500)).ok());
        ASSERT_TRUE(cache.store(make_entry("a2", "p/train", 2000)).ok());
        auto latest = cache.latest_for_step("p/train");
        ASSERT_TRUE(latest.ok() && *latest);
        EXPECT_EQ((*latest)->key, key_of("a2"));
    }
    RocksStepCache cache(index_dir());
    auto latest = cache.latest_for_step("p/train");
    ASSERT_TRUE(latest.ok() && *latest);
    EXPECT_EQ((*latest)->key, key_of("a2"));
    auto eval = cache.latest_for_step("p/eval");
    ASSERT_TRUE(eval.ok() && *eval);
    EXPECT_EQ((*eval)->key, key_of("b1"));
    auto none = cache.latest_for_step("p/none");
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(*none);
}

TEST_F(StepCacheTest, EntriesThisProcessStoresAreFoundAfterItsViewOpened) {
    RocksStepCache cache(index_dir(), refresh_after(std::chrono::hours(1)));
    ASSERT_TRUE(cache.store(make_entry("a", "p/s", 1000)).ok());
    ASSERT_TRUE(lookup(cache, key_of("a")));  // opens the read-only view
    ASSERT_TRUE(cache.store(make_entry("b", "p/s", 2000)).ok());
    EXPECT_TRUE(lookup(cache, key_of("b")));
    auto latest = cache.latest_for_step("p/s");
    ASSERT_TRUE(latest.ok() && *latest);
    EXPECT_EQ((*latest)->key, key_of("b"));
}

// A view opened before many writes (flushes, compactions, deleted files) keeps working, sees
// the database as it was, and a new instance (or a refreshed view) sees the new entries.
TEST_F(StepCacheTest, ViewOpenedBeforeWritesKeepsWorking) {
    RocksStepCache writer(index_dir());
    ASSERT_TRUE(writer.store(make_entry("first", "p/s", 1000)).ok());
    RocksStepCache stale(index_dir(), refresh_after(std::chrono::hours(1)));
    RocksStepCache refreshing(index_dir(), refresh_after(std::chrono::milliseconds(0)));
    ASSERT_TRUE(lookup(stale, key_of("first")));
    ASSERT_TRUE(lookup(refreshing, key_of("first")));
    for (int i = 0; i < 40; ++i) {
        engine::CacheEntry entry = make_entry("n" + std::to_string(i), "p/s", 2000 + i);
        entry.key_text = std::string(20'000, 'k');  // enough data for several table files
        ASSERT_TRUE(writer.store(entry).ok());
    }
    EXPECT_TRUE(lookup(stale, key_of("first")));
    EXPECT_FALSE(lookup(stale, key_of("n39")));
    EXPECT_TRUE(lookup(refreshing, key_of("n39")));
    RocksStepCache fresh(index_dir());
    for (int i = 0; i < 40; ++i) {
        EXPECT_TRUE(lookup(fresh, key_of("n" + std::to_string(i)))) << i;
    }
}

// A writer waits while another holds the primary instance, up to its lock_timeout.
TEST_F(StepCacheTest, StoreWaitsForAnotherWriterThenGivesUp) {
    RocksStepCache first(index_dir());
    ASSERT_TRUE(first.store(make_entry("a", "p/s", 1000)).ok());
    std::atomic<bool> holding = false;
    std::thread holder([&] {
        RocksHandle handle(index_dir(), {});
        (void)handle.write([&](rocksdb::DB&) -> base::Result<void> {
            holding = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
            return base::ok();
        });
    });
    while (!holding) {
        std::this_thread::yield();
    }
    RocksStepCache impatient(index_dir(), lock_timeout(std::chrono::milliseconds(50)));
    auto failed = impatient.store(make_entry("b", "p/s", 2000));
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().kind, base::ErrorKind::Io);
    EXPECT_EQ(failed.error().where, index_dir().string());
    RocksStepCache patient(index_dir(), lock_timeout(std::chrono::seconds(10)));
    const auto start = std::chrono::steady_clock::now();
    auto stored = patient.store(make_entry("c", "p/s", 3000));
    EXPECT_TRUE(stored.ok()) << stored.error().to_string();
    EXPECT_GT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
    holder.join();
    RocksStepCache fresh(index_dir());
    EXPECT_TRUE(lookup(fresh, key_of("c")));
    EXPECT_FALSE(lookup(fresh, key_of("b")));
}

StepCacheSettings write_behind(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    StepCacheSettings settings = lock_timeout(timeout);
    settings.write_behind = true;
    return settings;
}

TEST_F(StepCacheTest, WriteBehindEntriesAreSeenAtOnceHereAndByOthersAfterFlush) {
    RocksStepCache cache(index_dir(), write_behind());
    for (int i = 0; i < 20; ++i) {
        const std::string name = "e" + std::to_string(i);
        ASSERT_TRUE(cache.store(make_entry(name, "p/" + name, 1000 + i)).ok());
        EXPECT_TRUE(lookup(cache, key_of(name))) << "this process finds what it stored";
    }
    ASSERT_TRUE(cache.flush().ok());
    RocksStepCache other(index_dir());
    for (int i = 0; i < 20; ++i) {
        const std::string name = "e" + std::to_string(i);
        auto found = lookup(other, key_of(name));
        ASSERT_TRUE(found) << name;
        expect_same_entry(*found, make_entry(name, "p/" + name, 1000 + i));
        auto latest = other.latest_for_step("p/" + name);
        ASSERT_TRUE(latest.ok() && *latest) << name;
        EXPECT_EQ((*latest)->key, key_of(name));
    }
}

TEST_F(StepCacheTest, WriteBehindStoresAnOutputThatIsNotValidUtf8) {
    // One invalid byte in an output parameter threw nlohmann's type_error.316 on the writer
    // thread (std::terminate, exit 134); it is written as U+FFFD, as Argo's status has it.
    engine::CacheEntry entry = make_entry("bad", "p/bad", 1000);
    entry.outputs.parameters.emplace_back("out", "x\xFFy");
    entry.outputs.result = "\xE2\x82";
    {
        RocksStepCache cache(index_dir(), write_behind());
        ASSERT_TRUE(cache.store(entry).ok());
        ASSERT_TRUE(cache.flush().ok());
    }
    RocksStepCache fresh(index_dir());
    auto found = lookup(fresh, key_of("bad"));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->outputs.parameters.back().second, "x\xEF\xBF\xBDy");
    EXPECT_EQ(found->outputs.result, "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_F(StepCacheTest, WriteBehindWritesEverythingBeforeTheCacheIsGone) {
    {
        RocksStepCache cache(index_dir(), write_behind());
        ASSERT_TRUE(cache.store(make_entry("a", "p/a", 1000)).ok());
        ASSERT_TRUE(cache.store(make_entry("b", "p/b", 2000)).ok());
    }
    RocksStepCache fresh(index_dir());
    EXPECT_TRUE(lookup(fresh, key_of("a")));
    EXPECT_TRUE(lookup(fresh, key_of("b")));
}

TEST_F(StepCacheTest, WriteBehindStoreReturnsWhileAnotherProcessHoldsTheIndex) {
    RocksStepCache cache(index_dir(), write_behind(std::chrono::milliseconds(50)));
    std::atomic<bool> holding = false;
    std::atomic<bool> release = false;
    std::thread holder([&] {
        RocksHandle handle(index_dir(), {});
        (void)handle.write([&](rocksdb::DB&) -> base::Result<void> {
            holding = true;
            while (!release) {
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            return base::ok();
        });
    });
    while (!holding) {
        std::this_thread::yield();
    }
    EXPECT_TRUE(cache.store(make_entry("late", "p/s", 1000)).ok()) << "queued, not written";
    EXPECT_TRUE(lookup(cache, key_of("late")));
    auto flushed = cache.flush();
    ASSERT_FALSE(flushed.ok()) << "the write waited 50 ms for the lock and gave up";
    EXPECT_EQ(flushed.error().kind, base::ErrorKind::Io);
    EXPECT_NE(flushed.error().message.find("1 step result(s) were not recorded"), std::string::npos)
        << flushed.error().message;
    EXPECT_TRUE(cache.flush().ok()) << "an error is reported once";
    release = true;
    holder.join();
    ASSERT_TRUE(cache.store(make_entry("next", "p/s", 2000)).ok());
    ASSERT_TRUE(cache.flush().ok());
    RocksStepCache fresh(index_dir());
    EXPECT_TRUE(lookup(fresh, key_of("next")));
    EXPECT_FALSE(lookup(fresh, key_of("late")));
}

TEST_F(StepCacheTest, ANonDatabaseDirectoryIsAnIoErrorNamingIt) {
    write_file(index_dir() / "CURRENT", "MANIFEST-000099\n");
    RocksStepCache cache(index_dir());
    auto found = cache.lookup(key_of("a"));
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.error().kind, base::ErrorKind::Io);
    EXPECT_NE(found.error().to_string().find(index_dir().string()), std::string::npos);
}

}  // namespace
}  // namespace kfrun::store::testing
