#include "engine/graph_text.hpp"

#include <map>
#include <sstream>

namespace kfrun::engine {

namespace {

bool is_group(const GraphTask& task) { return !task.children.empty(); }

// The sibling's name for a dependency id ("a/b/c" → "c").
std::string short_name(const std::string& id) {
    auto slash = id.rfind('/');
    return slash == std::string::npos ? id : id.substr(slash + 1);
}

std::string notes(const GraphTask& task) {
    std::string out;
    if (task.display_name != task.name) {
        out += "  \"" + task.display_name + "\"";
    }
    if (!task.dependencies.empty()) {
        out += "  ← ";
        for (std::size_t i = 0; i < task.dependencies.size(); ++i) {
            out += (i ? ", " : "") + short_name(task.dependencies[i]);
        }
    }
    if (!task.loop.empty()) {
        out += "  [loop: " + task.loop + "]";
    }
    if (!task.when.empty()) {
        out += "  [when: " + task.when + "]";
    }
    if (task.recursive) {
        out += "  [recursive: " + task.template_name + "]";
    }
    if (!task.image.empty()) {
        out += "  (" + task.image + ")";
    } else if (task.kind == model::Template::Kind::Resource) {
        out += "  (resource)";
    } else if (task.kind == model::Template::Kind::Suspend) {
        out += "  (suspend)";
    } else if (task.kind == model::Template::Kind::Importer) {
        out += "  (importer)";
    }
    return out;
}

void ascii_children(const GraphTask& task, const std::string& indent, std::ostringstream& out) {
    for (std::size_t i = 0; i < task.children.size(); ++i) {
        const GraphTask& child = task.children[i];
        bool last = i + 1 == task.children.size();
        out << indent << (last ? "└── " : "├── ") << child.name << notes(child) << "\n";
        ascii_children(child, indent + (last ? "    " : "│   "), out);
    }
}

std::string ascii(const PipelineGraph& graph) {
    std::ostringstream out;
    out << graph.name << notes(graph.root) << "\n";
    ascii_children(graph.root, "", out);
    if (graph.has_exit_handler) {
        out << "onExit: " << graph.exit_handler.template_name << notes(graph.exit_handler)
            << "\n";
        ascii_children(graph.exit_handler, "", out);
    }
    return out.str();
}

std::string dot_quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c == '\n' ? ' ' : c;
    }
    return out + "\"";
}

// A task's text in a node or cluster label: its name, then what it is.
std::vector<std::string> label_lines(const GraphTask& task) {
    std::vector<std::string> lines{task.display_name};
    if (!task.loop.empty()) {
        lines.push_back("loop: " + task.loop);
    }
    if (!task.when.empty()) {
        lines.push_back("when: " + task.when);
    }
    if (task.recursive) {
        lines.push_back("recursive: " + task.template_name);
    }
    if (!task.image.empty()) {
        lines.push_back(task.image);
    }
    return lines;
}

// Ids for DOT and Mermaid: n0, n1, … (task ids hold '/', '-', '.').
class Ids {
public:
    std::string of(const std::string& task_id) {
        auto [it, inserted] = m_ids.emplace(task_id, "n" + std::to_string(m_ids.size()));
        return it->second;
    }

private:
    std::map<std::string, std::string> m_ids;
};

// The first plain node inside a group (DOT edges to a cluster attach to one of its nodes).
const GraphTask* anchor(const GraphTask& task) {
    if (!is_group(task)) {
        return &task;
    }
    return anchor(task.children.front());
}

void dot_children(const GraphTask& task, Ids& ids, const std::string& indent,
                  std::ostringstream& out, std::ostringstream& edges) {
    for (const GraphTask& child : task.children) {
        // The label's lines, each escaped, joined by DOT's "\n".
        std::string text;
        for (const std::string& line : label_lines(child)) {
            std::string escaped = dot_quoted(line);
            text += (text.empty() ? "" : "\\n") + escaped.substr(1, escaped.size() - 2);
        }
        if (is_group(child)) {
            out << indent << "subgraph " << dot_quoted("cluster_" + ids.of(child.id)) << " {\n"
                << indent << "  label=\"" << text << "\"; style=\"rounded,dashed\";\n";
            dot_children(child, ids, indent + "  ", out, edges);
            out << indent << "}\n";
        } else {
            out << indent << ids.of(child.id) << " [label=\"" << text << "\""
                << (child.recursive ? ", style=\"rounded,dashed\"" : "") << "];\n";
        }
        for (const std::string& dependency : child.dependencies) {
            const GraphTask* from = nullptr;
            for (const GraphTask& sibling : task.children) {
                if (sibling.id == dependency) {
                    from = &sibling;
                }
            }
            if (from == nullptr) {
                continue;
            }
            edges << "  " << ids.of(anchor(*from)->id) << " -> " << ids.of(anchor(child)->id);
            std::string attributes;
            if (is_group(*from)) {
                attributes += "ltail=" + dot_quoted("cluster_" + ids.of(from->id));
            }
            if (is_group(child)) {
                attributes += std::string(attributes.empty() ? "" : ", ") +
                              "lhead=" + dot_quoted("cluster_" + ids.of(child.id));
            }
            edges << (attributes.empty() ? "" : " [" + attributes + "]") << ";\n";
        }
    }
}

std::string dot(const PipelineGraph& graph) {
    std::ostringstream out, edges;
    Ids ids;
    out << "digraph " << dot_quoted(graph.name) << " {\n"
        << "  rankdir=TB; compound=true;\n"
        << "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n";
    dot_children(graph.root, ids, "  ", out, edges);
    if (graph.has_exit_handler) {
        out << "  subgraph " << dot_quoted("cluster_exit") << " {\n"
            << "    label=" << dot_quoted("onExit: " + graph.exit_handler.template_name)
            << "; style=dotted;\n";
        if (is_group(graph.exit_handler)) {
            dot_children(graph.exit_handler, ids, "    ", out, edges);
        } else {
            out << "    " << ids.of(graph.exit_handler.id) << " [label="
                << dot_quoted(graph.exit_handler.template_name) << "];\n";
        }
        out << "  }\n";
    }
    out << edges.str() << "}\n";
    return out.str();
}

std::string mermaid_label(const GraphTask& task) {
    std::string out;
    for (const std::string& line : label_lines(task)) {
        out += out.empty() ? "" : "<br/>";
        for (char c : line) {
            out += c == '"' ? "#quot;" : c == '<' ? "#lt;" : c == '>' ? "#gt;" : std::string(1, c);
        }
    }
    return "[\"" + out + "\"]";
}

void mermaid_children(const GraphTask& task, Ids& ids, const std::string& indent,
                      std::ostringstream& out, std::ostringstream& edges) {
    for (const GraphTask& child : task.children) {
        if (is_group(child)) {
            out << indent << "subgraph " << ids.of(child.id) << mermaid_label(child) << "\n";
            mermaid_children(child, ids, indent + "  ", out, edges);
            out << indent << "end\n";
        } else {
            out << indent << ids.of(child.id) << mermaid_label(child) << "\n";
        }
        for (const std::string& dependency : child.dependencies) {
            edges << "  " << ids.of(dependency) << " --> " << ids.of(child.id) << "\n";
        }
    }
}

std::string mermaid(const PipelineGraph& graph) {
    std::ostringstream out, edges;
    Ids ids;
    out << "flowchart TD\n";
    mermaid_children(graph.root, ids, "  ", out, edges);
    if (graph.has_exit_handler) {
        out << "  subgraph " << ids.of("onExit") << mermaid_label(graph.exit_handler) << "\n";
        if (is_group(graph.exit_handler)) {
            mermaid_children(graph.exit_handler, ids, "    ", out, edges);
        } else {
            out << "    " << ids.of("onExit:task") << "[\"" << graph.exit_handler.template_name
                << "\"]\n";
        }
        out << "  end\n";
    }
    out << edges.str();
    return out.str();
}

}  // namespace

std::optional<GraphFormat> parse_graph_format(const std::string& text) {
    if (text == "ascii" || text == "text") {
        return GraphFormat::Ascii;
    }
    if (text == "dot") {
        return GraphFormat::Dot;
    }
    if (text == "mermaid") {
        return GraphFormat::Mermaid;
    }
    return std::nullopt;
}

std::string render_graph(const PipelineGraph& graph, GraphFormat format) {
    switch (format) {
        case GraphFormat::Dot:
            return dot(graph);
        case GraphFormat::Mermaid:
            return mermaid(graph);
        case GraphFormat::Ascii:
        default:
            return ascii(graph);
    }
}

}  // namespace kfrun::engine
