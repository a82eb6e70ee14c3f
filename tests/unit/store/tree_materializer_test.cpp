// The materializer never follows a link while creating, even when handed entries that the
// manifest checks would have refused (a tampered store).
#include "store/tree_materializer.hpp"

#include <gtest/gtest.h>

#include "base/sha256.hpp"
#include "store_fixture.hpp"

namespace kfrun::store::testing {
namespace {

namespace fs = std::filesystem;
using Type = TreeEntry::Type;

TEST_F(StoreTest, MaterializerDoesNotWriteThroughALinkInTheTree) {
    const fs::path outside = m_dir / "outside";
    fs::create_directories(outside);
    auto blob = m_store->ingest_bytes("root::0:0");
    ASSERT_TRUE(blob.ok());
    const std::vector<TreeEntry> hostile = {
        {Type::Symlink, "x", 0, 0, {}, outside.string()},
        {Type::File, "x/passwd", 0644, 9, blob->digest, {}},
    };
    BlobLayout layout(store_root());
    auto result = TreeMaterializer(layout).materialize(hostile, m_dir / "dest");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, base::ErrorKind::Io);
    EXPECT_TRUE(fs::is_empty(outside));
    EXPECT_FALSE(fs::exists(m_dir / "dest")) << "a failed materialize cleans up";
}

TEST_F(StoreTest, MaterializerDoesNotReplaceALinkWithADirectory) {
    const fs::path outside = m_dir / "outside";
    fs::create_directories(outside);
    const std::vector<TreeEntry> hostile = {
        {Type::Symlink, "x", 0, 0, {}, outside.string()},
        {Type::Directory, "x", 0755, 0, {}, {}},
        {Type::Directory, "x/made", 0755, 0, {}, {}},
    };
    BlobLayout layout(store_root());
    EXPECT_FALSE(TreeMaterializer(layout).materialize(hostile, m_dir / "dest").ok());
    EXPECT_TRUE(fs::is_empty(outside));
}

TEST_F(StoreTest, TamperedManifestBlobIsRefusedByMaterialize) {
    const fs::path outside = m_dir / "outside";
    fs::create_directories(outside);
    auto blob = m_store->ingest_bytes("root::0:0");
    ASSERT_TRUE(blob.ok());
    auto manifest = m_store->ingest_bytes("kfrun-tree 1\nl x " + outside.string() +
                                          "\nf x/passwd 0644 9 " + blob->digest + "\n");
    ASSERT_TRUE(manifest.ok());
    engine::ArtifactRef ref = *manifest;
    ref.kind = engine::ArtifactRef::Kind::Directory;
    EXPECT_FALSE(m_store->materialize(ref, m_dir / "dest").ok());
    EXPECT_TRUE(fs::is_empty(outside));
    EXPECT_FALSE(fs::exists(m_dir / "dest"));
}

TEST_F(StoreTest, MaterializerReportsAMissingBlobAndCleansUp) {
    const std::vector<TreeEntry> entries = {
        {Type::Directory, "d", 0755, 0, {}, {}},
        {Type::File, "d/f", 0644, 4, base::sha256_hex("gone"), {}},
    };
    BlobLayout layout(store_root());
    auto result = TreeMaterializer(layout).materialize(entries, m_dir / "dest");
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().where.find(base::sha256_hex("gone").substr(2)), std::string::npos);
    EXPECT_FALSE(fs::exists(m_dir / "dest"));
}

}  // namespace
}  // namespace kfrun::store::testing
