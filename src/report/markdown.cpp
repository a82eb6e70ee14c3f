#include "report/markdown.hpp"

#include <md4c-html.h>

#include <cctype>
#include <cstdlib>
#include <string>

#include "report/escape.hpp"

namespace kfrun::report {

namespace {

void append_output(const MD_CHAR* text, MD_SIZE size, void* user) {
    static_cast<std::string*>(user)->append(text, size);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

// Decodes the HTML character references md4c-html writes in attributes (&amp; &quot; &lt;
// &gt; &#NN; &#xNN;) and %XX escapes: enough to see the scheme a browser would see.
std::string decode_url(std::string_view url) {
    std::string out;
    for (std::size_t i = 0; i < url.size(); ++i) {
        char c = url[i];
        if (c == '&') {
            std::size_t end = url.find(';', i);
            if (end != std::string_view::npos && end - i <= 10) {
                std::string_view entity = url.substr(i + 1, end - i - 1);
                long code = -1;
                if (entity == "amp") {
                    code = '&';
                } else if (entity == "quot") {
                    code = '"';
                } else if (entity == "lt") {
                    code = '<';
                } else if (entity == "gt") {
                    code = '>';
                } else if (entity.size() > 1 && entity[0] == '#') {
                    bool hex = entity[1] == 'x' || entity[1] == 'X';
                    std::string digits(entity.substr(hex ? 2 : 1));
                    char* end_digits = nullptr;
                    code = std::strtol(digits.c_str(), &end_digits, hex ? 16 : 10);
                    if (digits.empty() || *end_digits != '\0') {
                        code = -1;
                    }
                }
                if (code >= 0) {
                    out += code < 0x80 ? static_cast<char>(code) : '?';
                    i = end;
                    continue;
                }
            }
        }
        if (c == '%' && i + 2 < url.size() && hex_value(url[i + 1]) >= 0 &&
            hex_value(url[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(url[i + 1]) * 16 + hex_value(url[i + 2]));
            i += 2;
            continue;
        }
        out += c;
    }
    return out;
}

// Rewrites every `name="..."` attribute in md4c's output whose URL is unsafe. md4c-html always
// writes attributes as name="value" with " escaped inside, and with MD_FLAG_NOHTML the only
// markup in the output is md4c's own, so a plain scan finds every URL attribute.
std::string neutralise_urls(std::string html, std::string_view attribute, std::string_view safe) {
    std::string marker = " " + std::string(attribute) + "=\"";
    std::size_t at = 0;
    while ((at = html.find(marker, at)) != std::string::npos) {
        std::size_t value_start = at + marker.size();
        std::size_t value_end = html.find('"', value_start);
        if (value_end == std::string::npos) {
            break;
        }
        std::string_view value(html.data() + value_start, value_end - value_start);
        if (!is_safe_link_url(value)) {
            html.replace(value_start, value_end - value_start, safe);
            value_end = value_start + safe.size();
        }
        at = value_end;
    }
    return html;
}

}  // namespace

bool is_safe_link_url(std::string_view url) {
    std::string decoded = decode_url(url);
    // Browsers drop leading spaces/control characters and ignore tabs and newlines anywhere.
    std::string compact;
    for (char c : decoded) {
        if (static_cast<unsigned char>(c) > 0x20) {
            compact += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    std::size_t colon = compact.find(':');
    std::size_t first_delimiter = compact.find_first_of("/?#");
    if (colon == std::string::npos ||
        (first_delimiter != std::string::npos && first_delimiter < colon)) {
        return true;  // relative, absolute-path or fragment URL: no scheme
    }
    std::string scheme = compact.substr(0, colon);
    return scheme == "http" || scheme == "https" || scheme == "mailto";
}

std::string render_markdown(std::string_view markdown) {
    std::string clean = sanitize_utf8(markdown);
    std::string html;
    unsigned parser_flags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML;
    int failed = md_html(clean.data(), static_cast<MD_SIZE>(clean.size()), append_output, &html,
                         parser_flags, MD_HTML_FLAG_SKIP_UTF8_BOM);
    if (failed != 0) {
        return "<pre>" + escape_html(clean) + "</pre>";
    }
    html = neutralise_urls(std::move(html), "href", "#");
    html = neutralise_urls(std::move(html), "src", "");
    return html;
}

}  // namespace kfrun::report
