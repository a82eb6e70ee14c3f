#include "model/source_map.hpp"

namespace kfrun::model {

SourceMark SourceMap::find(const std::string& path) const {
    std::string current = path;
    while (!current.empty()) {
        auto it = m_marks.find(current);
        if (it != m_marks.end()) {
            return it->second;
        }
        std::size_t cut = current.find_last_of(".[");
        if (cut == std::string::npos) {
            break;
        }
        current.resize(cut);
    }
    return {};
}

std::string SourceMap::describe(const std::string& path) const {
    SourceMark mark = find(path);
    std::string out = m_file.empty() ? std::string("<input>") : m_file;
    if (mark.line > 0) {
        out += ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column);
    }
    if (!path.empty()) {
        out += " (" + path + ")";
    }
    return out;
}

}  // namespace kfrun::model
