// The `confusion_matrix` viewer: CSV rows "target,predicted,count" over `labels`, as a labelled
// heat map; the first two `schema` names are the axis titles (as in KFP's UI).
#include <map>
#include <optional>
#include <vector>

#include "base/strings.hpp"
#include "report/csv.hpp"
#include "report/escape.hpp"
#include "report/viewers.hpp"

namespace kfrun::report {

std::string render_confusion_matrix(const nlohmann::json& viewer, std::string_view csv) {
    std::vector<std::string> labels;
    for (const nlohmann::json& label : json_array(viewer, "labels")) {
        labels.push_back(std::string(base::trim(json_text(label))));
    }
    const nlohmann::json& schema = json_array(viewer, "schema");
    if (labels.empty()) {
        return render_notice("warn", "the confusion matrix has no `labels`");
    }
    if (schema.size() < 2) {
        return render_notice("warn", "the confusion matrix needs a `schema` naming its columns");
    }
    std::string y_title = json_string(schema[0], "name", "target");
    std::string x_title = json_string(schema[1], "name", "predicted");
    std::size_t n = labels.size();
    CsvTable table = parse_csv(csv);
    if (table.rows.size() != n * n) {
        return render_notice("warn", std::to_string(n) + " labels need exactly " +
                                         std::to_string(n * n) + " CSV rows, the data has " +
                                         std::to_string(table.rows.size()));
    }
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < n; ++i) {
        index.emplace(labels[i], i);
    }
    std::vector<std::vector<std::optional<long long>>> counts(
        n, std::vector<std::optional<long long>>(n));
    long long max_count = 0;
    for (const CsvRow& row : table.rows) {
        if (row.size() < 3) {
            return render_notice("warn", "a row has fewer than 3 cells (target, predicted, count)");
        }
        auto target = index.find(std::string(base::trim(row[0])));
        auto predicted = index.find(std::string(base::trim(row[1])));
        if (target == index.end() || predicted == index.end()) {
            return render_notice("warn", "a row names a label that is not in `labels`: " +
                                             std::string(base::trim(row[0])) + ", " +
                                             std::string(base::trim(row[1])));
        }
        std::optional<long long> count = parse_integer(row[2]);
        if (!count) {
            return render_notice("warn",
                                 "a count is not an integer: " + std::string(base::trim(row[2])));
        }
        counts[target->second][predicted->second] = count;
        max_count = std::max(max_count, *count);
    }
    std::string html = "<div class=\"cm\"><div class=\"cm-y-title\"><span>" + escape_html(y_title) +
                       "</span></div><div class=\"cm-body\"><table class=\"cm-grid\"><thead><tr>"
                       "<th class=\"cm-corner\"></th>";
    for (const std::string& label : labels) {
        html += "<th scope=\"col\">" + escape_html(label) + "</th>";
    }
    html += "</tr></thead><tbody>";
    for (std::size_t i = 0; i < n; ++i) {
        html += "<tr><th scope=\"row\">" + escape_html(labels[i]) + "</th>";
        for (std::size_t j = 0; j < n; ++j) {
            if (!counts[i][j]) {
                html += "<td class=\"heat-0 cm-missing\">\xE2\x80\x93</td>";
                continue;
            }
            long long count = *counts[i][j];
            int heat =
                max_count > 0
                    ? static_cast<int>((10 * std::max(count, 0LL) + max_count / 2) / max_count)
                    : 0;
            std::string tip = y_title + " " + labels[i] + ", " + x_title + " " + labels[j] + ": " +
                              std::to_string(count);
            html += "<td class=\"heat-" + std::to_string(heat) + (i == j ? " cm-diagonal" : "") +
                    "\" title=\"" + escape_html(tip) + "\">" + std::to_string(count) + "</td>";
        }
        html += "</tr>";
    }
    html +=
        "</tbody></table><div class=\"cm-x-title\">" + escape_html(x_title) + "</div></div></div>";
    return html;
}

}  // namespace kfrun::report
