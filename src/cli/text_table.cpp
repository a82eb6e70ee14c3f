#include "cli/text_table.hpp"

#include <algorithm>

namespace kfrun::cli {

namespace {

// Display width, counting each UTF-8 character once and colour codes (ESC [ ... m) not at all.
std::size_t width(const std::string& text) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
            std::size_t end = text.find('m', i + 2);
            if (end != std::string::npos) {
                i = end;
                continue;
            }
        }
        n += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 ? 1 : 0;
    }
    return n;
}

}  // namespace

void TextTable::print(std::ostream& out) const {
    std::vector<std::size_t> widths(m_header.size(), 0);
    auto measure = [&widths](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
            widths[i] = std::max(widths[i], width(row[i]));
        }
    };
    measure(m_header);
    for (const auto& row : m_rows) {
        measure(row);
    }
    auto print_row = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
            out << row[i];
            if (i + 1 < row.size()) {
                out << std::string(widths[i] - width(row[i]) + 2, ' ');
            }
        }
        out << "\n";
    };
    print_row(m_header);
    for (const auto& row : m_rows) {
        print_row(row);
    }
}

}  // namespace kfrun::cli
