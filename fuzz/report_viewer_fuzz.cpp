// Fuzz target: the report's output viewers (src/report viewer*.cpp, csv.cpp): one viewer of
// `mlpipeline-ui-metadata` and its data (CSV, Markdown, HTML) rendered into the report page.
// Input: the viewer as JSON, a 0x1E byte (record separator), then the viewer's data.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "report/csv.hpp"
#include "report/source_uri.hpp"
#include "report/viewers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string input(reinterpret_cast<const char*>(data), size);
    std::size_t split = input.find('\x1e');
    std::string viewer_text = input.substr(0, split);
    kfrun::report::ResolvedSource source;
    source.available = true;
    source.origin = "inline";
    source.data = split == std::string::npos ? "" : input.substr(split + 1);
    (void)kfrun::report::parse_csv(source.data, 1000);
    nlohmann::json viewer = nlohmann::json::parse(viewer_text, nullptr, false);
    if (viewer.is_discarded()) {
        // Not JSON: render the data with a viewer type picked by the first byte.
        static const char* k_types[] = {"table", "confusion_matrix", "roc", "markdown",
                                        "web-app", "tensorboard"};
        unsigned first = viewer_text.empty() ? 0 : static_cast<unsigned char>(viewer_text[0]);
        viewer = {{"type", k_types[first % 6]}, {"format", "csv"}, {"header", {"a", "b", "c"}},
                  {"labels", {"x", "y"}}, {"storage", "inline"}};
    }
    (void)kfrun::report::render_viewer(viewer, source);
    return 0;
}
