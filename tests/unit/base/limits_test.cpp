// Limits (issue 16 finding 7): names, sizes, overrides; JSON depth pre-scan; and the duration
// and int64 parsing of finding 12 (no overflow, no exception).
#include <gtest/gtest.h>

#include <string>

#include "base/json_depth.hpp"
#include "base/limits.hpp"
#include "base/time.hpp"

using kfrun::base::apply_limit;
using kfrun::base::Limits;

TEST(Limits, AssignmentsAcceptSizesAndCounts) {
    Limits limits;
    ASSERT_TRUE(apply_limit(limits, "output-parameter-bytes=1MiB").ok());
    EXPECT_EQ(limits.output_parameter_bytes, 1u << 20);
    ASSERT_TRUE(apply_limit(limits, "yaml-bytes=2G").ok());
    EXPECT_EQ(limits.yaml_bytes, 2ull << 30);
    ASSERT_TRUE(apply_limit(limits, "step-log-bytes=512KiB").ok());
    EXPECT_EQ(limits.step_log_bytes, 512u << 10);
    ASSERT_TRUE(apply_limit(limits, "loop-items=20").ok());
    EXPECT_EQ(limits.loop_items, 20u);
}

TEST(Limits, BadAssignmentsSayWhatIsWrong) {
    Limits limits;
    auto unknown = apply_limit(limits, "nope=1");
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().message.find("unknown limit `nope`"), std::string::npos);
    EXPECT_NE(unknown.error().message.find("loop-items"), std::string::npos);
    EXPECT_FALSE(apply_limit(limits, "loop-items=10k").ok()) << "a count takes no unit";
    EXPECT_FALSE(apply_limit(limits, "loop-items=0").ok());
    EXPECT_FALSE(apply_limit(limits, "yaml-bytes=99999999999TiB").ok()) << "overflow";
    EXPECT_FALSE(apply_limit(limits, "yaml-bytes").ok());
}

TEST(Limits, TheHintNamesTheValueAndTheFlag) {
    Limits limits;
    limits.output_parameter_bytes = 16u << 20;
    kfrun::base::ScopedLimits scoped(limits);
    EXPECT_EQ(kfrun::base::limit_hint("output-parameter-bytes"),
              "(limit output-parameter-bytes=16MiB; raise it with --limit "
              "output-parameter-bytes=VALUE)");
}

TEST(JsonDepth, CountsBracketsOutsideStrings) {
    using kfrun::base::json_nesting_depth;
    EXPECT_EQ(json_nesting_depth(R"([1, {"a": [2]}])", 100), 3u);
    EXPECT_EQ(json_nesting_depth(R"(["[[[[", "\"[[["])", 100), 1u);
    EXPECT_EQ(json_nesting_depth("", 100), 0u);
}

TEST(JsonDepth, AHugeNestingStopsAtTheLimit) {
    std::string attack(400000, '[');  // the issue's SIGSEGV input
    EXPECT_EQ(kfrun::base::json_nesting_depth(attack, 512), 513u);
    EXPECT_FALSE(kfrun::base::json_depth_within_limit(attack));
}

TEST(GoDuration, OutOfRangeIsRefusedNotOverflowed) {
    using kfrun::base::parse_go_duration;
    EXPECT_FALSE(parse_go_duration("99999999999999999999"));  // threw std::out_of_range
    EXPECT_FALSE(parse_go_duration("9999999999999h"));        // overflowed a long long
    EXPECT_FALSE(parse_go_duration("1e400h"));
    EXPECT_FALSE(parse_go_duration("1.2.3s"));
    ASSERT_TRUE(parse_go_duration("2562047h"));  // within Go's ~292 years
    EXPECT_EQ(parse_go_duration("1h")->count(), 3600000);
    EXPECT_EQ(parse_go_duration("30")->count(), 30000);
}

TEST(K8sInt64, OnlyWholeNumbersInRange) {
    using kfrun::base::parse_k8s_int64;
    EXPECT_EQ(parse_k8s_int64("10000000000"), 10000000000LL);
    EXPECT_EQ(parse_k8s_int64("-5"), -5);
    EXPECT_FALSE(parse_k8s_int64("1h"));
    EXPECT_FALSE(parse_k8s_int64("1.5"));
    EXPECT_FALSE(parse_k8s_int64(""));
    EXPECT_FALSE(parse_k8s_int64("99999999999999999999"));
}

TEST(Deadline, FarDeadlinesSaturateInsteadOfWrapping) {
    auto now = std::chrono::steady_clock::now();
    auto far = kfrun::base::deadline_after(now, kfrun::base::Millis(10000000000LL * 1000));
    EXPECT_GT(far, now + std::chrono::hours(24 * 365));
    auto huge = kfrun::base::deadline_after(
        now, kfrun::base::Millis(std::numeric_limits<long long>::max()));
    EXPECT_GT(huge, now);
}
