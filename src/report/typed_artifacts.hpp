#pragma once
// KFP v2 typed artifacts (report.json artifact entries with `type.schemaTitle`, `uri` and
// `metadata`, written by engine/artifact_info_json.cpp), shown as KFP's UI shows them
// (frontend/src/components/viewers/MetricsVisualizations.tsx):
//   system.Metrics                     → its scalar metadata as a name/value table
//   system.ClassificationMetrics       → `confusionMatrix` as a heat map, `confidenceMetrics`
//                                        as a ROC curve (the v1 viewers' drawings)
//   system.SlicedClassificationMetrics → the same for each of `evaluationSlices`
//   system.HTML / system.Markdown      → the artifact's file, as the web-app / markdown viewers
//   anything else                      → type, URI and metadata as a key/value list
// Metadata is hostile input: every string is escaped, entries, points, labels, nesting and
// value lengths are bounded, and a problem is a notice on that artifact, never an error.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/run_files.hpp"

namespace kfrun::report {

inline constexpr std::size_t k_max_metadata_entries = 200;
inline constexpr std::size_t k_max_metadata_value_chars = 1000;
inline constexpr std::size_t k_max_metadata_depth = 16;
inline constexpr std::size_t k_max_roc_points = 10000;
inline constexpr std::size_t k_max_confusion_labels = 200;
inline constexpr std::size_t k_max_slices = 100;

// `type.schemaTitle` of a report.json artifact entry; empty for a v1 (untyped) artifact.
std::string schema_title(const nlohmann::json& artifact);
bool is_typed_artifact(const nlohmann::json& artifact);

// A metadata value as KFP's UI prints it (JSON.stringify: strings quoted), at most `max_chars`
// code points ("…" when cut) and k_max_metadata_depth levels deep ("…" below). Never recurses
// past that depth, so a deeply nested value cannot exhaust the stack.
std::string metadata_value_text(const nlohmann::json& value,
                                std::size_t max_chars = k_max_metadata_value_chars);

// The scalar metrics of a system.Metrics artifact: metadata entries except display_name and
// store_session_info, in key order, at most `max` of them (`total` gets how many there are).
std::vector<std::pair<std::string, std::string>> scalar_metrics(const nlohmann::json& metadata,
                                                                std::size_t max,
                                                                std::size_t* total = nullptr);

// One typed artifact in a <figure class="viewer viewer-v2 ..." data-schema-title="...">, with a
// caption naming its type and the artifact.
std::string render_typed_artifact(const nlohmann::json& artifact, const RunFiles& files);

// The bodies, from the artifact's metadata.
std::string render_scalar_metrics(const nlohmann::json& metadata);
std::string render_classification_metrics(const nlohmann::json& metadata);
std::string render_sliced_classification_metrics(const nlohmann::json& metadata);
// Type, URI and metadata as a key/value list (<dl class="facts artifact-facts">).
std::string render_artifact_facts(const nlohmann::json& artifact);

}  // namespace kfrun::report
