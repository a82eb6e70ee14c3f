#include "docker/line_splitter.hpp"

namespace kfrun::docker {

void LineSplitter::feed(std::string_view data) {
    while (!data.empty()) {
        const auto newline = data.find('\n');
        const std::string_view piece = data.substr(0, newline);
        if (newline != std::string_view::npos && m_partial.empty() && piece.size() <= m_max_line) {
            m_sink(piece);
        } else {
            m_partial.append(piece);
            std::size_t cut = 0;
            for (; m_partial.size() - cut > m_max_line; cut += m_max_line) {
                m_sink(std::string_view(m_partial).substr(cut, m_max_line));
            }
            m_partial.erase(0, cut);
            if (newline != std::string_view::npos) {
                m_sink(m_partial);
                m_partial.clear();
            }
        }
        data.remove_prefix(newline == std::string_view::npos ? data.size() : newline + 1);
    }
}

void LineSplitter::finish() {
    if (!m_partial.empty()) {
        m_sink(m_partial);
        m_partial.clear();
    }
}

}  // namespace kfrun::docker
