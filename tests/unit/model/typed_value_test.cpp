// Typed values: Go's %g as the KFP driver formats numbers, canonical text and its way back.
#include "model/typed_value.hpp"

#include <gtest/gtest.h>

namespace kfrun::model {
namespace {

TEST(TypedValue, FormatsNumbersAsGoShortestG) {
    EXPECT_EQ(format_go_float(3.0), "3");
    EXPECT_EQ(format_go_float(0.5), "0.5");
    EXPECT_EQ(format_go_float(1234567.5), "1.2345675e+06");
    EXPECT_EQ(format_go_float(1e-5), "1e-05");
    EXPECT_EQ(format_go_float(1e8), "1e+08");
    EXPECT_EQ(format_go_float(100000), "100000");
    EXPECT_EQ(format_go_float(999999), "999999");
    EXPECT_EQ(format_go_float(1000000), "1e+06");
    EXPECT_EQ(format_go_float(0.0001), "0.0001");
    EXPECT_EQ(format_go_float(0.00012345), "0.00012345");
    EXPECT_EQ(format_go_float(-2.5), "-2.5");
    EXPECT_EQ(format_go_float(0.1), "0.1");
    EXPECT_EQ(format_go_float(1e21), "1e+21");
    EXPECT_EQ(format_go_float(1.5e-300), "1.5e-300");
    EXPECT_EQ(format_go_float(0), "0");
    EXPECT_EQ(format_go_float(12.0), "12");
}

TEST(TypedValue, CanonicalTextPerKind) {
    EXPECT_EQ(canonical_text(nlohmann::json("a b\n")), "a b\n");
    EXPECT_EQ(canonical_text(nlohmann::json(3.0)), "3");
    EXPECT_EQ(canonical_text(nlohmann::json(7)), "7");
    EXPECT_EQ(canonical_text(nlohmann::json(true)), "true");
    EXPECT_EQ(canonical_text(nlohmann::json::parse("[1,2]")), "[1,2]");
    EXPECT_EQ(canonical_text(nlohmann::json::parse(R"({"b":1,"a":2})")), R"({"a":2,"b":1})");
    EXPECT_EQ(canonical_text(nlohmann::json()), "");
}

TEST(TypedValue, ReadsTextBackByDeclaredType) {
    EXPECT_EQ(*typed_value("123", k_type_string), nlohmann::json("123"));
    EXPECT_EQ(*typed_value("1.2345675e+06", k_type_double), nlohmann::json(1234567.5));
    EXPECT_TRUE(typed_value("3", k_type_integer)->is_number_float());
    EXPECT_EQ(*typed_value("false", k_type_boolean), nlohmann::json(false));
    EXPECT_EQ(*typed_value("[1,2]", k_type_list), nlohmann::json::parse("[1,2]"));
    EXPECT_EQ(*typed_value(R"({"a":1})", k_type_struct), nlohmann::json::parse(R"({"a":1})"));
}

TEST(TypedValue, RefusesTextOfAnotherType) {
    EXPECT_FALSE(typed_value("five", k_type_integer).ok());
    EXPECT_FALSE(typed_value("5 ", k_type_integer).ok());
    EXPECT_FALSE(typed_value("", k_type_double).ok());
    EXPECT_FALSE(typed_value("yes", k_type_boolean).ok());
    EXPECT_FALSE(typed_value(R"({"a":1})", k_type_list).ok());
    EXPECT_FALSE(typed_value("[1]", k_type_struct).ok());
    EXPECT_FALSE(typed_value("[1", k_type_list).ok());
    auto error = typed_value("abc", k_type_integer);
    ASSERT_FALSE(error.ok());
    EXPECT_NE(error.error().message.find("NUMBER_INTEGER"), std::string::npos);
}

TEST(TypedValue, RefusesJsonNestedDeeperThanTheLimit) {
    std::string deep = std::string(400000, '[') + std::string(400000, ']');
    EXPECT_FALSE(typed_value(deep, k_type_list).ok());
}

TEST(TypedValue, RoundTripsEveryDouble) {
    for (double value : {0.1, 1.0 / 3, 2.0 / 3 * 1e15, 123456789.125, 5e-324, 1.7976931348623157e308}) {
        auto back = typed_value(format_go_float(value), k_type_double);
        ASSERT_TRUE(back.ok()) << format_go_float(value);
        EXPECT_EQ(back->get<double>(), value);
    }
}

}  // namespace
}  // namespace kfrun::model
