#include "report/markdown.hpp"

#include <gtest/gtest.h>

#include "report_test_support.hpp"

namespace kfrun::report {
namespace {

TEST(Markdown, RendersGithubFlavour) {
    std::string html =
        render_markdown("# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n**bold** ~~gone~~");
    EXPECT_NE(html.find("<h1>Title</h1>"), std::string::npos);
    EXPECT_NE(html.find("<table>"), std::string::npos);
    EXPECT_NE(html.find("<strong>bold</strong>"), std::string::npos);
    EXPECT_NE(html.find("<del>gone</del>"), std::string::npos);
}

TEST(Markdown, RawHtmlIsShownAsText) {
    std::string html =
        render_markdown("<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)>");
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

TEST(Markdown, NeutralisesScriptUrlsInLinks) {
    for (const char* source :
         {"[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](&#106;avascript:alert(1))",
          "[x](&#x6A;avascript:alert(1))", "[x](java%73cript:alert(1))", "<javascript:alert(1)>",
          "[x](vbscript:msgbox)", "[x](data:text/html;base64,PHNjcmlwdD4=)",
          "[x]( javascript:alert(1))", "[x][r]\n\n[r]: javascript:alert(1)"}) {
        std::string html = render_markdown(source);
        for (const testing::HtmlTag& tag : testing::html_tags(html)) {
            auto href = tag.attributes.find("href");
            if (href != tag.attributes.end()) {
                EXPECT_EQ(href->second, "#") << source << " -> " << html;
            }
        }
        EXPECT_EQ(html.find("href=\"javascript"), std::string::npos) << source << " -> " << html;
    }
}

TEST(Markdown, KeepsOrdinaryLinks) {
    std::string html = render_markdown(
        "[web](https://example.com/a?b=1&c=2) [mail](mailto:a@b.c) [rel](artifacts/x.csv) "
        "[top](#summary)");
    EXPECT_NE(html.find("href=\"https://example.com/a?b=1&amp;c=2\""), std::string::npos);
    EXPECT_NE(html.find("href=\"mailto:a@b.c\""), std::string::npos);
    EXPECT_NE(html.find("href=\"artifacts/x.csv\""), std::string::npos);
    EXPECT_NE(html.find("href=\"#summary\""), std::string::npos);
}

TEST(Markdown, ImagesWithScriptUrlsLoseTheirSource) {
    std::string html = render_markdown("![x](javascript:alert(1))");
    EXPECT_NE(html.find("src=\"\""), std::string::npos);
}

TEST(SafeLinkUrl, AllowsOnlyWebMailAndRelativeUrls) {
    EXPECT_TRUE(is_safe_link_url("http://x"));
    EXPECT_TRUE(is_safe_link_url("HTTPS://x"));
    EXPECT_TRUE(is_safe_link_url("dir/file:name"));  // the colon is after a '/': relative
    EXPECT_TRUE(is_safe_link_url("?q=1"));
    EXPECT_FALSE(is_safe_link_url("javascript:void(0)"));
    EXPECT_FALSE(is_safe_link_url("java\tscript:x"));
    EXPECT_FALSE(is_safe_link_url("file:///etc/passwd"));
}

}  // namespace
}  // namespace kfrun::report
