// The document viewers: `markdown` (md4c, no raw HTML), `web-app` (a sandboxed srcdoc iframe)
// and `tensorboard` (its log dir and the command that opens it).
#include "base/strings.hpp"
#include "report/escape.hpp"
#include "report/markdown.hpp"
#include "report/viewers.hpp"

namespace kfrun::report {

std::string render_markdown_viewer(std::string_view markdown) {
    return "<div class=\"markdown\">" + render_markdown(markdown) + "</div>";
}

std::string render_web_app(std::string_view html) {
    // sandbox="" (no allow-scripts, no allow-same-origin): the page cannot run script, reach
    // the report or navigate it. srcdoc is an attribute: escape_html covers quotes and '&'.
    return "<iframe class=\"web-app\" sandbox=\"\" referrerpolicy=\"no-referrer\" "
           "title=\"web-app output\" srcdoc=\"" +
           escape_html(html) +
           "\"></iframe><p class=\"viewer-note\">Shown in a sandboxed frame: scripts and "
           "forms are disabled.</p>";
}

std::string render_tensorboard(const nlohmann::json& viewer, const ResolvedSource& source) {
    std::string log_dir(base::trim(json_string(viewer, "source")));
    if (log_dir.empty()) {
        return render_notice("warn", "the TensorBoard viewer has no `source` (its log dir)");
    }
    std::string html = "<dl class=\"facts\"><dt>Log dir</dt><dd><code class=\"uri\">" +
                       escape_html(log_dir) + "</code></dd>";
    std::string image = json_string(viewer, "image");
    if (!image.empty()) {
        html += "<dt>Image</dt><dd><code>" + escape_html(image) + "</code></dd>";
    }
    html += "</dl>";
    if (!source.local_path.empty()) {
        html += "<p>The log dir is " + escape_html(source.origin) +
                "; a copy is next to this report. From the report folder:</p>"
                "<pre class=\"command\">tensorboard --logdir " +
                escape_html(base::shell_quote(source.local_path)) + "</pre>";
    } else if (log_dir.starts_with("/")) {
        html += render_notice("info",
                              "the log dir is a path inside the step's container and not "
                              "one of its output artifacts, so it was not kept");
    }
    html +=
        "<p>The command KFP's TensorBoard button runs:</p><pre class=\"command\">tensorboard "
        "--logdir " +
        escape_html(base::shell_quote(log_dir)) + "</pre>";
    return html;
}

}  // namespace kfrun::report
