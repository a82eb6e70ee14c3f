// The `confusion_matrix` viewer: CSV rows "target,predicted,count" over `labels`, as a labelled
// heat map; the first two `schema` names are the axis titles (as in KFP's UI). The heat map
// itself (render_confusion_grid) also draws KFP v2 `system.ClassificationMetrics`.
#include <algorithm>
#include <cmath>
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
    ConfusionGrid grid{labels, y_title, x_title,
                       std::vector<std::vector<std::optional<ConfusionCell>>>(
                           n, std::vector<std::optional<ConfusionCell>>(n))};
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
        grid.cells[target->second][predicted->second] =
            ConfusionCell{static_cast<double>(*count), std::to_string(*count)};
    }
    return render_confusion_grid(grid);
}

std::string render_confusion_grid(const ConfusionGrid& grid) {
    const std::vector<std::string>& labels = grid.labels;
    std::size_t n = labels.size();
    double max_value = 0;
    for (const auto& row : grid.cells) {
        for (const std::optional<ConfusionCell>& cell : row) {
            if (cell && std::isfinite(cell->value)) {
                max_value = std::max(max_value, cell->value);
            }
        }
    }
    std::string html = "<div class=\"cm\"><div class=\"cm-y-title\"><span>" +
                       escape_html(grid.y_title) +
                       "</span></div><div class=\"cm-body\"><table class=\"cm-grid\"><thead><tr>"
                       "<th class=\"cm-corner\"></th>";
    for (const std::string& label : labels) {
        html += "<th scope=\"col\">" + escape_html(label) + "</th>";
    }
    html += "</tr></thead><tbody>";
    for (std::size_t i = 0; i < n; ++i) {
        html += "<tr><th scope=\"row\">" + escape_html(labels[i]) + "</th>";
        for (std::size_t j = 0; j < n; ++j) {
            const std::optional<ConfusionCell>* cell =
                i < grid.cells.size() && j < grid.cells[i].size() ? &grid.cells[i][j] : nullptr;
            if (cell == nullptr || !*cell) {
                html += "<td class=\"heat-0 cm-missing\">\xE2\x80\x93</td>";
                continue;
            }
            double value = (*cell)->value;
            int heat = 0;
            if (max_value > 0 && std::isfinite(value)) {
                heat = static_cast<int>(
                    std::floor((10 * std::max(value, 0.0) + max_value / 2) / max_value));
                heat = std::clamp(heat, 0, 10);
            }
            std::string tip = grid.y_title + " " + labels[i] + ", " + grid.x_title + " " +
                              labels[j] + ": " + (*cell)->text;
            html += "<td class=\"heat-" + std::to_string(heat) + (i == j ? " cm-diagonal" : "") +
                    "\" title=\"" + escape_html(tip) + "\">" + escape_html((*cell)->text) + "</td>";
        }
        html += "</tr>";
    }
    html += "</tbody></table><div class=\"cm-x-title\">" + escape_html(grid.x_title) +
            "</div></div></div>";
    return html;
}

}  // namespace kfrun::report
