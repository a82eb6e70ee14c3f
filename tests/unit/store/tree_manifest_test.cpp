#include "store/tree_manifest.hpp"

#include <gtest/gtest.h>

#include "base/sha256.hpp"

namespace kfrun::store {
namespace {

using Type = TreeEntry::Type;

const std::string k_empty_digest =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The documented example (src/store/README.md). If this text or its digest changes, every
// directory digest and every cache key built on one changes: bump the format version instead.
const std::string k_known_manifest =
    "kfrun-tree 1\n"
    "l abs /etc/passwd\n"
    "d bin 0755\n"
    "f bin/run.sh 0755 18 299001868fb8c02fd431c336c6d058f5558c5dff5b5af5e6fe04b870a6a9cbba\n"
    "f data.txt 0644 6 5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\n"
    "d empty 0700\n"
    "l link data.txt\n"
    "f odd%20name%25%0A.txt 0600 0 "
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n";
const std::string k_known_digest =
    "cf98d3bf521be1f64d8e401d4a34ff98008a3decdd77b8cf6b23135cefc2e101";

std::vector<TreeEntry> known_entries_unsorted() {
    return {
        {Type::File, "odd name%\n.txt", 0600, 0, k_empty_digest, {}},
        {Type::Symlink, "link", 0, 0, {}, "data.txt"},
        {Type::File, "data.txt", 0644, 6, base::sha256_hex("hello\n"), {}},
        {Type::File, "bin/run.sh", 0755, 18, base::sha256_hex("#!/bin/sh\necho hi\n"), {}},
        {Type::Directory, "bin", 0755, 0, {}, {}},
        {Type::Directory, "empty", 0700, 0, {}, {}},
        {Type::Symlink, "abs", 0, 0, {}, "/etc/passwd"},
    };
}

TEST(TreeManifest, SerializesEntriesSortedInTheDocumentedFormat) {
    auto manifest = TreeManifest::build(known_entries_unsorted());
    ASSERT_TRUE(manifest.ok()) << manifest.error().to_string();
    EXPECT_EQ(manifest->serialize(), k_known_manifest);
}

TEST(TreeManifest, KnownAnswerDigestIsPinned) {
    auto manifest = TreeManifest::build(known_entries_unsorted());
    ASSERT_TRUE(manifest.ok());
    EXPECT_EQ(base::sha256_hex(manifest->serialize()), k_known_digest);
    EXPECT_EQ(manifest->file_count(), 3u);
    EXPECT_EQ(manifest->total_file_size(), 24u);
}

TEST(TreeManifest, ParseThenSerializeIsIdentity) {
    auto manifest = TreeManifest::parse(k_known_manifest);
    ASSERT_TRUE(manifest.ok()) << manifest.error().to_string();
    EXPECT_EQ(manifest->serialize(), k_known_manifest);
    auto built = TreeManifest::build(known_entries_unsorted());
    ASSERT_TRUE(built.ok());
    EXPECT_EQ(manifest->entries(), built->entries());
}

TEST(TreeManifest, EmptyTreeIsJustTheHeader) {
    auto manifest = TreeManifest::build({});
    ASSERT_TRUE(manifest.ok());
    EXPECT_EQ(manifest->serialize(), "kfrun-tree 1\n");
    EXPECT_TRUE(TreeManifest::parse("kfrun-tree 1\n").ok());
}

TEST(ManifestField, EscapesSeparatorsControlsAndPercentButKeepsUtf8) {
    EXPECT_EQ(escape_manifest_field("a b\n%\t\x7f/\xc3\xa9"), "a%20b%0A%25%09%7F/\xc3\xa9");
    auto back = unescape_manifest_field("a%20b%0A%25%09%7F/\xc3\xa9");
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, "a b\n%\t\x7f/\xc3\xa9");
}

TEST(ManifestField, RejectsNonCanonicalEscapes) {
    EXPECT_FALSE(unescape_manifest_field("%41").ok());   // 'A' needs no escape
    EXPECT_FALSE(unescape_manifest_field("%0a").ok());   // lower-case hex
    EXPECT_FALSE(unescape_manifest_field("%2").ok());    // truncated
    EXPECT_FALSE(unescape_manifest_field("a\tb").ok());  // raw control byte
}

struct BadManifest {
    std::string name;
    std::string text;
};

void PrintTo(const BadManifest& bad, std::ostream* out) {
    *out << bad.name;
}

class TreeManifestParseRejects : public ::testing::TestWithParam<BadManifest> {};

TEST_P(TreeManifestParseRejects, MalformedOrNonCanonicalText) {
    auto manifest = TreeManifest::parse(GetParam().text);
    ASSERT_FALSE(manifest.ok()) << GetParam().text;
    EXPECT_EQ(manifest.error().kind, base::ErrorKind::Io);
    EXPECT_NE(manifest.error().where.find("tree manifest"), std::string::npos);
}

const std::string k_file_tail = " 0644 0 " + k_empty_digest + "\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, TreeManifestParseRejects,
    ::testing::Values(
        BadManifest{"UnknownVersion", "kfrun-tree 2\n"},
        BadManifest{"HeaderWithoutNewline", "kfrun-tree 1"},
        BadManifest{"NotAManifest", "something else\n"},
        BadManifest{"Unsorted", "kfrun-tree 1\nf b" + k_file_tail + "f a" + k_file_tail},
        BadManifest{"Duplicate", "kfrun-tree 1\nf a" + k_file_tail + "f a" + k_file_tail},
        BadManifest{"ParentMissing", "kfrun-tree 1\nf a/b" + k_file_tail},
        BadManifest{"BelowASymlink", "kfrun-tree 1\nl x /\nf x/etc" + k_file_tail},
        BadManifest{"DotDot", "kfrun-tree 1\nd .. 0755\nf ../a" + k_file_tail},
        BadManifest{"EscapedSlash", "kfrun-tree 1\nf a%2Fb" + k_file_tail},
        BadManifest{"NoFinalNewline",
                    "kfrun-tree 1\nf a" + k_file_tail.substr(0, k_file_tail.size() - 1)},
        BadManifest{"ModeSpelling", "kfrun-tree 1\nd a 755\n"},
        BadManifest{"SetuidBits", "kfrun-tree 1\nd a 01755\n"},
        BadManifest{"SizeSpelling", "kfrun-tree 1\nf a 0644 00 " + k_empty_digest + "\n"},
        BadManifest{"ShortDigest", "kfrun-tree 1\nf a 0644 0 abc\n"},
        BadManifest{"EmptyField", "kfrun-tree 1\nd a  0755\n"},
        BadManifest{"UnknownType", "kfrun-tree 1\nx a 0755\n"},
        BadManifest{"SymlinkWithMode", "kfrun-tree 1\nl a b 0777\n"}),
    [](const ::testing::TestParamInfo<BadManifest>& info) { return info.param.name; });

}  // namespace
}  // namespace kfrun::store
