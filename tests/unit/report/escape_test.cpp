#include "report/escape.hpp"

#include <gtest/gtest.h>

namespace kfrun::report {
namespace {

TEST(EscapeHtml, EscapesMarkupAndBothQuotes) {
    EXPECT_EQ(escape_html("<script>alert('x')</script>"),
              "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    EXPECT_EQ(escape_html("\"><img src=x onerror=alert(1)>"),
              "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    EXPECT_EQ(escape_html("a & b"), "a &amp; b");
}

TEST(EscapeHtml, ReplacesInvalidUtf8AndNul) {
    EXPECT_EQ(escape_html(std::string("a\xFF"
                                      "b",
                                      3)),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(escape_html(std::string("a\0b", 3)),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(escape_html("gr\xC3\xBC\xC3\x9F"), "gr\xC3\xBC\xC3\x9F");  // valid UTF-8 kept
}

TEST(SanitizeUtf8, RejectsOverlongSurrogatesAndTruncatedSequences) {
    EXPECT_EQ(sanitize_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
    EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
    EXPECT_EQ(sanitize_utf8("x\xE2\x82"), "x\xEF\xBF\xBD\xEF\xBF\xBD");                // truncated
    EXPECT_EQ(sanitize_utf8("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");                  // emoji kept
}

TEST(JsonForScript, CannotCloseTheScriptElement) {
    std::string out = json_for_script(R"({"a":"</script><script>alert(1)</script><!--"})");
    EXPECT_EQ(out.find('<'), std::string::npos);
    EXPECT_EQ(out.find('>'), std::string::npos);
    EXPECT_NE(out.find("\\u003c/script\\u003e"), std::string::npos);
    EXPECT_EQ(json_for_script("\xE2\x80\xA8"), "\\u2028");
}

TEST(EscapeXml, EscapesMarkupAndDropsForbiddenCharacters) {
    EXPECT_EQ(escape_xml("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
    EXPECT_EQ(escape_xml("line\nbreak"), "line&#10;break");
    EXPECT_EQ(escape_xml(std::string("bell\x07", 5)), "bell\xEF\xBF\xBD");
    EXPECT_EQ(escape_xml("\xEF\xBF\xBF"), "\xEF\xBF\xBD");  // U+FFFF is not allowed in XML
}

TEST(XmlCdata, SplitsTheEndMarker) {
    EXPECT_EQ(xml_cdata("plain"), "<![CDATA[plain]]>");
    EXPECT_EQ(xml_cdata("a]]>b"), "<![CDATA[a]]]]><![CDATA[>b]]>");
    EXPECT_EQ(xml_cdata(std::string("esc\x1b[31m", 8)), "<![CDATA[esc\xEF\xBF\xBD[31m]]>");
}

TEST(EscapeMarkdownInline, KeepsTableCellsIntact) {
    EXPECT_EQ(escape_markdown_inline("a|b"), "a\\|b");
    EXPECT_EQ(escape_markdown_inline("one\ntwo\r\nthree"), "one<br>two<br>three");
    EXPECT_EQ(escape_markdown_inline("<img src=x>"), "\\<img src=x\\>");
    EXPECT_EQ(escape_markdown_inline("**bold** [link](x)"), "\\*\\*bold\\*\\* \\[link\\](x)");
    EXPECT_EQ(escape_markdown_inline("make-dataset"), "make-dataset");
}

TEST(SafePathPart, NeverLeavesItsDirectory) {
    EXPECT_EQ(safe_path_part("model-out_1.csv"), "model-out_1.csv");
    EXPECT_EQ(safe_path_part("../../etc/passwd"), ".._.._etc_passwd");
    EXPECT_EQ(safe_path_part(".."), "_..");
    EXPECT_EQ(safe_path_part(""), "_");
    EXPECT_EQ(safe_path_part("a b/c"), "a_b_c");
}

TEST(EscapeUrlPath, EncodesEverythingButUnreservedAndSlash) {
    EXPECT_EQ(escape_url_path("logs/a b.log"), "logs/a%20b.log");
    EXPECT_EQ(escape_url_path("x\"><y"), "x%22%3E%3Cy");
    EXPECT_EQ(escape_url_path("javascript:alert(1)"), "javascript%3Aalert%281%29");
}

TEST(TruncateText, CutsOnCodePointsWithAnEllipsis) {
    EXPECT_EQ(truncate_text("short", 10), "short");
    EXPECT_EQ(truncate_text("abcdefgh", 5), "abcd\xE2\x80\xA6");
    EXPECT_EQ(truncate_text("\xC3\xBC\xC3\xBC\xC3\xBC", 2), "\xC3\xBC\xE2\x80\xA6");
}

}  // namespace
}  // namespace kfrun::report
