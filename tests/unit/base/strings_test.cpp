#include <gtest/gtest.h>

#include "base/integers.hpp"
#include "base/strings.hpp"
#include "base/tsv_field.hpp"

using namespace kfrun::base;

TEST(Glob, MatchesStarsQuestionMarksAndClasses) {
    EXPECT_TRUE(glob_match("python:*", "python:3.7"));
    EXPECT_TRUE(glob_match("python:*", "python:"));
    EXPECT_FALSE(glob_match("python:*", "pythonx:3.7"));
    EXPECT_TRUE(glob_match("gcr.io/*/img:?", "gcr.io/proj/img:1"));
    EXPECT_FALSE(glob_match("gcr.io/*/img:?", "gcr.io/proj/img:12"));
    EXPECT_TRUE(glob_match("py[0-9]", "py3"));
    EXPECT_FALSE(glob_match("py[!0-9]", "py3"));
    EXPECT_TRUE(glob_match("*", ""));
    EXPECT_TRUE(glob_match("a*b*c", "axxbyyc"));
    EXPECT_FALSE(glob_match("a*b*c", "axxbyy"));
}

TEST(Strings, TrimSplitJoin) {
    EXPECT_EQ(trim("  a b \n"), "a b");
    EXPECT_EQ(split("a,b,,c", ','), (std::vector<std::string>{"a", "b", "", "c"}));
    EXPECT_EQ(join({"a", "b"}, "--"), "a--b");
}

TEST(Strings, ShellQuoteOnlyWhenNeeded) {
    EXPECT_EQ(shell_quote("plain-word"), "plain-word");
    EXPECT_EQ(shell_quote("two words"), "'two words'");
    EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
    EXPECT_EQ(shell_quote(""), "''");
}

TEST(Strings, SanitizeNameMakesDockerSafeNames) {
    EXPECT_EQ(sanitize_name("My Step (1)"), "my-step-1");
    EXPECT_EQ(sanitize_name("--a__b--"), "a-b");
}

TEST(Strings, TsvFieldsRoundTripTabsNewlinesAndBackslashes) {
    const std::string label = "loop(0:a\tb\nc\\n)\r";
    const std::string field = escape_tsv_field(label);
    EXPECT_EQ(field, "loop(0:a\\tb\\nc\\\\n)\\r");
    EXPECT_EQ(field.find_first_of("\t\n\r"), std::string::npos);
    EXPECT_EQ(unescape_tsv_field(field), label);
    EXPECT_EQ(unescape_tsv_field("plain"), "plain");
    EXPECT_EQ(unescape_tsv_field("odd\\x\\"), "odd\\x\\");
}

// atoi's result is undefined past an int; pipeline numbers (parallelism, backoff factor, GPUs)
// went through it.
TEST(Integers, SaturatingAtoiIsAtoiWithoutUndefinedBehaviour) {
    EXPECT_EQ(saturating_atoi("42"), 42);
    EXPECT_EQ(saturating_atoi("  -7xyz"), -7);
    EXPECT_EQ(saturating_atoi("+3"), 3);
    EXPECT_EQ(saturating_atoi(""), 0);
    EXPECT_EQ(saturating_atoi("abc"), 0);
    EXPECT_EQ(saturating_atoi("99999999999999999999999"), 2147483647);
    EXPECT_EQ(saturating_atoi("-99999999999999999999999"), -2147483647 - 1);
    EXPECT_EQ(saturating_atoi("2147483648"), 2147483647);
}
