#pragma once
// The KFP v1 output viewers (mlpipeline-ui-metadata `outputs[]`) as HTML fragments for the
// report page. Formats: fixtures/conformance/UI-METADATA.md. Every viewer renders something:
// a problem with its fields or data becomes a notice on that viewer, never an error.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/source_uri.hpp"

namespace kfrun::report {

// One viewer in a <figure class="viewer viewer-<type>">, with a caption naming its type and
// where its data came from.
std::string render_viewer(const nlohmann::json& viewer, const ResolvedSource& source);

// The bodies, from the viewer object and its data (as text).
std::string render_table(const nlohmann::json& viewer, std::string_view csv);
std::string render_confusion_matrix(const nlohmann::json& viewer, std::string_view csv);
std::string render_roc(const nlohmann::json& viewer, std::string_view csv);
std::string render_markdown_viewer(std::string_view markdown);
std::string render_web_app(std::string_view html);
std::string render_tensorboard(const nlohmann::json& viewer, const ResolvedSource& source);

// The drawings the v1 viewers and the KFP v2 metrics artifacts share (typed_artifacts.hpp).
struct ConfusionCell {
    double value = 0;  // for the heat colour
    std::string text;  // as shown
};
struct ConfusionGrid {
    std::vector<std::string> labels;
    std::string y_title;                                           // rows: the true label
    std::string x_title;                                           // columns: the predicted label
    std::vector<std::vector<std::optional<ConfusionCell>>> cells;  // labels × labels; none = "–"
};
// A labelled heat map.
std::string render_confusion_grid(const ConfusionGrid& grid);

struct RocPoint {
    double fpr = 0;
    double tpr = 0;
    std::string threshold;
};
// An SVG curve with each point's threshold on hover and the area under the curve; a notice
// when there are no points.
std::string render_roc_points(const std::vector<RocPoint>& points);

// <p class="notice notice-<level>">text</p>; level is "warn" or "info". Text is escaped.
std::string render_notice(std::string_view level, std::string_view text);

// Rows shown per table before the rest is cut (KFP pages through them; a report cannot).
inline constexpr std::size_t k_max_table_rows = 2000;

}  // namespace kfrun::report
