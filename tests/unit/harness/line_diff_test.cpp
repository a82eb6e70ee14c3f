// The unified line diff under a failed check, and the JSON matching.
#include <gtest/gtest.h>

#include "harness/json_match.hpp"
#include "harness/line_diff.hpp"
#include "harness/metric_condition.hpp"

namespace kfrun::harness {
namespace {

TEST(LineDiff, EqualTextsHaveNoDiff) { EXPECT_EQ(unified_diff("a\nb\n", "a\nb\n"), ""); }

TEST(LineDiff, ChangedLineWithContext) {
    EXPECT_EQ(unified_diff("a\nb\nc\n", "a\nB\nc\n"),
              "--- expected\n+++ actual\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
}

TEST(LineDiff, AddedAndRemovedLines) {
    EXPECT_EQ(unified_diff("a\nc\n", "a\nb\nc\nd\n"),
              "--- expected\n+++ actual\n@@ -1,2 +1,4 @@\n a\n+b\n c\n+d\n");
    EXPECT_EQ(unified_diff("x\n", ""), "--- expected\n+++ actual\n@@ -1 +0,0 @@\n-x\n");
}

TEST(LineDiff, DistantChangesMakeSeparateHunks) {
    std::string expected;
    std::string actual;
    for (int i = 1; i <= 20; ++i) {
        expected += std::to_string(i) + "\n";
        actual += (i == 2 ? std::string("two") : i == 18 ? std::string("eighteen")
                                                         : std::to_string(i)) +
                  "\n";
    }
    std::string diff = unified_diff(expected, actual, {"golden", "artifact"}, 1);
    EXPECT_EQ(diff,
              "--- golden\n+++ artifact\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n"
              "@@ -17,3 +17,3 @@\n 17\n-18\n+eighteen\n 19\n");
}

TEST(LineDiff, MissingFinalNewlineIsMarked) {
    EXPECT_EQ(unified_diff("a\n", "a"),
              "--- expected\n+++ actual\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n");
}

TEST(LineDiff, LongTextsNameTheFirstDifference) {
    std::string diff = unified_diff("a\nb\nc\n", "a\nx\nc\n", {}, 3, 2);
    EXPECT_NE(diff.find("first difference is at line 2"), std::string::npos) << diff;
}

TEST(JsonMatch, SubsetIgnoresExtraKeysButNotExtraElements) {
    nlohmann::json actual = {{"a", 1}, {"b", {{"c", 2.0}, {"d", "x"}}}, {"list", {1, 2}}};
    EXPECT_FALSE(json_subset_mismatch({{"b", {{"c", 2}}}}, actual));
    EXPECT_EQ(json_subset_mismatch({{"b", {{"c", 3}}}}, actual), "at $.b.c: expected 3, got 2.0");
    EXPECT_EQ(json_subset_mismatch({{"z", 1}}, actual), "at $: missing key \"z\"");
    EXPECT_EQ(json_subset_mismatch({{"list", {1}}}, actual),
              "at $.list: expected 1 elements, got 2");
}

TEST(JsonMatch, QueryFollowsKeysAndIndexes) {
    nlohmann::json document = {{"metrics", {{{"name", "accuracy"}}}}, {"a b", {{"c", 1}}}};
    EXPECT_EQ(**json_query(document, "$.metrics[0].name"), "accuracy");
    EXPECT_EQ(**json_query(document, "metrics[0].name"), "accuracy");
    EXPECT_EQ(**json_query(document, "$['a b'].c"), 1);
    EXPECT_FALSE(json_query(document, "$.metrics[3]")->has_value());
    EXPECT_FALSE(json_query(document, "$.nothing").value().has_value());
    EXPECT_FALSE(json_query(document, "$.metrics[x]").ok());
}

TEST(MetricCondition, ParsesAndEvaluates) {
    auto check = parse_metric_condition("best-accuracy >= 0.9");
    ASSERT_TRUE(check.ok());
    EXPECT_EQ(check->name, "best-accuracy");
    EXPECT_TRUE(metric_holds(*check, 0.9));
    EXPECT_FALSE(metric_holds(*check, 0.89));
    EXPECT_TRUE(metric_holds(*parse_metric_condition("loss<0.5"), 0.1));
    EXPECT_TRUE(metric_holds(*parse_metric_condition("n != 3"), 2));
    EXPECT_FALSE(parse_metric_condition("accuracy >= high").ok());
    EXPECT_FALSE(parse_metric_condition(">= 1").ok());
}

}  // namespace
}  // namespace kfrun::harness
