// The `table` viewer: headerless CSV plus `header`, as a sortable table (cells trimmed).
#include <algorithm>

#include "base/strings.hpp"
#include "report/csv.hpp"
#include "report/escape.hpp"
#include "report/viewers.hpp"

namespace kfrun::report {

std::string render_table(const nlohmann::json& viewer, std::string_view csv) {
    std::string notices;
    std::string format = json_string(viewer, "format");
    if (!format.empty() && format != "csv") {
        notices += render_notice("warn", "format `" + format + "` is not supported; read as CSV");
    }
    std::vector<std::string> header;
    for (const nlohmann::json& title : json_array(viewer, "header")) {
        header.push_back(json_text(title));
    }
    if (header.empty()) {
        notices += render_notice("warn", "the table has no `header`");
    }
    CsvTable table = parse_csv(csv);
    std::size_t columns = header.size();
    for (const CsvRow& row : table.rows) {
        columns = std::max(columns, row.size());
    }
    bool ragged = std::any_of(table.rows.begin(), table.rows.end(),
                              [&](const CsvRow& row) { return row.size() != columns; });
    if (ragged || (!header.empty() && columns != header.size())) {
        notices += render_notice("warn", "rows have different numbers of cells than the header");
    }
    std::size_t shown = std::min(table.rows.size(), k_max_table_rows);
    std::vector<bool> numeric_column(columns, shown > 0);
    for (std::size_t r = 0; r < shown; ++r) {
        for (std::size_t c = 0; c < columns; ++c) {
            const CsvRow& row = table.rows[r];
            if (c >= row.size() || !parse_number(row[c])) {
                numeric_column[c] = false;
            }
        }
    }
    std::string html = notices;
    html += "<div class=\"table-wrap\"><table class=\"data sortable\"><thead><tr>";
    for (std::size_t c = 0; c < columns; ++c) {
        std::string title = c < header.size() ? header[c] : "column " + std::to_string(c + 1);
        html += std::string(numeric_column[c] ? "<th scope=\"col\" class=\"num\">"
                                              : "<th scope=\"col\">") +
                escape_html(base::trim(title)) + "</th>";
    }
    html += "</tr></thead><tbody>";
    for (std::size_t r = 0; r < shown; ++r) {
        html += "<tr>";
        const CsvRow& row = table.rows[r];
        for (std::size_t c = 0; c < columns; ++c) {
            std::string_view cell = c < row.size() ? base::trim(row[c]) : std::string_view{};
            bool numeric = parse_number(cell).has_value();
            html += numeric ? "<td class=\"num\">" : "<td>";
            html += escape_html(cell) + "</td>";
        }
        html += "</tr>";
    }
    html += "</tbody></table></div>";
    if (table.rows.empty()) {
        html += render_notice("info", "the table has no rows");
    }
    if (shown < table.rows.size() || table.truncated) {
        html += render_notice("info", "showing the first " + std::to_string(shown) + " of " +
                                          (table.truncated ? "more than " : "") +
                                          std::to_string(table.rows.size()) + " rows");
    }
    return html;
}

}  // namespace kfrun::report
