#include "store/file_artifact_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "base/sha256.hpp"
#include "byte_sources.hpp"
#include "store_fixture.hpp"
#include "tar_builder.hpp"

namespace kfrun::store::testing {
namespace {

namespace fs = std::filesystem;
using engine::ArtifactRef;

// The tree of the known-answer test in tree_manifest_test.cpp, as Docker would send it.
std::string known_tree_tar(std::string_view prefix = "out") {
    const std::string p(prefix);
    return TarBuilder()
        .directory(p + "/", 0755)
        .directory(p + "/bin/", 0755)
        .file(p + "/bin/run.sh", "#!/bin/sh\necho hi\n", 0755)
        .file(p + "/data.txt", "hello\n", 0644)
        .directory(p + "/empty/", 0700)
        .symlink(p + "/link", "data.txt")
        .symlink(p + "/abs", "/etc/passwd")
        .file(p + "/odd name%\n.txt", "", 0600)
        .finish();
}

TEST_F(StoreTest, OpenCreatesLayoutAndRefusesAnotherFormatVersion) {
    EXPECT_TRUE(fs::is_directory(store_root() / "blobs" / "sha256"));
    EXPECT_TRUE(fs::is_directory(store_root() / "tmp"));
    EXPECT_EQ(read_file(store_root() / "kfrun-store"), "kfrun-store 1\n");
    EXPECT_TRUE(FileArtifactStore::open(store_root()).ok());
    write_file(store_root() / "kfrun-store", "kfrun-store 2\n");
    auto reopened = FileArtifactStore::open(store_root());
    ASSERT_FALSE(reopened.ok());
    EXPECT_EQ(reopened.error().kind, base::ErrorKind::Io);
}

TEST_F(StoreTest, FileRoundTripAndDigestEqualsSha256sum) {
    const std::string content = "line one\nline two\n";
    ArtifactRef ref = ingest(TarBuilder().file("result.txt", content, 0755).finish());
    EXPECT_EQ(ref.kind, ArtifactRef::Kind::File);
    EXPECT_EQ(ref.digest, base::sha256_hex(content));
    EXPECT_EQ(ref.size, content.size());
    EXPECT_EQ(ref.file_count, 1u);
    const fs::path blob = m_store->blob_path(ref);
    EXPECT_EQ(blob,
              store_root() / "blobs" / "sha256" / ref.digest.substr(0, 2) / ref.digest.substr(2));
    EXPECT_EQ(host_sha256sum(blob), ref.digest);
    EXPECT_EQ(permissions_of(blob), 0444u);

    const fs::path dest = m_dir / "inputs" / "deep" / "result.txt";
    ASSERT_TRUE(m_store->materialize(ref, dest).ok());
    EXPECT_EQ(read_file(dest), content);
    EXPECT_EQ(host_sha256sum(dest), ref.digest);
    EXPECT_EQ(permissions_of(dest), 0644u);
    struct stat blob_info {
    }, dest_info{};
    ASSERT_EQ(::stat(blob.c_str(), &blob_info), 0);
    ASSERT_EQ(::stat(dest.c_str(), &dest_info), 0);
    EXPECT_NE(blob_info.st_ino, dest_info.st_ino) << "materialized file must not share the blob";
    EXPECT_TRUE(fs::is_empty(store_root() / "tmp"));
}

TEST_F(StoreTest, DirectoryRoundTripKeepsModesLinksAndEmptyDirectories) {
    ArtifactRef ref = ingest(known_tree_tar());
    EXPECT_EQ(ref.kind, ArtifactRef::Kind::Directory);
    EXPECT_EQ(ref.file_count, 3u);
    EXPECT_EQ(ref.size, 24u);
    EXPECT_TRUE(m_store->blob_path(ref).empty());

    const fs::path dest = m_dir / "out";
    ASSERT_TRUE(m_store->materialize(ref, dest).ok());
    EXPECT_EQ(read_file(dest / "bin" / "run.sh"), "#!/bin/sh\necho hi\n");
    EXPECT_EQ(permissions_of(dest / "bin" / "run.sh"), 0755u);
    EXPECT_EQ(read_file(dest / "data.txt"), "hello\n");
    EXPECT_EQ(permissions_of(dest / "data.txt"), 0644u);
    EXPECT_EQ(read_file(dest / "odd name%\n.txt"), "");
    EXPECT_EQ(permissions_of(dest / "odd name%\n.txt"), 0600u);
    EXPECT_TRUE(fs::is_directory(dest / "empty"));
    EXPECT_TRUE(fs::is_empty(dest / "empty"));
    EXPECT_EQ(permissions_of(dest / "empty"), 0700u);
    EXPECT_EQ(permissions_of(dest), 0755u);
    ASSERT_TRUE(fs::is_symlink(dest / "link"));
    EXPECT_EQ(fs::read_symlink(dest / "link"), "data.txt");
    ASSERT_TRUE(fs::is_symlink(dest / "abs"));
    EXPECT_EQ(fs::read_symlink(dest / "abs"), "/etc/passwd");

    // Re-ingesting what was materialized gives the same identity.
    auto again = m_store->ingest_path(dest);
    ASSERT_TRUE(again.ok()) << again.error().to_string();
    EXPECT_EQ(*again, ref);
}

TEST_F(StoreTest, KnownAnswerDirectoryDigestFromATar) {
    // Same digest as TreeManifest.KnownAnswerDigestIsPinned, with a "./" prefix on every name.
    ArtifactRef ref = ingest(known_tree_tar("./out"));
    EXPECT_EQ(ref.digest, "cf98d3bf521be1f64d8e401d4a34ff98008a3decdd77b8cf6b23135cefc2e101");
    EXPECT_EQ(host_sha256sum(store_root() / "blobs" / "sha256" / ref.digest.substr(0, 2) /
                             ref.digest.substr(2)),
              ref.digest);
}

TEST_F(StoreTest, EntriesWithoutTheirDirectoryEntriesGetDefaultParents) {
    ArtifactRef ref = ingest(TarBuilder().file("out/a/b/c.txt", "c").finish());
    auto manifest = m_store->load_manifest(ref);
    ASSERT_TRUE(manifest.ok());
    EXPECT_EQ(manifest->serialize(), "kfrun-tree 1\nd a 0755\nd a/b 0755\nf a/b/c.txt 0644 1 " +
                                         base::sha256_hex("c") + "\n");
}

TEST_F(StoreTest, EmptyDirectoryArtifactRoundTrips) {
    ArtifactRef ref = ingest(TarBuilder().directory("out/").finish());
    EXPECT_EQ(ref.digest, base::sha256_hex("kfrun-tree 1\n"));
    EXPECT_EQ(ref.file_count, 0u);
    ASSERT_TRUE(m_store->materialize(ref, m_dir / "empty").ok());
    EXPECT_TRUE(fs::is_directory(m_dir / "empty"));
    EXPECT_TRUE(fs::is_empty(m_dir / "empty"));
}

TEST_F(StoreTest, HardLinksBecomeIndependentCopies) {
    ArtifactRef ref = ingest(TarBuilder()
                                 .directory("out/")
                                 .file("out/a", "shared", 0750)
                                 .directory("out/sub/")
                                 .hardlink("out/sub/b", "out/a")
                                 .finish());
    EXPECT_EQ(ref.file_count, 2u);
    EXPECT_EQ(ref.size, 12u);
    ASSERT_TRUE(m_store->materialize(ref, m_dir / "out").ok());
    EXPECT_EQ(read_file(m_dir / "out" / "sub" / "b"), "shared");
    EXPECT_EQ(permissions_of(m_dir / "out" / "sub" / "b"), 0750u);
    EXPECT_EQ(fs::hard_link_count(m_dir / "out" / "a"), 1u);
    EXPECT_EQ(fs::hard_link_count(m_dir / "out" / "sub" / "b"), 1u);
}

TEST_F(StoreTest, DevicesAndFifosInsideATreeAreSkipped) {
    ArtifactRef ref = ingest(TarBuilder()
                                 .directory("out/")
                                 .fifo("out/pipe")
                                 .char_device("out/null")
                                 .file("out/kept", "k")
                                 .finish());
    ASSERT_TRUE(m_store->materialize(ref, m_dir / "out").ok());
    EXPECT_FALSE(fs::exists(fs::symlink_status(m_dir / "out" / "pipe")));
    EXPECT_FALSE(fs::exists(fs::symlink_status(m_dir / "out" / "null")));
    EXPECT_EQ(read_file(m_dir / "out" / "kept"), "k");
}

TEST_F(StoreTest, UnicodeAndLongNamesSurvive) {
    const std::string long_name(200, 'n');
    ArtifactRef ref = ingest(TarBuilder()
                                 .directory("out/")
                                 .file("out/caf\xc3\xa9.txt", "u")
                                 .file("out/" + long_name, "l")
                                 .finish());
    ASSERT_TRUE(m_store->materialize(ref, m_dir / "out").ok());
    EXPECT_EQ(read_file(m_dir / "out" / "caf\xc3\xa9.txt"), "u");
    EXPECT_EQ(read_file(m_dir / "out" / long_name), "l");
}

TEST_F(StoreTest, ReadOnlyDirectoriesAreFilledBeforeTheirModeIsSet) {
    ArtifactRef ref = ingest(
        TarBuilder().directory("out/").directory("out/ro/", 0555).file("out/ro/f", "x").finish());
    ASSERT_TRUE(m_store->materialize(ref, m_dir / "out").ok());
    EXPECT_EQ(read_file(m_dir / "out" / "ro" / "f"), "x");
    EXPECT_EQ(permissions_of(m_dir / "out" / "ro"), 0555u);
}

TEST_F(StoreTest, IngestBytesAndReadText) {
    auto ref = m_store->ingest_bytes("42\n");
    ASSERT_TRUE(ref.ok());
    EXPECT_EQ(ref->digest, base::sha256_hex("42\n"));
    auto text = m_store->read_text(*ref, 100);
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*text, "42\n");
    auto too_big = m_store->read_text(*ref, 2);
    ASSERT_FALSE(too_big.ok());
    EXPECT_EQ(too_big.error().kind, base::ErrorKind::Io);
    ArtifactRef dir = ingest(TarBuilder().directory("out/").finish());
    EXPECT_FALSE(m_store->read_text(dir, 100).ok());
    auto empty = m_store->ingest_bytes("");
    ASSERT_TRUE(empty.ok());
    EXPECT_EQ(*m_store->read_text(*empty, 0), "");
}

TEST_F(StoreTest, IngestPathStoresLinksWithoutFollowingThem) {
    const fs::path src = m_dir / "src";
    write_file(src / "a.txt", "a", 0640);
    fs::create_directories(src / "empty");
    fs::create_symlink("/etc", src / "etc-link");
    fs::create_symlink("a.txt", src / "rel-link");
    auto ref = m_store->ingest_path(src);
    ASSERT_TRUE(ref.ok()) << ref.error().to_string();
    auto manifest = m_store->load_manifest(*ref);
    ASSERT_TRUE(manifest.ok());
    EXPECT_EQ(manifest->serialize(), "kfrun-tree 1\nf a.txt 0640 1 " + base::sha256_hex("a") +
                                         "\nd empty 0755\nl etc-link /etc\nl rel-link a.txt\n");
    auto top_link = m_store->ingest_path(src / "rel-link");
    EXPECT_FALSE(top_link.ok());
    auto file = m_store->ingest_path(src / "a.txt");
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file->digest, host_sha256sum(src / "a.txt"));
    EXPECT_FALSE(m_store->ingest_path(m_dir / "missing").ok());
}

TEST_F(StoreTest, IngestPathGivesTheSameTreeAsTheTarOfItWithSmallAndLargeFiles) {
    // Small files are hashed in memory and linked under their name at once, files of 1 MiB
    // and more are streamed through tmp/: both must give the tar ingest's digests.
    const std::string large(3 * 1024 * 1024 + 17, 'L');
    const std::string boundary(1024 * 1024, 'B');  // exactly the buffer: streamed
    const fs::path src = m_dir / "src";
    write_file(src / "small.txt", "small\n", 0600);
    write_file(src / "sub" / "large.bin", large, 0644);
    write_file(src / "sub" / "boundary.bin", boundary, 0755);
    write_file(src / "sub" / "empty", "", 0644);
    write_file(src / "copy.txt", "small\n", 0644);
    fs::permissions(src / "sub", fs::perms(0750));
    ArtifactRef from_tar = ingest(TarBuilder()
                                      .directory("src/")
                                      .file("src/small.txt", "small\n", 0600)
                                      .file("src/copy.txt", "small\n", 0644)
                                      .directory("src/sub/", 0750)
                                      .file("src/sub/large.bin", large, 0644)
                                      .file("src/sub/boundary.bin", boundary, 0755)
                                      .file("src/sub/empty", "", 0644)
                                      .finish());
    remove_tree(store_root());
    auto reopened = FileArtifactStore::open(store_root());
    ASSERT_TRUE(reopened.ok()) << reopened.error().to_string();
    m_store = std::move(*reopened);
    auto from_path = m_store->ingest_path(src);
    ASSERT_TRUE(from_path.ok()) << from_path.error().to_string();
    EXPECT_EQ(*from_path, from_tar);
    EXPECT_TRUE(m_store->contains(*from_path, /*deep=*/true));
    const fs::path small_blob = m_store->blob_path(*m_store->ingest_bytes("small\n"));
    EXPECT_EQ(permissions_of(small_blob), 0444u);
    EXPECT_EQ(host_sha256sum(small_blob), base::sha256_hex("small\n"));
    for (const auto& entry : store_contents()) {
        EXPECT_NE(entry.rfind("tmp/", 0), 0u) << "left behind: " << entry;
    }
}

TEST_F(StoreTest, IngestPathKeepsAPresentBlobAndRepairsAShortOne) {
    const fs::path src = m_dir / "src";
    write_file(src / "a.txt", "content of a\n");
    write_file(src / "b.txt", "content of b\n");
    auto first = m_store->ingest_path(src);
    ASSERT_TRUE(first.ok()) << first.error().to_string();
    const fs::path a_blob = store_root() / "blobs" / "sha256" /
                            base::sha256_hex("content of a\n").substr(0, 2) /
                            base::sha256_hex("content of a\n").substr(2);
    const fs::path b_blob = store_root() / "blobs" / "sha256" /
                            base::sha256_hex("content of b\n").substr(0, 2) /
                            base::sha256_hex("content of b\n").substr(2);
    struct stat a_before {};
    ASSERT_EQ(::stat(a_blob.c_str(), &a_before), 0);
    // A power loss may leave a renamed blob short.
    fs::permissions(b_blob, fs::perms::owner_write, fs::perm_options::add);
    fs::resize_file(b_blob, 3);
    auto second = m_store->ingest_path(src);
    ASSERT_TRUE(second.ok()) << second.error().to_string();
    EXPECT_EQ(*second, *first);
    struct stat a_after {};
    ASSERT_EQ(::stat(a_blob.c_str(), &a_after), 0);
    EXPECT_EQ(a_after.st_ino, a_before.st_ino) << "a present blob is not written again";
    EXPECT_EQ(read_file(b_blob), "content of b\n") << "a short blob is replaced";
    EXPECT_TRUE(m_store->contains(*second, /*deep=*/true));
}

TEST_F(StoreTest, MaterializeRefusesAnExistingDestination) {
    auto file = m_store->ingest_bytes("new");
    ASSERT_TRUE(file.ok());
    ArtifactRef dir = ingest(TarBuilder().directory("out/").file("out/f", "new").finish());

    write_file(m_dir / "existing.txt", "old");
    auto over_file = m_store->materialize(*file, m_dir / "existing.txt");
    ASSERT_FALSE(over_file.ok());
    EXPECT_EQ(over_file.error().kind, base::ErrorKind::Io);
    EXPECT_NE(over_file.error().where.find("existing.txt"), std::string::npos);
    EXPECT_EQ(read_file(m_dir / "existing.txt"), "old");

    fs::create_directories(m_dir / "existing-dir");
    write_file(m_dir / "existing-dir" / "f", "old");
    EXPECT_FALSE(m_store->materialize(dir, m_dir / "existing-dir").ok());
    EXPECT_FALSE(m_store->materialize(*file, m_dir / "existing-dir").ok());
    EXPECT_EQ(read_file(m_dir / "existing-dir" / "f"), "old");

    // A dangling link is "existing" too, and is not followed.
    fs::create_symlink(m_dir / "target-of-link", m_dir / "dangling");
    EXPECT_FALSE(m_store->materialize(*file, m_dir / "dangling").ok());
    EXPECT_FALSE(m_store->materialize(dir, m_dir / "dangling").ok());
    EXPECT_FALSE(fs::exists(m_dir / "target-of-link"));
}

TEST_F(StoreTest, ContainsDeepDetectsACorruptedBlob) {
    auto file = m_store->ingest_bytes("precious");
    ASSERT_TRUE(file.ok());
    ArtifactRef dir = ingest(TarBuilder().directory("out/").file("out/inner", "inside").finish());
    EXPECT_TRUE(m_store->contains(*file, true));
    EXPECT_TRUE(m_store->contains(dir, true));

    const fs::path blob = m_store->blob_path(*file);
    fs::permissions(blob, fs::perms::owner_write, fs::perm_options::add);
    write_file(blob, "Precious", 0444);
    EXPECT_TRUE(m_store->contains(*file, false));
    EXPECT_FALSE(m_store->contains(*file, true));

    auto inner = m_store->ingest_bytes("inside");  // the directory's file blob
    ASSERT_TRUE(inner.ok());
    const fs::path inner_blob = m_store->blob_path(*inner);
    fs::permissions(inner_blob, fs::perms::owner_write, fs::perm_options::add);
    write_file(inner_blob, "outside", 0444);
    EXPECT_TRUE(m_store->contains(dir, false));
    EXPECT_FALSE(m_store->contains(dir, true));

    fs::remove(inner_blob);
    EXPECT_FALSE(m_store->contains(dir, false));
}

TEST_F(StoreTest, ReingestRepairsACorruptedBlob) {
    auto file = m_store->ingest_bytes("heal me");
    ASSERT_TRUE(file.ok());
    const fs::path blob = m_store->blob_path(*file);
    fs::permissions(blob, fs::perms::owner_write, fs::perm_options::add);
    write_file(blob, "broken", 0444);
    ASSERT_FALSE(m_store->contains(*file, true));
    ASSERT_TRUE(m_store->ingest_bytes("heal me").ok());
    EXPECT_TRUE(m_store->contains(*file, true));
}

TEST_F(StoreTest, UnknownOrInvalidReferencesFailCleanly) {
    ArtifactRef missing{ArtifactRef::Kind::File, base::sha256_hex("never stored"), 3, 1};
    EXPECT_FALSE(m_store->contains(missing, false));
    EXPECT_FALSE(m_store->materialize(missing, m_dir / "x").ok());
    EXPECT_FALSE(fs::exists(m_dir / "x"));
    ArtifactRef hostile{ArtifactRef::Kind::File, "../../../../etc/passwd", 0, 1};
    EXPECT_FALSE(m_store->contains(hostile, false));
    EXPECT_TRUE(m_store->blob_path(hostile).empty());
    auto read = m_store->read_text(hostile, 100);
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().kind, base::ErrorKind::Io);
    // A file blob presented as a directory is not a manifest.
    auto bytes = m_store->ingest_bytes("not a manifest");
    ASSERT_TRUE(bytes.ok());
    ArtifactRef as_dir = *bytes;
    as_dir.kind = ArtifactRef::Kind::Directory;
    EXPECT_FALSE(m_store->contains(as_dir, false));
    EXPECT_FALSE(m_store->materialize(as_dir, m_dir / "y").ok());
    EXPECT_FALSE(fs::exists(m_dir / "y"));
}

}  // namespace
}  // namespace kfrun::store::testing
