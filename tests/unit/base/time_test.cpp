#include <gtest/gtest.h>

#include "base/time.hpp"

using namespace kfrun::base;
using std::chrono::milliseconds;

TEST(Durations, GoStyleAsArgoWritesThem) {
    EXPECT_EQ(parse_go_duration("30"), milliseconds(30000));
    EXPECT_EQ(parse_go_duration("1m30s"), milliseconds(90000));
    EXPECT_EQ(parse_go_duration("500ms"), milliseconds(500));
    EXPECT_EQ(parse_go_duration("2h"), milliseconds(7200000));
    EXPECT_FALSE(parse_go_duration("abc").has_value());
    EXPECT_FALSE(parse_go_duration("").has_value());
}

TEST(Durations, Iso8601AsKfpWritesThem) {
    EXPECT_EQ(parse_iso8601_duration("P0D"), milliseconds(0));
    EXPECT_EQ(parse_iso8601_duration("P30D"), milliseconds(30LL * 86400 * 1000));
    EXPECT_EQ(parse_iso8601_duration("PT1H"), milliseconds(3600 * 1000));
    EXPECT_EQ(parse_iso8601_duration("P1DT2H3M4S"), milliseconds((86400 + 7200 + 180 + 4) * 1000LL));
    EXPECT_FALSE(parse_iso8601_duration("30D").has_value());
    EXPECT_FALSE(parse_iso8601_duration("P").has_value());
}

// max_cache_staleness is the pipeline's: P99999999999999999999Y made the cast undefined and
// P1000Y overflowed where ages are compared in nanoseconds. Longer than 292 years is for ever.
TEST(Durations, Iso8601LongerThanAGoDurationIsBounded) {
    const milliseconds most(9223372036854LL);
    EXPECT_EQ(parse_iso8601_duration("P99999999999999999999Y"), most);
    EXPECT_EQ(parse_iso8601_duration("P1000Y"), most);
    EXPECT_EQ(parse_iso8601_duration("P200Y"), milliseconds(200LL * 365 * 86400 * 1000));
    const auto cutoff = std::chrono::system_clock::now() - *parse_iso8601_duration("P1000Y");
    EXPECT_LT(cutoff, std::chrono::system_clock::now());
}

TEST(Rfc3339, RoundTrips) {
    auto parsed = parse_rfc3339("2018-08-23T05:42:49Z");
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(format_rfc3339(*parsed), "2018-08-23T05:42:49Z");
    auto with_fraction = parse_rfc3339("2026-11-25T12:11:16.160171943Z");
    ASSERT_TRUE(with_fraction.has_value());
    EXPECT_EQ(format_rfc3339(*with_fraction, true), "2026-11-25T12:11:16.160Z");
}
