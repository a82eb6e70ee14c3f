#include "base/visible_text.hpp"

#include <gtest/gtest.h>

namespace kfrun::base {
namespace {

TEST(VisibleText, ShowsEscapeSequencesInsteadOfSendingThem) {
    EXPECT_EQ(visible_text("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
    EXPECT_EQ(visible_text("\x1b]0;title\x07"), "\\x1b]0;title\\x07");  // OSC, BEL
    EXPECT_EQ(visible_text("\x1b]52;c;ZXZpbA==\x1b\\"), "\\x1b]52;c;ZXZpbA==\\x1b\\");
    EXPECT_EQ(visible_text("a\rb\bc\x7f"), "a\\x0db\\x08c\\x7f");
    EXPECT_EQ(visible_text("\xC2\x9B"
                           "2J"),
              "\\u009b2J");  // C1 CSI, UTF-8 encoded
    EXPECT_EQ(visible_text("\x9B"
                           "2J"),
              "\\x9b2J");  // C1 CSI, a raw byte
    EXPECT_EQ(visible_text("\xE2\x80\xAE"
                           "abc"),
              "\\u202eabc");  // right-to-left override
}

TEST(VisibleText, KeepsPrintableTextTabsAndOptionallyNewlines) {
    EXPECT_EQ(visible_text("caf\xC3\xA9\tok \xF0\x9F\x98\x80"), "caf\xC3\xA9\tok \xF0\x9F\x98\x80");
    EXPECT_EQ(visible_text("a\nb"), "a\\x0ab");
    EXPECT_EQ(visible_text("a\nb", true), "a\nb");
}

}  // namespace
}  // namespace kfrun::base
