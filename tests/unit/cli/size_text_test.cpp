// Sizes and ages as `kfrun gc` and `kfrun cache prune` take them (also from a found .kfrun.yaml).
#include "cli/size_text.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace kfrun::cli {
namespace {

TEST(SizeText, SizesInTheirUnits) {
    EXPECT_EQ(parse_size("1000"), 1000u);
    EXPECT_EQ(parse_size("2k"), 2048u);
    EXPECT_EQ(parse_size("1.5GiB"), 1610612736u);
    EXPECT_FALSE(parse_size("-1").has_value());
    EXPECT_FALSE(parse_size("10x").has_value());
}

// 1e30t and NaN were cast to an integer as they were: undefined behaviour (found in review).
TEST(SizeText, ASizeNoIntegerHoldsIsRefused) {
    EXPECT_FALSE(parse_size("1e30t").has_value());
    EXPECT_FALSE(parse_size("inf").has_value());
    EXPECT_FALSE(parse_size("nan").has_value());
    EXPECT_FALSE(parse_size("nanm").has_value());
}

// 1e300d and NaN days were undefined casts; -1d was accepted; 200000d overflowed where the
// cutoff is computed in nanoseconds. Ages are 0 up to a Go duration's 292 years.
TEST(SizeText, AgesAreBoundedAndNeverNegative) {
    EXPECT_EQ(parse_age("30d"), base::Millis(30LL * 86400000));
    EXPECT_EQ(parse_age("12h"), base::Millis(12LL * 3600000));
    EXPECT_EQ(parse_age("P7D"), base::Millis(7LL * 86400000));
    EXPECT_EQ(parse_age("1e300d"), base::Millis(9223372036854LL));
    EXPECT_EQ(parse_age("200000d"), base::Millis(9223372036854LL));
    EXPECT_FALSE(parse_age("nand").has_value());
    EXPECT_FALSE(parse_age("-1d").has_value());
    const auto cutoff = std::chrono::system_clock::now() - *parse_age("200000d");
    EXPECT_LT(cutoff, std::chrono::system_clock::now());
}

}  // namespace
}  // namespace kfrun::cli
