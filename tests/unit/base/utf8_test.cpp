#include "base/utf8.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace kfrun::base {
namespace {

const std::string k_fffd = "\xEF\xBF\xBD";

TEST(Utf8, ValidTextIsUnchanged) {
    for (const std::string& text :
         std::vector<std::string>{"", "plain", "caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                  std::string("nul\0inside", 10)}) {
        EXPECT_TRUE(is_valid_utf8(text)) << text;
        EXPECT_EQ(valid_utf8(text), text);
    }
}

TEST(Utf8, EachInvalidByteBecomesOneReplacementAsGoEncodingJsonDoes) {
    EXPECT_EQ(valid_utf8("x\xFFy"), "x" + k_fffd + "y");
    // A truncated three-byte sequence: two bytes, two replacements (Go's DecodeRune gives
    // RuneError with width 1 each time).
    EXPECT_EQ(valid_utf8("\xE2\x82x"), k_fffd + k_fffd + "x");
    EXPECT_EQ(valid_utf8("\xC0\xAF"), k_fffd + k_fffd);                            // overlong '/'
    EXPECT_EQ(valid_utf8("\xED\xA0\x80"), k_fffd + k_fffd + k_fffd);               // a surrogate
    EXPECT_EQ(valid_utf8("\xF4\x90\x80\x80"), k_fffd + k_fffd + k_fffd + k_fffd);  // > U+10FFFF
    EXPECT_EQ(valid_utf8("end\xE2"), "end" + k_fffd);
    EXPECT_FALSE(is_valid_utf8("x\xFFy"));
    EXPECT_TRUE(is_valid_utf8(valid_utf8("\x80\x81\xFE\xFF")));
}

}  // namespace
}  // namespace kfrun::base
