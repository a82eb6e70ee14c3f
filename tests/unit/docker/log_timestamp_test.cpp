#include "docker/log_timestamp.hpp"

#include <gtest/gtest.h>

namespace kfrun::docker {
namespace {

TEST(ParseLogTimestamp, ReadsDockersFixedNanosecondTimestamps) {
    // date -u -d 2026-11-25T12:57:46Z +%s → 1795611466
    EXPECT_EQ(parse_log_timestamp("2026-11-25T12:57:46.047749059Z"),
              1795611466LL * 1'000'000'000 + 47749059);
    EXPECT_EQ(parse_log_timestamp("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(parse_log_timestamp("2000-02-29T23:59:59.5Z"),
              951868799LL * 1'000'000'000 + 500000000);
    EXPECT_EQ(parse_log_timestamp("2026-11-25T13:57:46.000000000+01:00"),
              1795611466LL * 1'000'000'000);
}

TEST(ParseLogTimestamp, RejectsOtherText) {
    EXPECT_FALSE(parse_log_timestamp(""));
    EXPECT_FALSE(parse_log_timestamp("hello world"));
    EXPECT_FALSE(parse_log_timestamp("2026-11-25T12:57:46"));  // no zone
    EXPECT_FALSE(parse_log_timestamp("2026-11-25T12:57:46.Z"));
    EXPECT_FALSE(parse_log_timestamp("2026-13-25T12:57:46Z"));
    EXPECT_FALSE(parse_log_timestamp("2026-11-25T12:57:46Zjunk"));
}

TEST(FormatSince, WritesUnixSecondsWithNineFractionDigits) {
    EXPECT_EQ(format_since(1795611466LL * 1'000'000'000 + 47749059), "1795611466.047749059");
    EXPECT_EQ(format_since(0), "0.000000000");
}

}  // namespace
}  // namespace kfrun::docker
