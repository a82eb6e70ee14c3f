#include "engine/cel_lexer.hpp"

#include <array>
#include <charconv>
#include <limits>

#include "base/utf8.hpp"
#include "base/visible_text.hpp"

namespace kfrun::engine::cel {

namespace {

constexpr std::array<std::string_view, 17> k_reserved = {
    "as",  "break", "const",   "continue",  "else",   "for", "function", "if",   "import",
    "let", "loop",  "package", "namespace", "return", "var", "void",     "while"};

bool is_ident_start(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_ident_char(char c) {
    return is_ident_start(c) || is_digit(c);
}
int hex_value(char c) {
    if (is_digit(c)) {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

class Lexer {
  public:
    explicit Lexer(std::string_view text) : m_text(text) {}

    base::Result<std::vector<Token>> run() {
        if (!base::is_valid_utf8(m_text)) {
            return base::make_error(base::ErrorKind::Input, "the expression is not valid UTF-8");
        }
        std::vector<Token> tokens;
        while (true) {
            skip_space_and_comments();
            if (m_at >= m_text.size()) {
                tokens.push_back({TokenKind::End, m_at, {}, 0, 0});
                return tokens;
            }
            bool after_value = !tokens.empty() && ends_value(tokens.back());
            auto token = next(after_value);
            if (!token.ok()) {
                return token.error();
            }
            tokens.push_back(std::move(*token));
        }
    }

  private:
    static bool ends_value(const Token& t) {
        return t.kind != TokenKind::Punct || t.text == ")" || t.text == "]" || t.text == "}";
    }

    base::Error fail(std::size_t offset, const std::string& what) const {
        return base::make_error(base::ErrorKind::Input,
                                "syntax error at " + text_position(m_text, offset) + ": " + what);
    }

    char at(std::size_t i) const { return i < m_text.size() ? m_text[i] : '\0'; }

    void skip_space_and_comments() {
        while (m_at < m_text.size()) {
            char c = m_text[m_at];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                ++m_at;
            } else if (c == '/' && at(m_at + 1) == '/') {
                while (m_at < m_text.size() && m_text[m_at] != '\n') {
                    ++m_at;
                }
            } else {
                return;
            }
        }
    }

    base::Result<Token> next(bool after_value) {
        std::size_t start = m_at;
        char c = m_text[m_at];
        if (is_digit(c) || (c == '.' && is_digit(at(m_at + 1)) && !after_value)) {
            return number();
        }
        if (c == '"' || c == '\'') {
            return string_literal(start, false);
        }
        if (is_ident_start(c)) {
            while (is_ident_char(at(m_at))) {
                ++m_at;
            }
            std::string word(m_text.substr(start, m_at - start));
            char quote = at(m_at);
            if (quote == '"' || quote == '\'') {
                if (word == "r" || word == "R") {
                    return string_literal(start, true);
                }
                std::string lower = word;
                for (char& l : lower) {
                    l = static_cast<char>(l | 0x20);
                }
                if (lower == "b" || lower == "br" || lower == "rb") {
                    return fail(start, "bytes literals are not supported");
                }
            }
            if (word == "in") {
                return Token{TokenKind::Punct, start, word, 0, 0};
            }
            for (auto reserved : k_reserved) {
                if (word == reserved) {
                    return fail(start, "'" + word + "' is a reserved word");
                }
            }
            return Token{TokenKind::Ident, start, std::move(word), 0, 0};
        }
        static constexpr std::array<std::string_view, 6> two = {"<=", ">=", "==", "!=", "&&", "||"};
        for (auto op : two) {
            if (m_text.substr(m_at, 2) == op) {
                m_at += 2;
                return Token{TokenKind::Punct, start, std::string(op), 0, 0};
            }
        }
        if (std::string_view("()[]{}.,:?!-+*/%<>").find(c) != std::string_view::npos) {
            ++m_at;
            return Token{TokenKind::Punct, start, std::string(1, c), 0, 0};
        }
        std::size_t length = std::max<std::size_t>(1, base::utf8_sequence_length(m_text, m_at));
        return fail(start, "unexpected character '" +
                               base::visible_text(m_text.substr(m_at, length)) + "'");
    }

    base::Result<Token> number() {
        std::size_t start = m_at;
        if (m_text[m_at] == '0' && (at(m_at + 1) == 'x' || at(m_at + 1) == 'X')) {
            m_at += 2;
            std::size_t digits = m_at;
            while (hex_value(at(m_at)) >= 0) {
                ++m_at;
            }
            return integer(start, digits, 16);
        }
        while (is_digit(at(m_at))) {
            ++m_at;
        }
        bool is_double = false;
        if (at(m_at) == '.' && is_digit(at(m_at + 1))) {
            is_double = true;
            ++m_at;
            while (is_digit(at(m_at))) {
                ++m_at;
            }
        }
        char e = at(m_at);
        if (e == 'e' || e == 'E') {
            std::size_t exponent = m_at + 1;
            if (at(exponent) == '+' || at(exponent) == '-') {
                ++exponent;
            }
            if (is_digit(at(exponent))) {
                is_double = true;
                m_at = exponent;
                while (is_digit(at(m_at))) {
                    ++m_at;
                }
            }
        }
        if (!is_double) {
            return integer(start, start, 10);
        }
        Token token{TokenKind::Double, start, {}, 0, 0};
        const char* first = m_text.data() + start;
        const char* last = m_text.data() + m_at;
        auto [end, ec] = std::from_chars(first, last, token.number);
        if (ec != std::errc() || end != last) {
            return fail(start, "double literal out of range");
        }
        return token;
    }

    base::Result<Token> integer(std::size_t start, std::size_t digits, int base) {
        if (digits == m_at) {
            return fail(start, "hexadecimal literal without digits");
        }
        Token token{TokenKind::Int, start, {}, 0, 0};
        auto [end, ec] =
            std::from_chars(m_text.data() + digits, m_text.data() + m_at, token.magnitude, base);
        if (ec != std::errc()) {
            return fail(start, "integer literal out of range");
        }
        if (at(m_at) == 'u' || at(m_at) == 'U') {
            ++m_at;
            token.kind = TokenKind::Uint;
        }
        return token;
    }

    base::Result<Token> string_literal(std::size_t start, bool raw) {
        char quote = m_text[m_at];
        bool triple = at(m_at + 1) == quote && at(m_at + 2) == quote;
        m_at += triple ? 3 : 1;
        Token token{TokenKind::String, start, {}, 0, 0};
        while (true) {
            if (m_at >= m_text.size()) {
                return fail(start, "unterminated string literal");
            }
            char c = m_text[m_at];
            if (c == quote && (!triple || (at(m_at + 1) == quote && at(m_at + 2) == quote))) {
                m_at += triple ? 3 : 1;
                return token;
            }
            if (!triple && (c == '\n' || c == '\r')) {
                return fail(m_at, "newline in a string literal");
            }
            if (c == '\\' && !raw) {
                KFRUN_TRY(escape(token.text));
                continue;
            }
            token.text += c;
            ++m_at;
        }
    }

    base::Result<void> escape(std::string& out) {
        std::size_t start = m_at;
        char c = at(m_at + 1);
        m_at += 2;
        switch (c) {
            case '\\':
                out += '\\';
                return base::ok();
            case '?':
                out += '?';
                return base::ok();
            case '"':
                out += '"';
                return base::ok();
            case '\'':
                out += '\'';
                return base::ok();
            case '`':
                out += '`';
                return base::ok();
            case 'a':
                out += '\a';
                return base::ok();
            case 'b':
                out += '\b';
                return base::ok();
            case 'f':
                out += '\f';
                return base::ok();
            case 'n':
                out += '\n';
                return base::ok();
            case 'r':
                out += '\r';
                return base::ok();
            case 't':
                out += '\t';
                return base::ok();
            case 'v':
                out += '\v';
                return base::ok();
            default:
                break;
        }
        int digits = 0;
        int radix = 16;
        if (c == 'x' || c == 'X') {
            digits = 2;
        } else if (c == 'u') {
            digits = 4;
        } else if (c == 'U') {
            digits = 8;
        } else if (c >= '0' && c <= '3') {
            digits = 2;
            radix = 8;
            --m_at;  // the first octal digit is part of the value
            ++digits;
        } else {
            return fail(start, "invalid escape sequence");
        }
        std::uint32_t cp = 0;
        for (int i = 0; i < digits; ++i) {
            int v = hex_value(at(m_at));
            if (v < 0 || v >= radix) {
                return fail(start, "invalid escape sequence");
            }
            cp = cp * static_cast<std::uint32_t>(radix) + static_cast<std::uint32_t>(v);
            ++m_at;
        }
        if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            return fail(start, "escape sequence is not a Unicode code point");
        }
        append_utf8(out, cp);
        return base::ok();
    }

    std::string_view m_text;
    std::size_t m_at = 0;
};

}  // namespace

std::string text_position(std::string_view text, std::size_t offset) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        auto byte = static_cast<unsigned char>(text[i]);
        if (byte == '\n') {
            ++line;
            column = 1;
        } else if ((byte & 0xC0) != 0x80) {
            ++column;
        }
    }
    std::string column_text = "column " + std::to_string(column);
    return line == 1 ? column_text : "line " + std::to_string(line) + ", " + column_text;
}

base::Result<std::vector<Token>> tokenize(std::string_view text) {
    return Lexer(text).run();
}

}  // namespace kfrun::engine::cel
