// Typed pipeline inputs (KFP v2): command-line text converted by the declared type (issue 17,
// checklist rows 10–12 and 15).
#include "engine/typed_arguments.hpp"

#include <gtest/gtest.h>

namespace kfrun::engine {
namespace {

model::Parameter declared(const std::string& name, const std::string& type) {
    model::Parameter parameter;
    parameter.name = name;
    parameter.type = type;
    return parameter;
}

TEST(TypedArguments, StringStaysTextEvenWhenItLooksLikeANumber) {  // row 15
    EXPECT_EQ(*typed_argument(declared("tag", "STRING"), "123"), "123");
    EXPECT_EQ(*typed_argument(declared("tag", "STRING"), " a b "), " a b ");
}

TEST(TypedArguments, NumbersTakeTheDriversFormat) {
    EXPECT_EQ(*typed_argument(declared("n", "NUMBER_INTEGER"), "5"), "5");
    EXPECT_EQ(*typed_argument(declared("n", "NUMBER_INTEGER"), "5.0"), "5");
    EXPECT_EQ(*typed_argument(declared("x", "NUMBER_DOUBLE"), "1234567.5"), "1.2345675e+06");
}

TEST(TypedArguments, NonIntegralIntegerIsAcceptedWithAWarning) {  // row 11
    auto value = typed_argument(declared("n", "NUMBER_INTEGER"), "3.5");
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(*value, "3.5");
    EXPECT_EQ(typed_argument_warnings(declared("n", "NUMBER_INTEGER"), *value).size(), 1u);
    EXPECT_TRUE(typed_argument_warnings(declared("n", "NUMBER_INTEGER"), "3").empty());
}

TEST(TypedArguments, WrongKindIsAnInputErrorNamingTheInputAndType) {  // row 10
    auto value = typed_argument(declared("n", "NUMBER_INTEGER"), "five");
    ASSERT_FALSE(value.ok());
    EXPECT_EQ(value.error().kind, base::ErrorKind::Input);
    EXPECT_NE(value.error().message.find("`n`"), std::string::npos);
    EXPECT_NE(value.error().message.find("NUMBER_INTEGER"), std::string::npos);
    EXPECT_FALSE(typed_argument(declared("b", "BOOLEAN"), "yes").ok());
    EXPECT_FALSE(typed_argument(declared("l", "LIST"), "{\"a\":1}").ok());
    EXPECT_FALSE(typed_argument(declared("s", "STRUCT"), "[1]").ok());
    EXPECT_FALSE(typed_argument(declared("s", "TASK_FINAL_STATUS"), "{}").ok());
}

TEST(TypedArguments, ListsAndStructsBecomeCompactSortedJson) {
    EXPECT_EQ(*typed_argument(declared("l", "LIST"), "[1, 2, \"a\"]"), "[1,2,\"a\"]");
    EXPECT_EQ(*typed_argument(declared("s", "STRUCT"), "{\"b\": 1, \"a\": [true]}"),
              "{\"a\":[true],\"b\":1}");
    EXPECT_EQ(*typed_argument(declared("b", "BOOLEAN"), "True"), "true");
}

TEST(TypedArguments, UntypedArgoParametersAreUntouched) {
    EXPECT_EQ(*typed_argument(declared("p", ""), "[1, 2]"), "[1, 2]");
}

}  // namespace
}  // namespace kfrun::engine
