#include "report/viewers.hpp"

#include "report/escape.hpp"

namespace kfrun::report {

namespace {

const char* type_title(std::string_view type) {
    if (type == "table") {
        return "Table";
    }
    if (type == "confusion_matrix") {
        return "Confusion matrix";
    }
    if (type == "roc") {
        return "ROC curve";
    }
    if (type == "markdown") {
        return "Markdown";
    }
    if (type == "web-app") {
        return "Web app";
    }
    if (type == "tensorboard") {
        return "TensorBoard";
    }
    return "Viewer";
}

bool known_type(std::string_view type) {
    return type == "table" || type == "confusion_matrix" || type == "roc" || type == "markdown" ||
           type == "web-app" || type == "tensorboard";
}

std::string unavailable(const ResolvedSource& source) {
    std::string html =
        "<div class=\"notice notice-offline\"><strong>Not available offline</strong>";
    if (!source.uri.empty()) {
        html += ": <code class=\"uri\">" + escape_html(source.uri) + "</code>";
    }
    html += "<br><span>" + escape_html(source.notice) + "</span></div>";
    return html;
}

}  // namespace

std::string render_notice(std::string_view level, std::string_view text) {
    return "<p class=\"notice notice-" + std::string(level) + "\">" + escape_html(text) + "</p>";
}

std::string render_viewer(const nlohmann::json& viewer, const ResolvedSource& source) {
    std::string type = json_string(viewer, "type");
    std::string css = known_type(type) ? type : "unknown";
    std::string html = "<figure class=\"viewer viewer-" + css + "\" data-viewer=\"" + css + "\">";
    html += "<figcaption><span class=\"viewer-type\">" + std::string(type_title(type)) + "</span>";
    if (!source.origin.empty()) {
        html += "<span class=\"viewer-origin\">" + escape_html(source.origin) + "</span>";
    } else if (!source.uri.empty()) {
        html += "<span class=\"viewer-origin\">" + escape_html(source.uri) + "</span>";
    }
    html += "</figcaption>";
    if (!viewer.is_object()) {
        html += render_notice("warn", "the viewer entry is not an object");
    } else if (type.empty()) {
        html += render_notice("warn", "the viewer has no `type`");
    } else if (!known_type(type)) {
        html += render_notice("warn", "unknown viewer type `" + type + "`: not shown");
    } else if (type == "tensorboard") {
        html += render_tensorboard(viewer, source);
    } else if (!source.available) {
        html += unavailable(source);
    } else if (type == "table") {
        html += render_table(viewer, source.data);
    } else if (type == "confusion_matrix") {
        html += render_confusion_matrix(viewer, source.data);
    } else if (type == "roc") {
        html += render_roc(viewer, source.data);
    } else if (type == "markdown") {
        html += render_markdown_viewer(source.data);
    } else if (type == "web-app") {
        html += render_web_app(source.data);
    }
    html += "</figure>";
    return html;
}

}  // namespace kfrun::report
