// A blob whose bytes were changed on disk (an edited hard link, a bad disk) is found where its
// bytes are read anyway, removed from the store, and written again by the next ingest.
// Exports for people are copies whose links never lead out of the tree.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sha256.hpp"
#include "base/unique_fd.hpp"
#include "store/tree_materializer.hpp"
#include "store_fixture.hpp"
#include "tar_builder.hpp"

namespace kfrun::store::testing {
namespace {

namespace fs = std::filesystem;
using engine::ArtifactRef;

// Overwrites a blob in place with bytes of the same size, as an editor writing through a hard
// link would (root ignores the blob's 0444).
void damage(const fs::path& blob, std::string_view same_size_bytes) {
    fs::permissions(blob, fs::perms::owner_write, fs::perm_options::add);
    int fd = ::open(blob.c_str(), O_WRONLY | O_TRUNC);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::write(fd, same_size_bytes.data(), same_size_bytes.size()),
              static_cast<ssize_t>(same_size_bytes.size()));
    ::close(fd);
}

TEST_F(StoreTest, DamagedFileBlobFailsMaterializeAndLeavesTheStore) {
    ArtifactRef ref = ingest(TarBuilder().file("model", "weights-1", 0644).finish());
    const fs::path blob = m_store->blob_path(ref);
    damage(blob, "weights-2");

    auto made = m_store->materialize(ref, m_dir / "in" / "model");
    ASSERT_FALSE(made.ok()) << "a blob of the right size was trusted";
    EXPECT_NE(made.error().message.find("damaged"), std::string::npos) << made.error().message;
    EXPECT_FALSE(fs::exists(m_dir / "in" / "model")) << "no half-checked copy is left";
    EXPECT_FALSE(fs::exists(blob)) << "the damaged blob stays in the store";
    EXPECT_FALSE(m_store->contains(ref, false)) << "a consumer now sees it as missing";

    // The producer runs again: its ingest writes the blob anew.
    ingest(TarBuilder().file("model", "weights-1", 0644).finish());
    ASSERT_TRUE(m_store->materialize(ref, m_dir / "again").ok());
    EXPECT_EQ(read_file(m_dir / "again"), "weights-1");
}

TEST_F(StoreTest, DamagedBlobInsideATreeFailsMaterialize) {
    ArtifactRef ref = ingest(TarBuilder()
                                 .directory("out/", 0755)
                                 .file("out/a.txt", "alpha", 0644)
                                 .file("out/b.txt", "bravo", 0644)
                                 .finish());
    const fs::path blob = store_root() / "blobs/sha256" / base::sha256_hex("bravo").substr(0, 2) /
                          base::sha256_hex("bravo").substr(2);
    damage(blob, "BRAVO");
    auto made = m_store->materialize(ref, m_dir / "dest");
    ASSERT_FALSE(made.ok());
    EXPECT_NE(made.error().message.find("damaged"), std::string::npos);
    EXPECT_FALSE(fs::exists(m_dir / "dest"));
    EXPECT_FALSE(fs::exists(blob));
}

TEST_F(StoreTest, DeepContainsRemovesADamagedBlobSoTheNextIngestRepairsIt) {
    ArtifactRef ref = ingest(TarBuilder().file("x", "original", 0644).finish());
    const fs::path blob = m_store->blob_path(ref);
    damage(blob, "ORIGINAL");
    EXPECT_TRUE(m_store->contains(ref, false));
    EXPECT_FALSE(m_store->contains(ref, true));
    EXPECT_FALSE(fs::exists(blob)) << "a cache hit on it is a miss, and stays one until re-made";
    auto again = m_store->ingest_bytes("original");  // the producer ran again
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(m_store->contains(ref, true));
    EXPECT_EQ(host_sha256sum(blob), ref.digest);
}

TEST_F(StoreTest, BlobsAreReadOnlyAndTheStoreRootIsPrivate) {
    ArtifactRef ref = ingest(TarBuilder().file("x", "secret output", 0644).finish());
    EXPECT_EQ(permissions_of(m_store->blob_path(ref)), 0444u);
    EXPECT_EQ(permissions_of(store_root()), 0700u);
    // A store an older kfrun made 0755 is tightened when opened.
    fs::permissions(store_root(), static_cast<fs::perms>(0755), fs::perm_options::replace);
    ASSERT_TRUE(FileArtifactStore::open(store_root()).ok());
    EXPECT_EQ(permissions_of(store_root()), 0700u);
}

class ExportTest : public StoreTest {
  protected:
    base::UniqueFd open_dir(const fs::path& dir) {
        fs::create_directories(dir);
        return base::UniqueFd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY));
    }
};

TEST_F(ExportTest, ExportIsACopyAndEditingItLeavesTheBlob) {
    ArtifactRef ref = ingest(TarBuilder().file("model", "weights", 0644).finish());
    base::UniqueFd dir = open_dir(m_dir / "artifacts");
    ASSERT_TRUE(m_store->export_copy(ref, dir.get(), "model", "model").ok());
    const fs::path copy = m_dir / "artifacts" / "model";
    struct stat copy_info {};
    struct stat blob_info {};
    ASSERT_EQ(::stat(copy.c_str(), &copy_info), 0);
    ASSERT_EQ(::stat(m_store->blob_path(ref).c_str(), &blob_info), 0);
    EXPECT_NE(copy_info.st_ino, blob_info.st_ino);
    EXPECT_EQ(blob_info.st_nlink, 1u);
    EXPECT_EQ(copy_info.st_mode & 0777, 0600u);
    write_file(copy, "edited!");
    EXPECT_TRUE(m_store->contains(ref, true));
    EXPECT_FALSE(m_store->export_copy(ref, dir.get(), "model", "model").ok())
        << "an existing name is never reused";
}

// A run's artifacts/ folder holds outputs: like every file kfrun writes there, an exported tree
// is its owner's only (it kept the container's 0644/0755, so other users could read it wherever
// the folder was reachable). The owner's own bits stay: a script stays executable.
TEST_F(ExportTest, AnExportedTreeKeepsOnlyItsOwnersBits) {
    ArtifactRef ref = ingest(TarBuilder()
                                 .directory("out/", 0755)
                                 .file("out/data.txt", "hello", 0644)
                                 .file("out/run.sh", "#!/bin/sh\n", 0755)
                                 .directory("out/ro/", 0555)
                                 .file("out/ro/x", "x", 0444)
                                 .finish());
    base::UniqueFd dir = open_dir(m_dir / "artifacts");
    ASSERT_TRUE(m_store->export_copy(ref, dir.get(), "out", "out").ok());
    const fs::path out = m_dir / "artifacts" / "out";
    EXPECT_EQ(permissions_of(out), 0700u);
    EXPECT_EQ(permissions_of(out / "data.txt"), 0600u);
    EXPECT_EQ(permissions_of(out / "run.sh"), 0700u);
    EXPECT_EQ(permissions_of(out / "ro"), 0500u);
    EXPECT_EQ(permissions_of(out / "ro" / "x"), 0400u);
}

TEST_F(ExportTest, LinksThatLeaveTheTreeBecomeNotes) {
    ArtifactRef ref = ingest(TarBuilder()
                                 .directory("out/", 0755)
                                 .file("out/data.txt", "hello", 0644)
                                 .directory("out/sub/", 0755)
                                 .symlink("out/root", "/")
                                 .symlink("out/shadow", "/etc/shadow")
                                 .symlink("out/up", "../outside")
                                 .symlink("out/sub/up2", "../../outside")
                                 .symlink("out/via", "root/etc/passwd")
                                 .symlink("out/inside", "data.txt")
                                 .symlink("out/sub/back", "../data.txt")
                                 .symlink("out/sub/dot", "./../sub/../data.txt")
                                 .finish());
    base::UniqueFd dir = open_dir(m_dir / "artifacts");
    ASSERT_TRUE(m_store->export_copy(ref, dir.get(), "out", "out").ok());
    const fs::path out = m_dir / "artifacts" / "out";
    for (const auto& [name, target] :
         std::vector<std::pair<std::string, std::string>>{{"root", "/"},
                                                          {"shadow", "/etc/shadow"},
                                                          {"up", "../outside"},
                                                          {"sub/up2", "../../outside"},
                                                          {"via", "root/etc/passwd"}}) {
        SCOPED_TRACE(name);
        EXPECT_FALSE(fs::is_symlink(out / name));
        ASSERT_TRUE(fs::is_regular_file(out / name));
        EXPECT_NE(read_file(out / name).find("symbolic link to\n" + target + "\n"),
                  std::string::npos);
    }
    for (const auto& [name, target] :
         std::vector<std::pair<std::string, std::string>>{{"inside", "data.txt"},
                                                          {"sub/back", "../data.txt"},
                                                          {"sub/dot", "./../sub/../data.txt"}}) {
        SCOPED_TRACE(name);
        ASSERT_TRUE(fs::is_symlink(out / name));
        EXPECT_EQ(fs::read_symlink(out / name), target);
    }
    // A step's input keeps its links: inside the container they are the step's own view.
    ASSERT_TRUE(m_store->materialize(ref, m_dir / "input").ok());
    EXPECT_EQ(fs::read_symlink(m_dir / "input" / "root"), "/");
}

TEST(LinkLeavesTree, ResolvesTargetsLexicallyFromTheLinksFolder) {
    const std::unordered_set<std::string> links = {"a", "d/l"};
    auto leaves = [&](std::string path, std::string target) {
        TreeEntry entry{TreeEntry::Type::Symlink, std::move(path), 0, 0, {}, std::move(target)};
        return link_leaves_tree(entry, links);
    };
    EXPECT_TRUE(leaves("x", "/"));
    EXPECT_TRUE(leaves("x", ""));
    EXPECT_TRUE(leaves("x", ".."));
    EXPECT_TRUE(leaves("d/x", "../.."));
    EXPECT_TRUE(leaves("d/x", "l/file")) << "through another link";
    EXPECT_TRUE(leaves("x", "d/../a/y"));
    EXPECT_FALSE(leaves("d/x", ".."));
    EXPECT_FALSE(leaves("x", "a")) << "a link to a link is judged by that link";
    EXPECT_FALSE(leaves("x", "d//y/./"));
    EXPECT_FALSE(leaves("d/e/x", "../../d/y"));
}

}  // namespace
}  // namespace kfrun::store::testing
