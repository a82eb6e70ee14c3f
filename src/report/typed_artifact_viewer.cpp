// render_typed_artifact: one KFP v2 typed artifact as a figure, by its schema title (see
// typed_artifacts.hpp). HTML and Markdown artifacts are read from the store as the v1 web-app
// and markdown viewers read their sources: the same size cap, frame and escaping.
#include "report/escape.hpp"
#include "report/run_view.hpp"
#include "report/source_uri.hpp"
#include "report/typed_artifacts.hpp"
#include "report/viewers.hpp"

namespace kfrun::report {

namespace {

struct Kind {
    const char* css;
    const char* title;
};

Kind kind_of(std::string_view schema_title) {
    if (schema_title == "system.Metrics") {
        return {"metrics", "Scalar metrics"};
    }
    if (schema_title == "system.ClassificationMetrics") {
        return {"classification-metrics", "Classification metrics"};
    }
    if (schema_title == "system.SlicedClassificationMetrics") {
        return {"sliced-classification-metrics", "Sliced classification metrics"};
    }
    if (schema_title == "system.HTML") {
        return {"html", "HTML"};
    }
    if (schema_title == "system.Markdown") {
        return {"markdown", "Markdown"};
    }
    return {"artifact", "Artifact"};
}

// The artifact's file, or a notice saying why it cannot be shown.
std::string read_document(const nlohmann::json& artifact, const RunFiles& files, bool html) {
    if (json_string(artifact, "kind") == "directory") {
        return render_notice("warn", "the artifact is a directory, the viewer needs a file");
    }
    base::Result<std::string> data = files.read_artifact(artifact, k_max_viewer_bytes);
    if (!data) {
        return render_notice("warn", "cannot read it: " + data.error().to_string());
    }
    return html ? render_web_app(*data) : render_markdown_viewer(*data);
}

}  // namespace

std::string render_typed_artifact(const nlohmann::json& artifact, const RunFiles& files) {
    std::string title = schema_title(artifact);
    Kind kind = kind_of(title);
    const nlohmann::json& metadata = json_field(artifact, "metadata");
    std::string html =
        "<figure class=\"viewer viewer-v2 viewer-" + std::string(kind.css) + "\" data-viewer=\"" +
        kind.css + "\" data-schema-title=\"" + escape_html(truncate_text(title, 200)) +
        "\"><figcaption>" + "<span class=\"viewer-type\">" + kind.title +
        "</span><span class=\"viewer-origin\">" +
        escape_html(truncate_text(json_string(artifact, "name"), 200)) + "</span></figcaption>";
    std::string_view css = kind.css;
    if (css == "artifact") {
        return html + render_artifact_facts(artifact) + "</figure>";
    }
    if (css == "metrics") {
        html += render_scalar_metrics(metadata);
    } else if (css == "classification-metrics") {
        html += render_classification_metrics(metadata);
    } else if (css == "sliced-classification-metrics") {
        html += render_sliced_classification_metrics(metadata);
    } else {
        html += read_document(artifact, files, css == "html");
    }
    html += "<details class=\"artifact-details\"><summary>Type, URI and metadata</summary>" +
            render_artifact_facts(artifact) + "</details>";
    return html + "</figure>";
}

}  // namespace kfrun::report
