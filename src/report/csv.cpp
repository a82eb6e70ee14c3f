#include "report/csv.hpp"

#include <charconv>
#include <cmath>

#include "base/strings.hpp"

namespace kfrun::report {

CsvTable parse_csv(std::string_view text, std::size_t max_rows) {
    CsvTable table;
    CsvRow row;
    std::string cell;
    bool quoted = false;  // inside a quoted cell
    bool row_has_data = false;
    auto end_cell = [&] {
        row.push_back(std::move(cell));
        cell.clear();
    };
    auto end_row = [&] {
        end_cell();
        bool blank = row.size() == 1 && row[0].empty() && !row_has_data;
        if (!blank) {
            table.rows.push_back(std::move(row));
        }
        row.clear();
        row_has_data = false;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    cell += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cell += c;
            }
            continue;
        }
        if (c == '"' && cell.empty()) {
            quoted = true;
            row_has_data = true;
        } else if (c == ',') {
            end_cell();
            row_has_data = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
            end_row();
            if (table.rows.size() >= max_rows) {
                table.truncated = i + 1 < text.size();
                return table;
            }
        } else {
            cell += c;
            row_has_data = true;
        }
    }
    if (!cell.empty() || !row.empty() || row_has_data) {
        end_row();
    }
    return table;
}

std::optional<double> parse_number(std::string_view cell) {
    std::string_view text = base::trim(cell);
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    if (text.empty()) {
        return std::nullopt;
    }
    double value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<long long> parse_integer(std::string_view cell) {
    std::string_view text = base::trim(cell);
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    if (text.empty()) {
        return std::nullopt;
    }
    long long value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
        // KFP uses parseInt, which reads "12.0" as 12: accept an integral decimal too.
        std::optional<double> number = parse_number(text);
        if (number && std::floor(*number) == *number && std::fabs(*number) < 9e15) {
            return static_cast<long long>(*number);
        }
        return std::nullopt;
    }
    return value;
}

}  // namespace kfrun::report
