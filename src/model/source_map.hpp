#pragma once
// SourceMap: where each field of a loaded pipeline came from, so errors can name file:line:col.
#include <string>
#include <unordered_map>

namespace kfrun::model {

struct SourceMark {
    int line = 0;    // 1-based; 0 when unknown
    int column = 0;  // 1-based
};

class SourceMap {
public:
    SourceMap() = default;
    explicit SourceMap(std::string file) : m_file(std::move(file)) {}

    const std::string& file() const { return m_file; }
    void set_file(std::string file) { m_file = std::move(file); }
    void record(const std::string& path, SourceMark mark) { m_marks.emplace(path, mark); }
    // The mark of `path`, or of its nearest recorded ancestor ("a.b[2].c" → "a.b[2]" → "a.b").
    SourceMark find(const std::string& path) const;
    // "file.yaml:12:5 (spec.templates[3].container.args[0])".
    std::string describe(const std::string& path) const;

private:
    std::string m_file;
    std::unordered_map<std::string, SourceMark> m_marks;
};

}  // namespace kfrun::model
