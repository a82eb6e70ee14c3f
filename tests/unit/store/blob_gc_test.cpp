// Blob GC: reachability from digests mentioned in text, through tree manifests; removal of the
// rest, sparing new blobs (a run in progress) and counting in a dry run.
#include "store/blob_gc.hpp"

#include <gtest/gtest.h>

#include "store/blob_layout.hpp"
#include "store_fixture.hpp"

namespace kfrun::store::testing {
namespace {

namespace fs = std::filesystem;

const std::string k_a(64, 'a');
const std::string k_b(64, 'b');

TEST(CollectDigests, FindsExactly64LowerHexRuns) {
    std::set<std::string> found;
    collect_digests("{\"digest\":\"" + k_a + "\",\"x\":\"" + k_b + "c\",\"y\":\"" +
                        std::string(64, 'A') + "\"}" + k_b,
                    found);
    EXPECT_EQ(found, (std::set<std::string>{k_a, k_b}));
}

class BlobGcTest : public StoreTest {
  protected:
    engine::ArtifactRef bytes(const std::string& text) {
        auto ref = m_store->ingest_bytes(text);
        EXPECT_TRUE(ref.ok());
        return *ref;
    }
    bool present(const std::string& digest) const {
        return fs::exists(BlobLayout(store_root()).blob_path(digest));
    }
    BlobGcOptions collect_all() const {
        BlobGcOptions options;
        options.keep_newer_than = std::chrono::system_clock::now() + std::chrono::hours(1);
        options.temp_older_than = std::chrono::system_clock::now() + std::chrono::hours(1);
        return options;
    }
};

TEST_F(BlobGcTest, RemovesOnlyWhatNothingReaches) {
    const fs::path tree = m_dir / "tree";
    write_file(tree / "one.txt", "one\n");
    write_file(tree / "sub" / "two.txt", "two\n");
    auto directory = m_store->ingest_path(tree);
    ASSERT_TRUE(directory.ok()) << directory.error().to_string();
    const auto kept = bytes("referenced by a cache entry\n");
    const auto dropped = bytes("referenced by nothing\n");
    const std::string one = host_sha256sum(tree / "one.txt");
    const std::string two = host_sha256sum(tree / "sub" / "two.txt");

    const std::set<std::string> roots = {directory->digest, kept.digest};
    const std::set<std::string> reached = reachable_blobs(store_root(), roots);
    EXPECT_EQ(reached, (std::set<std::string>{directory->digest, kept.digest, one, two}));

    BlobGcOptions dry = collect_all();
    dry.dry_run = true;
    auto counted = collect_blobs(store_root(), roots, dry);
    ASSERT_TRUE(counted.ok());
    EXPECT_EQ(counted->blobs_removed, 1u);
    EXPECT_EQ(counted->bytes_removed, dropped.size);
    EXPECT_TRUE(present(dropped.digest));  // a dry run removes nothing

    auto collected = collect_blobs(store_root(), roots, collect_all());
    ASSERT_TRUE(collected.ok()) << collected.error().to_string();
    EXPECT_EQ(collected->blobs_removed, 1u);
    EXPECT_EQ(collected->blobs_kept, 4u);
    EXPECT_FALSE(present(dropped.digest));
    for (const auto& digest : reached) {
        EXPECT_TRUE(present(digest)) << digest;
    }
    // What was kept still materializes.
    EXPECT_TRUE(m_store->materialize(*directory, m_dir / "out").ok());
    EXPECT_EQ(read_file(m_dir / "out" / "sub" / "two.txt"), "two\n");
}

TEST_F(BlobGcTest, NewBlobsStayForTheRunsInProgress) {
    const auto fresh = bytes("stored a moment ago by a running step\n");
    BlobGcOptions options = collect_all();
    options.keep_newer_than = std::chrono::system_clock::now() - std::chrono::minutes(1);
    auto collected = collect_blobs(store_root(), {}, options);
    ASSERT_TRUE(collected.ok());
    EXPECT_EQ(collected->blobs_removed, 0u);
    EXPECT_TRUE(present(fresh.digest));
}

TEST_F(BlobGcTest, StaleTempFilesGoAndFreshOnesStay) {
    write_file(store_root() / "tmp" / "blob-old", "partial");
    write_file(store_root() / "tmp" / "blob-new", "partial");
    const auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(48);
    fs::last_write_time(store_root() / "tmp" / "blob-old", old_time);
    BlobGcOptions options = collect_all();
    options.temp_older_than = std::chrono::system_clock::now() - std::chrono::hours(24);
    auto collected = collect_blobs(store_root(), {}, options);
    ASSERT_TRUE(collected.ok());
    EXPECT_EQ(collected->temp_removed, 1u);
    EXPECT_FALSE(fs::exists(store_root() / "tmp" / "blob-old"));
    EXPECT_TRUE(fs::exists(store_root() / "tmp" / "blob-new"));
}

}  // namespace
}  // namespace kfrun::store::testing
