#include "docker/path_stat.hpp"

#include <gtest/gtest.h>

namespace kfrun::docker {
namespace {

TEST(DecodeBase64, DecodesWithAndWithoutPadding) {
    EXPECT_EQ(decode_base64("aGVsbG8=").value(), "hello");
    EXPECT_EQ(decode_base64("aGVsbG8").value(), "hello");
    EXPECT_EQ(decode_base64("").value(), "");
    EXPECT_EQ(decode_base64("+/8=").value(), "\xfb\xff");
    EXPECT_FALSE(decode_base64("a$b"));
}

TEST(PathStat, ReadsDockersHeaderWithGoFileModes) {
    // {"name":"dir","size":4096,"mode":2147484141,"mtime":"2026-11-25T12:00:00Z","linkTarget":""}
    const auto stat = PathStat::from_header(
        "eyJuYW1lIjoiZGlyIiwic2l6ZSI6NDA5NiwibW9kZSI6MjE0NzQ4NDE0MSwibXRpbWUiOiIyMDI2LTExLTI1VDEy"
        "OjAwOjAwWiIsImxpbmtUYXJnZXQiOiIifQ==");
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->name, "dir");
    EXPECT_EQ(stat->size, 4096);
    EXPECT_TRUE(stat->is_directory());
    EXPECT_FALSE(stat->is_symlink());
    EXPECT_EQ(stat->permissions(), 0755u);
    EXPECT_FALSE(PathStat::from_header("bm90IGpzb24="));  // "not json"
}

}  // namespace
}  // namespace kfrun::docker
