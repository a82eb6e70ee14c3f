// The `roc` viewer: CSV columns named by `schema` (fpr, tpr, threshold*), as an SVG curve with
// the threshold of each point in its <title> (shown on hover), and the area under the curve.
// The curve itself (render_roc_points) also draws KFP v2 `confidenceMetrics`.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "base/strings.hpp"
#include "report/csv.hpp"
#include "report/escape.hpp"
#include "report/viewers.hpp"

namespace kfrun::report {

namespace {

constexpr double k_left = 56;
constexpr double k_top = 14;
constexpr double k_size = 300;  // the plot is square

std::string number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    return buffer;
}

double clamp01(double value) {
    return std::clamp(value, 0.0, 1.0);
}
double x_of(double fpr) {
    return k_left + clamp01(fpr) * k_size;
}
double y_of(double tpr) {
    return k_top + (1 - clamp01(tpr)) * k_size;
}

std::string axes() {
    std::string svg = "<g class=\"roc-grid\">";
    for (int i = 0; i <= 5; ++i) {
        double v = i / 5.0;
        std::string label = i == 0 ? "0" : i == 5 ? "1" : "0." + std::to_string(i * 2);
        svg += "<line x1=\"" + number(x_of(v)) + "\" y1=\"" + number(y_of(0)) + "\" x2=\"" +
               number(x_of(v)) + "\" y2=\"" + number(y_of(1)) + "\"/>";
        svg += "<line x1=\"" + number(x_of(0)) + "\" y1=\"" + number(y_of(v)) + "\" x2=\"" +
               number(x_of(1)) + "\" y2=\"" + number(y_of(v)) + "\"/>";
        svg += "<text class=\"tick\" x=\"" + number(x_of(v)) + "\" y=\"" + number(y_of(0) + 16) +
               "\" text-anchor=\"middle\">" + label + "</text>";
        svg += "<text class=\"tick\" x=\"" + number(x_of(0) - 8) + "\" y=\"" + number(y_of(v) + 4) +
               "\" text-anchor=\"end\">" + label + "</text>";
    }
    svg += "</g>";
    svg += "<line class=\"roc-diagonal\" x1=\"" + number(x_of(0)) + "\" y1=\"" + number(y_of(0)) +
           "\" x2=\"" + number(x_of(1)) + "\" y2=\"" + number(y_of(1)) + "\"/>";
    svg += "<rect class=\"roc-frame\" x=\"" + number(k_left) + "\" y=\"" + number(k_top) +
           "\" width=\"" + number(k_size) + "\" height=\"" + number(k_size) + "\"/>";
    svg += "<text class=\"axis-title\" x=\"" + number(k_left + k_size / 2) + "\" y=\"" +
           number(k_top + k_size + 36) + "\" text-anchor=\"middle\">False positive rate</text>";
    svg += "<text class=\"axis-title\" transform=\"translate(16 " + number(k_top + k_size / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">True positive rate</text>";
    return svg;
}

}  // namespace

std::string render_roc(const nlohmann::json& viewer, std::string_view csv) {
    int fpr_column = -1;
    int tpr_column = -1;
    int threshold_column = -1;
    const nlohmann::json& schema = json_array(viewer, "schema");
    for (std::size_t i = 0; i < schema.size(); ++i) {
        std::string name = json_string(schema[i], "name");
        if (name == "fpr" && fpr_column < 0) {
            fpr_column = static_cast<int>(i);
        } else if (name == "tpr" && tpr_column < 0) {
            tpr_column = static_cast<int>(i);
        } else if (name.starts_with("threshold") && threshold_column < 0) {
            threshold_column = static_cast<int>(i);
        }
    }
    if (fpr_column < 0 || tpr_column < 0) {
        return render_notice("warn", "the ROC `schema` needs columns named fpr and tpr");
    }
    CsvTable table = parse_csv(base::trim(csv));
    std::vector<RocPoint> points;
    std::size_t needed =
        static_cast<std::size_t>(std::max({fpr_column, tpr_column, threshold_column})) + 1;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const CsvRow& row = table.rows[r];
        if (row.size() < needed) {
            return render_notice("warn", "row " + std::to_string(r + 1) + " has " +
                                             std::to_string(row.size()) +
                                             " cells, the schema needs " + std::to_string(needed));
        }
        std::optional<double> fpr = parse_number(row[fpr_column]);
        std::optional<double> tpr = parse_number(row[tpr_column]);
        if (!fpr || !tpr) {
            return render_notice("warn",
                                 "row " + std::to_string(r + 1) + ": fpr and tpr must be numbers");
        }
        std::string threshold =
            threshold_column >= 0 ? std::string(base::trim(row[threshold_column])) : std::string();
        points.push_back(RocPoint{*fpr, *tpr, std::move(threshold)});
    }
    return render_roc_points(points);
}

std::string render_roc_points(const std::vector<RocPoint>& points) {
    if (points.empty()) {
        return render_notice("warn", "the ROC curve has no points");
    }
    std::string notes;
    bool outside = std::any_of(points.begin(), points.end(), [](const RocPoint& p) {
        return p.fpr < 0 || p.fpr > 1 || p.tpr < 0 || p.tpr > 1;
    });
    if (outside) {
        notes += render_notice("warn", "some rates are outside [0, 1]; drawn at the edge");
    }
    // Area under the curve, by the trapezoid rule over the points sorted by fpr.
    std::vector<RocPoint> sorted = points;
    std::stable_sort(sorted.begin(), sorted.end(), [](const RocPoint& a, const RocPoint& b) {
        return a.fpr < b.fpr || (a.fpr == b.fpr && a.tpr < b.tpr);
    });
    double auc = 0;
    for (std::size_t i = 1; i < sorted.size(); ++i) {
        auc += (clamp01(sorted[i].fpr) - clamp01(sorted[i - 1].fpr)) *
               (clamp01(sorted[i].tpr) + clamp01(sorted[i - 1].tpr)) / 2;
    }
    std::string path;
    for (const RocPoint& p : points) {
        path += (path.empty() ? "M" : " L") + number(x_of(p.fpr)) + " " + number(y_of(p.tpr));
    }
    std::string svg = "<svg class=\"roc\" viewBox=\"0 0 " + number(k_left + k_size + 16) + " " +
                      number(k_top + k_size + 46) + "\" role=\"img\" aria-label=\"ROC curve\">" +
                      axes();
    svg += "<path class=\"roc-curve\" d=\"" + path + "\"/><g class=\"roc-points\">";
    for (const RocPoint& p : points) {
        std::string tip = "threshold " + (p.threshold.empty() ? "?" : p.threshold) +
                          " \xC2\xB7 fpr " + number(p.fpr) + " \xC2\xB7 tpr " + number(p.tpr);
        svg += "<circle cx=\"" + number(x_of(p.fpr)) + "\" cy=\"" + number(y_of(p.tpr)) +
               "\" r=\"4\" data-threshold=\"" + escape_html(p.threshold) + "\"><title>" +
               escape_html(tip) + "</title></circle>";
    }
    svg += "</g></svg>";
    char auc_text[64];
    std::snprintf(auc_text, sizeof auc_text, "%.3f", auc);
    return notes + "<div class=\"roc-wrap\">" + svg + "<p class=\"roc-auc\">AUC \xE2\x89\x88 " +
           auc_text + " \xC2\xB7 " + std::to_string(points.size()) +
           " points \xC2\xB7 hover a point for its threshold</p></div>";
}

}  // namespace kfrun::report
