#pragma once
// TextTable: aligned columns for listings (`kfrun cache ls`, `kfrun runs list`).
#include <ostream>
#include <string>
#include <vector>

namespace kfrun::cli {

class TextTable {
public:
    explicit TextTable(std::vector<std::string> header) : m_header(std::move(header)) {}
    void add(std::vector<std::string> row) { m_rows.push_back(std::move(row)); }
    bool empty() const { return m_rows.empty(); }
    void print(std::ostream& out) const;

private:
    std::vector<std::string> m_header;
    std::vector<std::vector<std::string>> m_rows;
};

}  // namespace kfrun::cli
