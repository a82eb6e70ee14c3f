#include "store/tree_builder.hpp"

#include <gtest/gtest.h>

#include "base/sha256.hpp"

namespace kfrun::store {
namespace {

const std::string k_digest = base::sha256_hex("x");

TEST(TreeBuilder, AddsMissingParentsAsDefaultDirectories) {
    TreeBuilder tree;
    ASSERT_TRUE(tree.add_file("a/b/c.txt", 0640, k_digest, 1).ok());
    auto manifest = std::move(tree).finish();
    ASSERT_TRUE(manifest.ok());
    EXPECT_EQ(manifest->serialize(),
              "kfrun-tree 1\nd a 0755\nd a/b 0755\nf a/b/c.txt 0640 1 " + k_digest + "\n");
}

TEST(TreeBuilder, ExplicitDirectoryModeWinsOverImplicitParent) {
    TreeBuilder tree;
    ASSERT_TRUE(tree.add_file("a/f", 0644, k_digest, 1).ok());
    ASSERT_TRUE(tree.add_directory("a", 0700).ok());
    auto manifest = std::move(tree).finish();
    ASSERT_TRUE(manifest.ok());
    EXPECT_EQ(manifest->entries()[0].mode, 0700u);
}

TEST(TreeBuilder, RejectsEntriesBelowSymlinksFilesAndSkippedEntries) {
    TreeBuilder tree;
    ASSERT_TRUE(tree.add_symlink("link", "/").ok());
    ASSERT_TRUE(tree.add_file("file", 0644, k_digest, 1).ok());
    ASSERT_TRUE(tree.add_skipped("fifo").ok());
    auto below_link = tree.add_file("link/etc/passwd", 0644, k_digest, 1);
    ASSERT_FALSE(below_link.ok());
    EXPECT_EQ(below_link.error().kind, base::ErrorKind::Input);
    EXPECT_NE(below_link.error().message.find("symlink"), std::string::npos);
    EXPECT_FALSE(tree.add_directory("file/x", 0755).ok());
    EXPECT_FALSE(tree.add_symlink("fifo/x", "y").ok());
}

TEST(TreeBuilder, RejectsConflictingDuplicatesButNotARepeatedDirectory) {
    TreeBuilder tree;
    ASSERT_TRUE(tree.add_directory("d", 0755).ok());
    EXPECT_TRUE(tree.add_directory("d", 0750).ok());
    EXPECT_FALSE(tree.add_file("d", 0644, k_digest, 1).ok());
    ASSERT_TRUE(tree.add_file("f", 0644, k_digest, 1).ok());
    EXPECT_FALSE(tree.add_file("f", 0644, k_digest, 1).ok());
    EXPECT_FALSE(tree.add_directory("f", 0755).ok());
}

TEST(TreeBuilder, HardLinkBecomesACopyOfAnEarlierFile) {
    TreeBuilder tree;
    ASSERT_TRUE(tree.add_file("a", 0755, k_digest, 1).ok());
    ASSERT_TRUE(tree.add_hardlink("b", "a").ok());
    EXPECT_FALSE(tree.add_hardlink("c", "missing").ok());
    auto manifest = std::move(tree).finish();
    ASSERT_TRUE(manifest.ok());
    ASSERT_EQ(manifest->entries().size(), 2u);
    EXPECT_EQ(manifest->entries()[1].path, "b");
    EXPECT_EQ(manifest->entries()[1].digest, k_digest);
    EXPECT_EQ(manifest->entries()[1].mode, 0755u);
    EXPECT_EQ(manifest->file_count(), 2u);
}

TEST(TreeBuilder, SkippedEntriesAreNotInTheManifest) {
    TreeBuilder tree;
    ASSERT_TRUE(tree.add_skipped("dev/null").ok());
    auto manifest = std::move(tree).finish();
    ASSERT_TRUE(manifest.ok());
    EXPECT_EQ(manifest->serialize(), "kfrun-tree 1\nd dev 0755\n");
}

}  // namespace
}  // namespace kfrun::store
