#include "base/json_fields.hpp"

#include <gtest/gtest.h>

namespace kfrun::base::json_fields {
namespace {

using nlohmann::json;

TEST(JsonFields, AMemberOfAnotherTypeGivesTheFallbackWhereValueThrows) {
    const json object = {{"kind", {{"a", 1}}}, {"n", "3"}, {"flag", 1}, {"list", "x"}};
    EXPECT_THROW((void)object.value("kind", ""), json::type_error);
    EXPECT_EQ(string_of(object, "kind"), "");
    EXPECT_EQ(string_of(object, "kind", "?"), "?");
    EXPECT_EQ(int_of(object, "n", 7), 7);
    EXPECT_EQ(number_of(object, "n", 1.5), 1.5);
    EXPECT_FALSE(bool_of(object, "flag"));
    EXPECT_TRUE(array_of(object, "list").empty());
    EXPECT_TRUE(object_of(object, "list").empty());
}

TEST(JsonFields, ADocumentThatIsNoObjectGivesTheFallback) {
    for (const json& document : {json(nullptr), json("text"), json::array({1, 2}), json(4)}) {
        EXPECT_TRUE(member(document, "a").is_null());
        EXPECT_EQ(string_of(document, "a", "x"), "x");
        EXPECT_EQ(int_of(document, "a", -1), -1);
        EXPECT_TRUE(strings_of(document, "a").empty());
        EXPECT_TRUE(string_map_of(document, "a").empty());
    }
}

TEST(JsonFields, ReadsMembersOfTheirOwnType) {
    const json object = json::parse(
        R"({"s": "v", "i": -4, "u": 18446744073709551615, "d": 2.5, "w": 3.0, "b": true,
            "l": ["a", 1, "b"], "m": {"x": "1", "y": 2}})");
    EXPECT_EQ(string_of(object, "s"), "v");
    EXPECT_EQ(int_of(object, "i"), -4);
    EXPECT_EQ(uint_of(object, "u"), 18446744073709551615ULL);
    EXPECT_EQ(int_of(object, "w"), 3);
    EXPECT_EQ(number_of(object, "d"), 2.5);
    EXPECT_TRUE(bool_of(object, "b"));
    EXPECT_EQ(strings_of(object, "l"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(string_map_of(object, "m"), (std::map<std::string, std::string>{{"x", "1"}}));
    EXPECT_EQ(string_value(object["s"]), "v");
    EXPECT_EQ(string_value(object["i"], "-"), "-");
}

TEST(JsonFields, NumbersOutOfRangeOrNotWholeAreNotCast) {
    const json object = json::parse(
        R"({"huge": 1e300, "neg": -1, "frac": 2.5, "u": 18446744073709551615, "big": 3000000000})");
    EXPECT_EQ(int_of(object, "huge", 9), 9);  // static_cast<int64_t>(1e300) is undefined
    EXPECT_EQ(int_of(object, "frac", 9), 9);
    EXPECT_EQ(int_of(object, "u", 9), 9);
    EXPECT_EQ(uint_of(object, "neg", 9), 9u);
    EXPECT_EQ(uint_of(object, "huge", 9), 9u);
    EXPECT_EQ(small_int_of(object, "big", 9), 9);
    EXPECT_EQ(small_int_of(object, "neg", 9), -1);
}

}  // namespace
}  // namespace kfrun::base::json_fields
