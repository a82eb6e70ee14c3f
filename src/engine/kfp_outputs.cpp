#include "engine/kfp_outputs.hpp"

#include <set>

#include <re2/re2.h>

#include "base/json_depth.hpp"
#include "base/json_fields.hpp"
#include "base/json_text.hpp"

namespace kfrun::engine {

namespace json_fields = base::json_fields;

ParsedMetrics parse_metrics(const std::string& text) {
    ParsedMetrics out;
    if (!base::json_depth_within_limit(text)) {
        out.warnings.push_back(base::json_depth_problem("mlpipeline-metrics") +
                               "; no metrics reported");
        return out;
    }
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        out.warnings.push_back("mlpipeline-metrics is not a JSON object; no metrics reported");
        return out;
    }
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        if (it.key() != "metrics" && it.key() != "runId" && it.key() != "run_id") {
            out.warnings.push_back("mlpipeline-metrics has an unknown field `" + it.key() +
                                   "`; KFP rejects the whole file, so no metrics are reported");
            return out;
        }
    }
    if (!doc.contains("metrics") || !doc["metrics"].is_array()) {
        out.warnings.push_back("mlpipeline-metrics has no `metrics` list; no metrics reported");
        return out;
    }
    static const RE2 k_name_pattern("^[a-zA-Z]([-_a-zA-Z0-9]{0,62}[a-zA-Z0-9])?$");
    static const std::set<std::string> k_fields = {"name",   "numberValue", "number_value",
                                                   "format", "node_id",     "nodeId"};
    std::vector<Metric> metrics;
    for (const auto& entry : doc["metrics"]) {
        if (!entry.is_object()) {
            out.warnings.push_back("mlpipeline-metrics: a metric is not an object; no metrics "
                                   "reported");
            return out;
        }
        for (auto it = entry.begin(); it != entry.end(); ++it) {
            if (k_fields.count(it.key()) == 0) {
                out.warnings.push_back("mlpipeline-metrics: unknown metric field `" + it.key() +
                                       "`; KFP rejects the whole file, so no metrics are reported");
                return out;
            }
        }
        for (const char* key : {"name", "format", "node_id", "nodeId"}) {
            const nlohmann::json& field = json_fields::member(entry, key);
            if (!field.is_null() && !field.is_string()) {
                out.warnings.push_back("mlpipeline-metrics: a metric's `" + std::string(key) +
                                       "` is not a string; KFP rejects the whole file, so no "
                                       "metrics are reported");
                return out;
            }
        }
        Metric metric;
        metric.name = json_fields::string_of(entry, "name");
        const nlohmann::json* value = nullptr;
        if (entry.contains("numberValue")) {
            value = &entry["numberValue"];
        } else if (entry.contains("number_value")) {
            value = &entry["number_value"];
        }
        metric.format = json_fields::string_of(entry, "format");
        if (metric.format == "UNSPECIFIED") {
            metric.format.clear();
        }
        if (!RE2::FullMatch(metric.name, k_name_pattern)) {
            out.warnings.push_back("mlpipeline-metrics: metric name `" + metric.name +
                                   "` does not match ^[a-zA-Z]([-_a-zA-Z0-9]{0,62}[a-zA-Z0-9])?$; "
                                   "dropped");
            continue;
        }
        if (value == nullptr || !value->is_number()) {
            out.warnings.push_back("mlpipeline-metrics: metric `" + metric.name +
                                   "` has no numeric numberValue; dropped");
            continue;
        }
        if (!metric.format.empty() && metric.format != "RAW" && metric.format != "PERCENTAGE") {
            out.warnings.push_back("mlpipeline-metrics: metric `" + metric.name +
                                   "` has an unknown format `" + metric.format + "`; dropped");
            continue;
        }
        metric.value = value->get<double>();
        bool duplicate = false;
        for (const Metric& seen : metrics) {
            duplicate = duplicate || seen.name == metric.name;
        }
        if (duplicate) {
            out.warnings.push_back("mlpipeline-metrics: metric `" + metric.name +
                                   "` appears twice; the first is kept");
            continue;
        }
        metrics.push_back(std::move(metric));
    }
    out.metrics = std::move(metrics);
    return out;
}

namespace {

// A field of a viewer as a warning shows it: a string as it is, anything else but null as JSON
// (the file is the step's: a field may have any type).
std::string shown_field(const nlohmann::json& viewer, const char* key) {
    const nlohmann::json& value = json_fields::member(viewer, key);
    if (value.is_null()) {
        return "";
    }
    return value.is_string() ? value.get<std::string>() : base::json_text(value);
}

// The fields a viewer type needs; an empty string when it has them all.
std::string missing_viewer_fields(const nlohmann::json& viewer, const std::string& type) {
    auto has = [&](const char* key) { return viewer.contains(key) && !viewer[key].is_null(); };
    if (!has("source")) {
        return "source";
    }
    if (type == "table") {
        if (!has("header") || !viewer["header"].is_array()) {
            return "header";
        }
        if (!has("format")) {
            return "format";
        }
    }
    if (type == "confusion_matrix") {
        if (!has("labels") || !viewer["labels"].is_array()) {
            return "labels";
        }
        if (!has("schema") || !viewer["schema"].is_array()) {
            return "schema";
        }
    }
    if (type == "roc" && (!has("schema") || !viewer["schema"].is_array())) {
        return "schema";
    }
    return "";
}

}  // namespace

ParsedUiMetadata parse_ui_metadata(const std::string& text) {
    ParsedUiMetadata out;
    if (!base::json_depth_within_limit(text)) {
        out.warnings.push_back(base::json_depth_problem("mlpipeline-ui-metadata") +
                               "; nothing to show");
        return out;
    }
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        out.warnings.push_back("mlpipeline-ui-metadata is not a JSON object; nothing to show");
        return out;
    }
    if (!doc.contains("outputs") || !doc["outputs"].is_array()) {
        out.warnings.push_back("mlpipeline-ui-metadata has no `outputs` list; nothing to show");
        return out;
    }
    static const std::set<std::string> k_types = {"table",    "confusion_matrix", "roc",
                                                  "markdown", "web-app",          "tensorboard"};
    std::size_t index = 0;
    for (const auto& viewer : doc["outputs"]) {
        std::string where = "mlpipeline-ui-metadata outputs[" + std::to_string(index++) + "]";
        if (!viewer.is_object()) {
            out.warnings.push_back(where + " is not an object; skipped");
            continue;
        }
        const std::string type = shown_field(viewer, "type");
        if (k_types.count(type) == 0) {
            out.warnings.push_back(where + " has an unknown viewer type `" + type + "`; skipped");
            continue;
        }
        std::string missing = missing_viewer_fields(viewer, type);
        if (!missing.empty()) {
            out.warnings.push_back(where + " (" + type + ") lacks `" + missing + "`; skipped");
            continue;
        }
        if (type == "confusion_matrix" && json_fields::string_of(viewer, "storage") == "inline" &&
            viewer["source"].is_string()) {
            std::size_t rows = 0;
            std::string source = viewer["source"].get<std::string>();
            std::size_t start = 0;
            while (start < source.size()) {
                std::size_t end = source.find('\n', start);
                std::string line = source.substr(start, end == std::string::npos ? end : end - start);
                if (line.find_first_not_of(" \r\t") != std::string::npos) {
                    ++rows;
                }
                if (end == std::string::npos) {
                    break;
                }
                start = end + 1;
            }
            std::size_t labels = viewer["labels"].size();
            if (rows != labels * labels) {
                out.warnings.push_back(where + " (confusion_matrix) has " + std::to_string(rows) +
                                       " rows; " + std::to_string(labels) + " labels need " +
                                       std::to_string(labels * labels) + "; skipped");
                continue;
            }
        }
        if (type == "table" && json_fields::string_of(viewer, "format") != "csv") {
            out.warnings.push_back(where + " (table) has format `" + shown_field(viewer, "format") +
                                   "`; only csv is supported; skipped");
            continue;
        }
        out.viewers.push_back(viewer);
    }
    return out;
}

}  // namespace kfrun::engine
