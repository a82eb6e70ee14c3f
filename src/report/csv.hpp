#pragma once
// CSV as the KFP viewers read it (d3's csvParseRows): comma-separated, RFC 4180 quoting with
// "" for a quote, \n or \r\n line ends; no header row. Blank lines are dropped.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kfrun::report {

using CsvRow = std::vector<std::string>;

struct CsvTable {
    std::vector<CsvRow> rows;
    bool truncated = false;  // more than max_rows rows: the rest was not read
};

CsvTable parse_csv(std::string_view text, std::size_t max_rows = 100000);

// A whole cell as a number (after trimming): "1", "-0.5", "1e-3". Nothing else (no "1.0x").
std::optional<double> parse_number(std::string_view cell);
// A whole cell as an integer (after trimming), like parseInt on a clean integer string.
std::optional<long long> parse_integer(std::string_view cell);

}  // namespace kfrun::report
