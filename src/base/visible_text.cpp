#include "base/visible_text.hpp"

#include "base/utf8.hpp"

namespace kfrun::base {

namespace {

constexpr char k_hex[] = "0123456789abcdef";

void hex_byte(std::string& out, unsigned char byte) {
    out += "\\x";
    out += k_hex[byte >> 4];
    out += k_hex[byte & 0xF];
}

void hex_code_point(std::string& out, unsigned code_point) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) {
        out += k_hex[(code_point >> shift) & 0xF];
    }
}

unsigned decode(std::string_view sequence) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(sequence[i]); };
    switch (sequence.size()) {
        case 2:
            return ((byte(0) & 0x1Fu) << 6) | (byte(1) & 0x3Fu);
        case 3:
            return ((byte(0) & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
        default:
            return ((byte(0) & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) |
                   ((byte(2) & 0x3Fu) << 6) | (byte(3) & 0x3Fu);
    }
}

bool hidden(unsigned code_point) {
    return (code_point >= 0x80 && code_point <= 0x9F) ||
           (code_point >= 0x202A && code_point <= 0x202E) ||
           (code_point >= 0x2066 && code_point <= 0x2069);
}

}  // namespace

std::string visible_text(std::string_view text, bool keep_newlines) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const auto byte = static_cast<unsigned char>(text[at]);
        if (byte < 0x80) {
            if ((byte < 0x20 && byte != '\t' && !(keep_newlines && byte == '\n')) || byte == 0x7F) {
                hex_byte(out, byte);
            } else {
                out += static_cast<char>(byte);
            }
            ++at;
            continue;
        }
        const std::size_t length = utf8_sequence_length(text, at);
        if (length == 0) {
            hex_byte(out, byte);
            ++at;
            continue;
        }
        const std::string_view sequence = text.substr(at, length);
        if (const unsigned code_point = decode(sequence); hidden(code_point)) {
            hex_code_point(out, code_point);
        } else {
            out += sequence;
        }
        at += length;
    }
    return out;
}

}  // namespace kfrun::base
