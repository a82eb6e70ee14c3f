#include "report/escape.hpp"

#include <cstdint>

namespace kfrun::report {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD

// Decodes one UTF-8 sequence at `text[i]`. Returns its length and the code point, or 0 when
// the bytes there are not a valid sequence.
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& code_point) {
    auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
    unsigned char lead = byte(i);
    if (lead < 0x80) {
        code_point = lead;
        return 1;
    }
    std::size_t length = 0;
    char32_t value = 0;
    char32_t minimum = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        value = lead & 0x1F;
        minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        value = lead & 0x0F;
        minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        value = lead & 0x07;
        minimum = 0x10000;
    } else {
        return 0;
    }
    if (i + length > text.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            return 0;
        }
        value = (value << 6) | (byte(i + k) & 0x3F);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        return 0;
    }
    code_point = value;
    return length;
}

// Walks valid UTF-8, calling `emit(code point, bytes)`; malformed bytes arrive as U+FFFD.
template <class Emit>
void for_each_code_point(std::string_view text, Emit emit) {
    std::size_t i = 0;
    while (i < text.size()) {
        char32_t code_point = 0;
        std::size_t length = decode_utf8(text, i, code_point);
        if (length == 0) {
            emit(char32_t{0xFFFD}, k_replacement);
            ++i;
            continue;
        }
        emit(code_point, text.substr(i, length));
        i += length;
    }
}

bool allowed_in_xml(char32_t c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

}  // namespace

std::string sanitize_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for_each_code_point(
        text, [&](char32_t c, std::string_view bytes) { out += c == 0 ? k_replacement : bytes; });
    return out;
}

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for_each_code_point(text, [&](char32_t c, std::string_view bytes) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            case 0:
                out += k_replacement;
                break;
            default:
                out += bytes;
        }
    });
    return out;
}

std::string json_for_script(std::string_view json) {
    std::string out;
    out.reserve(json.size());
    for_each_code_point(json, [&](char32_t c, std::string_view bytes) {
        switch (c) {
            case '<':
                out += "\\u003c";
                break;
            case '>':
                out += "\\u003e";
                break;
            case '&':
                out += "\\u0026";
                break;
            case 0x2028:
                out += "\\u2028";
                break;
            case 0x2029:
                out += "\\u2029";
                break;
            default:
                out += bytes;
        }
    });
    return out;
}

std::string escape_xml(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for_each_code_point(text, [&](char32_t c, std::string_view bytes) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            case '\n':
                out += "&#10;";
                break;
            case '\r':
                out += "&#13;";
                break;
            case '\t':
                out += "&#9;";
                break;
            default:
                out += allowed_in_xml(c) ? bytes : k_replacement;
        }
    });
    return out;
}

std::string xml_cdata(std::string_view text) {
    std::string clean;
    clean.reserve(text.size());
    for_each_code_point(text, [&](char32_t c, std::string_view bytes) {
        clean += allowed_in_xml(c) ? bytes : k_replacement;
    });
    std::string out = "<![CDATA[";
    std::size_t start = 0;
    while (true) {
        std::size_t end = clean.find("]]>", start);
        if (end == std::string::npos) {
            out.append(clean, start, std::string::npos);
            break;
        }
        // Close the section between "]]" and ">" and open a new one.
        out.append(clean, start, end + 2 - start);
        out += "]]><![CDATA[";
        start = end + 2;
    }
    out += "]]>";
    return out;
}

std::string escape_markdown_inline(std::string_view text) {
    static constexpr std::string_view k_punctuation = "\\`*_[]<>|~&$";
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    bool after_break = false;
    for_each_code_point(text, [&](char32_t c, std::string_view bytes) {
        if (c == '\r' || c == '\n') {
            if (!after_break) {
                out += "<br>";
            }
            after_break = c == '\r';
            return;
        }
        after_break = false;
        if (c < 0x80 && k_punctuation.find(static_cast<char>(c)) != std::string_view::npos) {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7F) {
            out += ' ';
        } else {
            out += bytes;
        }
    });
    return out;
}

std::string escape_url_path(std::string_view path) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : path) {
        auto byte = static_cast<unsigned char>(c);
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (keep) {
            out += c;
        } else {
            out += '%';
            out += k_hex[byte >> 4];
            out += k_hex[byte & 0x0F];
        }
    }
    return out;
}

std::string truncate_text(std::string_view text, std::size_t max_chars) {
    std::string out;
    std::size_t count = 0;
    bool cut = false;
    for_each_code_point(text, [&](char32_t c, std::string_view bytes) {
        if (cut) {
            return;
        }
        if (count == max_chars) {
            cut = true;
            return;
        }
        out += c == 0 ? k_replacement : bytes;
        ++count;
    });
    if (cut && max_chars > 0) {
        // Replace the last kept code point with the ellipsis.
        std::size_t last = out.size() - 1;
        while (last > 0 && (static_cast<unsigned char>(out[last]) & 0xC0) == 0x80) {
            --last;
        }
        out.erase(last);
        out += "\xE2\x80\xA6";
    }
    return out;
}

std::string safe_path_part(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
        out += keep ? c : '_';
    }
    if (out.empty() || out == "." || out == "..") {
        out = "_" + out;
    }
    if (out.size() > 200) {
        out.resize(200);
    }
    return out;
}

}  // namespace kfrun::report
