#include "base/json_text.hpp"

#include <gtest/gtest.h>

namespace kfrun::base {
namespace {

TEST(JsonText, WritesInvalidUtf8AsReplacementInsteadOfThrowing) {
    nlohmann::json doc = {{"value", "x\xFFy"}, {"list", {"ok", "\xE2\x82"}}};
    doc["bad\xFEkey"] = 1;
    std::string text;
    ASSERT_NO_THROW(text = json_text(doc));
    nlohmann::json back = nlohmann::json::parse(text);
    EXPECT_EQ(back["value"], "x\xEF\xBF\xBDy");
    EXPECT_EQ(back["list"][1], "\xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_EQ(back["bad\xEF\xBF\xBDkey"], 1);
    EXPECT_TRUE(has_invalid_utf8(doc));
    EXPECT_FALSE(has_invalid_utf8(back));
}

TEST(JsonText, ValidDocumentsAreWrittenAsDumpWritesThem) {
    nlohmann::json doc = {{"a", 1}, {"b", {"caf\xC3\xA9", nullptr, 2.5}}};
    EXPECT_EQ(json_text(doc), doc.dump());
    EXPECT_EQ(json_text(doc, 2), doc.dump(2));
}

}  // namespace
}  // namespace kfrun::base
