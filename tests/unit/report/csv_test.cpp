#include "report/csv.hpp"

#include <gtest/gtest.h>

namespace kfrun::report {
namespace {

TEST(Csv, ParsesRowsWithoutAHeader) {
    CsvTable table = parse_csv("0,1.25,0.91\n1,1.31,0.97\n2,1.19,0.88\n");
    ASSERT_EQ(table.rows.size(), 3u);
    EXPECT_EQ(table.rows[1], (CsvRow{"1", "1.31", "0.97"}));
    EXPECT_FALSE(table.truncated);
}

TEST(Csv, HandlesQuotesEmbeddedSeparatorsAndLineBreaks) {
    CsvTable table = parse_csv("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nx,,\n");
    ASSERT_EQ(table.rows.size(), 2u);
    EXPECT_EQ(table.rows[0], (CsvRow{"a,b", "say \"hi\"", "two\nlines"}));
    EXPECT_EQ(table.rows[1], (CsvRow{"x", "", ""}));
}

TEST(Csv, DropsBlankLinesAndReadsALastLineWithoutNewline) {
    CsvTable table = parse_csv("\n1,2\n\n3,4");
    ASSERT_EQ(table.rows.size(), 2u);
    EXPECT_EQ(table.rows[1], (CsvRow{"3", "4"}));
    EXPECT_TRUE(parse_csv("").rows.empty());
}

TEST(Csv, KeepsRaggedRowsAsTheyAre) {
    CsvTable table = parse_csv("1\n1,2,3\n");
    ASSERT_EQ(table.rows.size(), 2u);
    EXPECT_EQ(table.rows[0].size(), 1u);
    EXPECT_EQ(table.rows[1].size(), 3u);
}

TEST(Csv, StopsAtMaxRows) {
    CsvTable table = parse_csv("1\n2\n3\n4\n", 2);
    EXPECT_EQ(table.rows.size(), 2u);
    EXPECT_TRUE(table.truncated);
}

TEST(Csv, NumbersMustBeWholeCells) {
    EXPECT_EQ(parse_number(" 0.25 "), 0.25);
    EXPECT_EQ(parse_number("1e-3"), 0.001);
    EXPECT_EQ(parse_number("+2"), 2.0);
    EXPECT_FALSE(parse_number("0.5x"));
    EXPECT_FALSE(parse_number(""));
    EXPECT_FALSE(parse_number("nan"));
    EXPECT_FALSE(parse_number("abc"));
}

TEST(Csv, IntegersAcceptIntegralDecimals) {
    EXPECT_EQ(parse_integer("40"), 40);
    EXPECT_EQ(parse_integer(" 12.0 "), 12);
    EXPECT_FALSE(parse_integer("12.5"));
    EXPECT_FALSE(parse_integer("many"));
}

}  // namespace
}  // namespace kfrun::report
