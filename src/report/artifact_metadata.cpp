// KFP v2 artifact metadata as text: bounded value printing, system.Metrics scalars, and the
// key/value list shown for any typed artifact (see typed_artifacts.hpp).
#include "base/json_text.hpp"
#include "report/escape.hpp"
#include "report/run_view.hpp"
#include "report/typed_artifacts.hpp"
#include "report/viewers.hpp"

namespace kfrun::report {

namespace {

const char* const k_ellipsis = "\xE2\x80\xA6";

// Appends `value` as compact JSON until `out` holds more than `budget` bytes.
void append_value(std::string& out, const nlohmann::json& value, std::size_t depth,
                  std::size_t budget) {
    if (out.size() > budget) {
        return;
    }
    if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        // Only the start of a long string can be shown: never serialise all of it.
        out += base::json_text(text.size() > budget ? nlohmann::json(text.substr(0, budget + 8))
                                                    : value);
        return;
    }
    if (!value.is_array() && !value.is_object()) {
        out += base::json_text(value);  // numbers, booleans, null (inf/NaN print as null)
        return;
    }
    bool array = value.is_array();
    if (depth >= k_max_metadata_depth) {
        out += array ? "[" : "{";
        out += k_ellipsis;
        out += array ? "]" : "}";
        return;
    }
    out += array ? '[' : '{';
    bool first = true;
    for (auto it = value.begin(); it != value.end() && out.size() <= budget; ++it) {
        if (!first) {
            out += ',';
        }
        first = false;
        if (!array) {
            out += base::json_text(nlohmann::json(it.key())) + ":";
        }
        append_value(out, *it, depth + 1, budget);
    }
    out += array ? ']' : '}';
}

bool is_hidden_key(std::string_view key) {
    return key == "display_name" || key == "store_session_info";
}

}  // namespace

std::string schema_title(const nlohmann::json& artifact) {
    return json_string(json_field(artifact, "type"), "schemaTitle");
}

bool is_typed_artifact(const nlohmann::json& artifact) {
    return !schema_title(artifact).empty();
}

std::string metadata_value_text(const nlohmann::json& value, std::size_t max_chars) {
    std::string out;
    // A code point is at most 4 bytes and an escape at most 6 (\u00XX): enough to cut at
    // max_chars code points afterwards.
    append_value(out, value, 0, max_chars * 6 + 16);
    return truncate_text(out, max_chars);
}

std::vector<std::pair<std::string, std::string>> scalar_metrics(const nlohmann::json& metadata,
                                                                std::size_t max,
                                                                std::size_t* total) {
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t count = 0;
    if (metadata.is_object()) {
        for (auto it = metadata.begin(); it != metadata.end(); ++it) {
            if (is_hidden_key(it.key())) {
                continue;
            }
            ++count;
            if (out.size() < max) {
                out.emplace_back(truncate_text(it.key(), k_max_metadata_value_chars),
                                 metadata_value_text(*it));
            }
        }
    }
    if (total != nullptr) {
        *total = count;
    }
    return out;
}

std::string render_scalar_metrics(const nlohmann::json& metadata) {
    std::size_t total = 0;
    auto metrics = scalar_metrics(metadata, k_max_metadata_entries, &total);
    if (metrics.empty()) {
        return render_notice("info", "the metrics artifact has no scalar metrics");
    }
    std::string html =
        "<div class=\"table-wrap\"><table class=\"data sortable scalar-metrics\"><thead><tr>"
        "<th scope=\"col\">name</th><th scope=\"col\">value</th></tr></thead><tbody>";
    for (const auto& [name, value] : metrics) {
        html += "<tr><td><code>" + escape_html(name) + "</code></td><td class=\"metric-value\">" +
                escape_html(value) + "</td></tr>";
    }
    html += "</tbody></table></div>";
    if (total > metrics.size()) {
        html += render_notice("info", "showing the first " + std::to_string(metrics.size()) +
                                          " of " + std::to_string(total) + " metrics");
    }
    return html;
}

std::string render_artifact_facts(const nlohmann::json& artifact) {
    const nlohmann::json& type = json_field(artifact, "type");
    std::string html = "<dl class=\"facts artifact-facts\"><dt>Type</dt><dd><code>" +
                       escape_html(truncate_text(schema_title(artifact), 200));
    std::string version = json_string(type, "schemaVersion");
    if (!version.empty()) {
        html += " " + escape_html(truncate_text(version, 50));
    }
    html += "</code></dd>";
    std::string uri = json_string(artifact, "uri");
    if (!uri.empty()) {
        html += "<dt>URI</dt><dd><code class=\"uri\">" +
                escape_html(truncate_text(uri, k_max_metadata_value_chars)) + "</code></dd>";
    }
    const nlohmann::json& metadata = json_field(artifact, "metadata");
    std::size_t shown = 0;
    if (metadata.is_object()) {
        for (auto it = metadata.begin(); it != metadata.end(); ++it) {
            if (it.key() == "store_session_info") {
                continue;  // KFP's UI hides it too (ReservedArtifactProperties)
            }
            if (shown == k_max_metadata_entries) {
                break;
            }
            ++shown;
            html += "<dt>" + escape_html(truncate_text(it.key(), 200)) +
                    "</dt><dd><code class=\"value\">" + escape_html(metadata_value_text(*it)) +
                    "</code></dd>";
        }
    }
    html += "</dl>";
    std::size_t total =
        metadata.is_object() ? metadata.size() - metadata.count("store_session_info") : 0;
    if (total > shown) {
        html += render_notice("info", "showing the first " + std::to_string(shown) + " of " +
                                          std::to_string(total) + " metadata entries");
    }
    return html;
}

}  // namespace kfrun::report
