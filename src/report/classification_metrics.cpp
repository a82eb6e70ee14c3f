// KFP v2 system.ClassificationMetrics and system.SlicedClassificationMetrics: their metadata
// (as kfp.dsl writes it, or in MLMD's {"list": …}/{"struct": …} form) adapted to the v1
// viewers' drawings, with the checks of KFP's UI (MetricsVisualizations.tsx, ROCCurveHelper.tsx).
#include <cmath>
#include <cstdio>

#include "base/json_text.hpp"
#include "report/escape.hpp"
#include "report/run_view.hpp"
#include "report/typed_artifacts.hpp"
#include "report/viewers.hpp"

namespace kfrun::report {

namespace {

// MLMD's wrapped forms: {"list": [...]} and {"struct": {...}}.
const nlohmann::json& unwrap(const nlohmann::json& value) {
    if (value.is_object() && value.size() == 1) {
        if (value.contains("list") && value["list"].is_array()) {
            return value["list"];
        }
        if (value.contains("struct") && value["struct"].is_object()) {
            return value["struct"];
        }
    }
    return value;
}

std::optional<double> finite_number(const nlohmann::json& object, std::string_view key) {
    std::optional<double> value = json_number(object, key);
    if (value && !std::isfinite(*value)) {
        return std::nullopt;
    }
    return value;
}

std::string cell_text(double value) {
    if (value == std::floor(value) && std::fabs(value) < 1e15) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.0f", value);
        return buffer;
    }
    return base::json_text(value);
}

std::string confusion_matrix(const nlohmann::json& input) {
    const nlohmann::json& matrix = unwrap(input);
    const nlohmann::json& specs = unwrap(json_field(matrix, "annotationSpecs"));
    const nlohmann::json& rows = unwrap(json_field(matrix, "rows"));
    if (!matrix.is_object() || !specs.is_array() || !rows.is_array()) {
        return render_notice("warn", "confusionMatrix needs `annotationSpecs` and `rows` arrays");
    }
    if (specs.size() != rows.size()) {
        return render_notice("warn", "annotationSpecs has " + std::to_string(specs.size()) +
                                         " labels but there are " + std::to_string(rows.size()) +
                                         " rows");
    }
    if (specs.size() > k_max_confusion_labels) {
        return render_notice("warn", "the confusion matrix has " + std::to_string(specs.size()) +
                                         " labels: more than " +
                                         std::to_string(k_max_confusion_labels) + " are not drawn");
    }
    if (specs.empty()) {
        return render_notice("warn", "the confusion matrix has no labels");
    }
    std::size_t n = specs.size();
    ConfusionGrid grid{{}, "True label", "Predicted label", {}};
    for (const nlohmann::json& spec : specs) {
        const nlohmann::json& name = json_field(unwrap(spec), "displayName");
        if (!name.is_string()) {
            return render_notice("warn", "an annotationSpecs entry has no `displayName` string");
        }
        grid.labels.push_back(truncate_text(name.get_ref<const std::string&>(), 200));
    }
    for (std::size_t i = 0; i < n; ++i) {
        const nlohmann::json& row = unwrap(json_field(unwrap(rows[i]), "row"));
        if (!row.is_array() || row.size() != n) {
            return render_notice("warn", "row " + std::to_string(i + 1) + " must be `{\"row\": [" +
                                             std::to_string(n) + " numbers]}`");
        }
        std::vector<std::optional<ConfusionCell>> cells;
        for (const nlohmann::json& value : row) {
            if (!value.is_number() || !std::isfinite(value.get<double>())) {
                return render_notice("warn", "row " + std::to_string(i + 1) +
                                                 " holds a value that is not a finite number: " +
                                                 metadata_value_text(value, 80));
            }
            double number = value.get<double>();
            cells.push_back(ConfusionCell{number, cell_text(number)});
        }
        grid.cells.push_back(std::move(cells));
    }
    return render_confusion_grid(grid);
}

std::string roc_curve(const nlohmann::json& input) {
    const nlohmann::json& list = unwrap(input);
    if (!list.is_array()) {
        return render_notice("warn", "confidenceMetrics must be a list");
    }
    std::vector<RocPoint> points;
    for (std::size_t i = 0; i < list.size() && points.size() < k_max_roc_points; ++i) {
        const nlohmann::json& entry = unwrap(list[i]);
        std::optional<double> threshold = finite_number(entry, "confidenceThreshold");
        std::optional<double> recall = finite_number(entry, "recall");
        std::optional<double> fpr = finite_number(entry, "falsePositiveRate");
        if (!threshold || !recall || !fpr) {
            return render_notice("warn", "confidenceMetrics[" + std::to_string(i) +
                                             "] needs finite numbers confidenceThreshold, "
                                             "recall and falsePositiveRate: " +
                                             metadata_value_text(entry, 200));
        }
        points.push_back(RocPoint{*fpr, *recall, base::json_text(*threshold)});
    }
    std::string html;
    if (list.size() > points.size()) {
        html += render_notice("info", "drawing the first " + std::to_string(points.size()) +
                                          " of " + std::to_string(list.size()) + " points");
    }
    return html + render_roc_points(points);
}

}  // namespace

std::string render_classification_metrics(const nlohmann::json& metadata) {
    const nlohmann::json& matrix = json_field(metadata, "confusionMatrix");
    const nlohmann::json& confidence = json_field(metadata, "confidenceMetrics");
    if (matrix.is_null() && confidence.is_null()) {
        return render_notice("info", "no confusionMatrix or confidenceMetrics in the metadata");
    }
    std::string html = "<div class=\"classification-metrics\">";
    if (!matrix.is_null()) {
        html += "<div class=\"v2-part\"><h5>Confusion matrix</h5>" + confusion_matrix(matrix) +
                "</div>";
    }
    if (!confidence.is_null()) {
        html += "<div class=\"v2-part\"><h5>ROC curve</h5>" + roc_curve(confidence) + "</div>";
    }
    return html + "</div>";
}

std::string render_sliced_classification_metrics(const nlohmann::json& metadata) {
    const nlohmann::json& slices = unwrap(json_field(metadata, "evaluationSlices"));
    if (!slices.is_array() || slices.empty()) {
        return render_notice("info", "no `evaluationSlices` in the metadata");
    }
    std::string html;
    std::size_t shown = 0;
    for (const nlohmann::json& entry : slices) {
        if (shown == k_max_slices) {
            break;
        }
        ++shown;
        const nlohmann::json& slice = unwrap(entry);
        html +=
            "<section class=\"slice\"><h5 class=\"slice-name\">Slice <code>" +
            escape_html(truncate_text(json_string(slice, "slice", "?"), 200)) + "</code></h5>" +
            render_classification_metrics(unwrap(json_field(slice, "sliceClassificationMetrics"))) +
            "</section>";
    }
    if (slices.size() > shown) {
        html += render_notice("info", "showing the first " + std::to_string(shown) + " of " +
                                          std::to_string(slices.size()) + " slices");
    }
    return html;
}

}  // namespace kfrun::report
