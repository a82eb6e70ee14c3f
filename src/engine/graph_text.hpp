#pragma once
// A PipelineGraph as text: an ASCII tree for the terminal, Graphviz DOT, or a Mermaid flowchart
// (GitHub renders it in Markdown).
#include <optional>
#include <string>

#include "engine/pipeline_graph.hpp"

namespace kfrun::engine {

enum class GraphFormat { Ascii, Dot, Mermaid };

std::optional<GraphFormat> parse_graph_format(const std::string& text);
std::string render_graph(const PipelineGraph& graph, GraphFormat format);

}  // namespace kfrun::engine
