#include "report/dag_svg.hpp"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "report/escape.hpp"
#include "report/graphviz_context.hpp"

namespace kfrun::report {

namespace {

struct PhaseColours {
    const char* fill;
    const char* border;
    const char* text;
};

PhaseColours colours(std::string_view phase) {
    switch (phase_class(phase)) {
        case PhaseClass::Succeeded:
            return {"#e6f4ea", "#34a853", "#0d652d"};
        case PhaseClass::Failed:
            return {"#fce8e6", "#d93025", "#a50e0e"};
        case PhaseClass::Skipped:
            return {"#f1f3f4", "#9aa0a6", "#5f6368"};
        case PhaseClass::Running:
            return {"#e8f0fe", "#1a73e8", "#174ea6"};
    }
    return {"#e8f0fe", "#1a73e8", "#174ea6"};
}

// Graphviz reads backslash sequences (\n, \N, \G, ...) in labels and tooltips: double them.
std::string gv_text(std::string_view text) {
    std::string out;
    for (char c : sanitize_utf8(text)) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

void set(void* object, const char* name, const std::string& value) {
    agsafeset(object, const_cast<char*>(name), const_cast<char*>(value.c_str()),
              const_cast<char*>(""));
}

std::string& error_buffer() {
    static std::string buffer;
    return buffer;
}

int collect_error(char* message) {
    error_buffer() += message;
    return 0;
}

struct GraphvizSession {
    GVC_t* context = nullptr;
    Agraph_t* graph = nullptr;
    bool laid_out = false;
    ~GraphvizSession() {
        if (laid_out) {
            gvFreeLayout(context, graph);
        }
        if (graph != nullptr) {
            agclose(graph);
        }
        if (context != nullptr) {
            gvFreeContext(context);
        }
    }
};

std::string step_node_label(const DagElement& element, const StepInfo* step) {
    std::string second;
    if (element.cached) {
        second = "cached";
    } else {
        second = element.phase;
    }
    if (step != nullptr && step->duration_ms && phase_class(element.phase) != PhaseClass::Skipped) {
        second += " \xC2\xB7 " + format_millis(step->duration_ms);
    }
    std::string first = element.label;
    if (!element.iteration.empty()) {
        first += " \xC2\xB7 " + truncate_text(element.iteration, 24);
    }
    return gv_text(first) + "\\n" + gv_text(second);
}

// Replaces Graphviz's <title> elements (our internal names) with readable text, or drops them.
std::string retitle(const std::string& svg, const std::map<std::string, std::string>& titles) {
    std::string out;
    out.reserve(svg.size());
    std::size_t at = 0;
    while (true) {
        std::size_t open = svg.find("<title>", at);
        if (open == std::string::npos) {
            out.append(svg, at, std::string::npos);
            break;
        }
        std::size_t close = svg.find("</title>", open);
        if (close == std::string::npos) {
            out.append(svg, at, std::string::npos);
            break;
        }
        out.append(svg, at, open - at);
        std::string name = svg.substr(open + 7, close - open - 7);
        auto it = titles.find(name);
        if (it != titles.end()) {
            out += "<title>" + escape_html(it->second) + "</title>";
        }
        at = close + 8;
    }
    return out;
}

int representative(const DagGraph& dag, int group, const std::vector<int>& leaves,
                   bool last_finished) {
    if (dag.elements[group].type == "TaskGroup") {
        return leaves[leaves.size() / 2];  // parallel iterations: keep the loop centred
    }
    auto key = [&](int leaf) -> std::optional<base::SystemTime> {
        const DagElement& e = dag.elements[leaf];
        return last_finished ? e.finished : e.started;
    };
    std::optional<base::SystemTime> best;
    for (int leaf : leaves) {
        std::optional<base::SystemTime> time = key(leaf);
        if (time && (!best || (last_finished ? *time > *best : *time < *best))) {
            best = time;
        }
    }
    std::vector<int> ties;
    for (int leaf : leaves) {
        if (key(leaf) == best) {
            ties.push_back(leaf);
        }
    }
    if (ties.empty()) {
        ties = leaves;
    }
    return ties[ties.size() / 2];
}

std::string strip_comments(std::string svg) {
    std::size_t at = 0;
    while ((at = svg.find("<!--", at)) != std::string::npos) {
        std::size_t end = svg.find("-->", at);
        svg.erase(at, end == std::string::npos ? std::string::npos : end + 3 - at);
    }
    return svg;
}

}  // namespace

base::Result<std::string> layout_dag_svg(const DagGraph& dag, const RunView& run) {
    // Graphviz keeps global state (error handler, plugin registry): one layout at a time.
    static std::mutex graphviz_mutex;
    std::lock_guard<std::mutex> lock(graphviz_mutex);
    error_buffer().clear();
    agseterr(AGERR);
    agseterrf(collect_error);

    GraphvizSession session;
    session.context = new_graphviz_context();
    if (session.context == nullptr) {
        return base::make_error(base::ErrorKind::Internal, "Graphviz: no context");
    }
    session.graph = agopen(const_cast<char*>("run"), Agdirected, nullptr);
    Agraph_t* root = session.graph;
    set(root, "rankdir", "TB");
    set(root, "compound", "true");
    set(root, "nodesep", "0.3");
    set(root, "ranksep", "0.42");
    set(root, "bgcolor", "transparent");
    set(root, "pad", "0.15");
    set(root, "fontname", "Helvetica,Arial,sans-serif");
    set(root, "fontsize", "10");
    set(root, "id", "dag-graph");
    agattr(root, AGNODE, const_cast<char*>("shape"), const_cast<char*>("box"));
    agattr(root, AGNODE, const_cast<char*>("fontname"),
           const_cast<char*>("Helvetica,Arial,sans-serif"));
    agattr(root, AGNODE, const_cast<char*>("fontsize"), const_cast<char*>("11"));
    agattr(root, AGEDGE, const_cast<char*>("color"), const_cast<char*>("#80868b"));
    agattr(root, AGEDGE, const_cast<char*>("arrowsize"), const_cast<char*>("0.7"));
    agattr(root, AGEDGE, const_cast<char*>("fontname"),
           const_cast<char*>("Helvetica,Arial,sans-serif"));
    agattr(root, AGEDGE, const_cast<char*>("fontsize"), const_cast<char*>("9"));

    std::map<std::string, std::string> titles;
    std::vector<Agraph_t*> container(dag.elements.size(), nullptr);
    std::vector<Agnode_t*> gv_nodes(dag.elements.size(), nullptr);
    // Elements come parent-first in the node list, but do not rely on it: resolve recursively.
    std::function<Agraph_t*(int)> graph_of = [&](int element) -> Agraph_t* {
        if (element < 0) {
            return root;
        }
        if (container[element] != nullptr) {
            return container[element];
        }
        const DagElement& e = dag.elements[element];
        Agraph_t* parent = graph_of(e.parent);
        if (!e.cluster) {
            container[element] = parent;
            return parent;
        }
        std::string name = "cluster_" + std::to_string(element);
        Agraph_t* cluster = agsubg(parent, const_cast<char*>(name.c_str()), 1);
        PhaseColours c = colours(e.phase);
        std::string label = e.label;
        if (e.type == "TaskGroup") {
            label += "  (loop)";
        } else if (e.type == "Retry") {
            label += "  (retries)";
        }
        set(cluster, "label", gv_text(label));
        set(cluster, "labeljust", "l");
        set(cluster, "style", "rounded,dashed");
        set(cluster, "color", phase_class(e.phase) == PhaseClass::Failed ? c.border : "#bdc1c6");
        set(cluster, "fontcolor", "#5f6368");
        set(cluster, "margin", "10");
        set(cluster, "class", std::string("dag-group phase-") + phase_css(e.phase));
        set(cluster, "id", "dag-group-" + std::to_string(element));  // else it inherits the root's
        titles[name] = e.label + " \xE2\x80\x94 " + e.type + ", " + e.phase;
        container[element] = cluster;
        return cluster;
    };
    for (std::size_t i = 0; i < dag.elements.size(); ++i) {
        int element = static_cast<int>(i);
        if (!is_drawn_node(dag, element)) {
            graph_of(element);
            continue;
        }
        const DagElement& e = dag.elements[i];
        std::string name = "e" + std::to_string(i);
        Agnode_t* node = agnode(graph_of(e.parent), const_cast<char*>(name.c_str()), 1);
        gv_nodes[i] = node;
        PhaseColours c = colours(e.phase);
        const StepInfo* step = e.step >= 0 && static_cast<std::size_t>(e.step) < run.steps().size()
                                   ? &run.steps()[e.step]
                                   : nullptr;
        std::string style = e.cached ? "rounded,filled,dashed" : "rounded,filled";
        if (e.kind != DagElement::Kind::Step) {
            style = "rounded,dashed";
        }
        set(node, "style", style);
        set(node, "fillcolor", c.fill);
        set(node, "color", c.border);
        set(node, "fontcolor", c.text);
        set(node, "penwidth", e.cached ? "1.6" : "1.2");
        set(node, "margin", "0.16,0.05");
        set(node, "label",
            e.kind == DagElement::Kind::Step ? step_node_label(e, step)
                                             : gv_text(e.label + "\\n" + e.phase));
        std::string tooltip = (step != nullptr ? step->label : e.label) + " \xE2\x80\x94 " +
                              (e.cached ? "cached, " : "") + e.phase;
        if (step != nullptr && step->duration_ms) {
            tooltip += ", " + format_millis(step->duration_ms);
        }
        set(node, "tooltip", gv_text(tooltip));
        titles[name] = tooltip;
        if (step != nullptr) {
            std::string index = std::to_string(step->index);
            set(node, "id", "dag-step-" + index);
            set(node, "href", "#step-" + index);
            set(node, "class",
                std::string("dag-step phase-") + phase_css(e.phase) + (e.cached ? " cached" : ""));
        } else {
            set(node, "class", std::string("dag-node phase-") + phase_css(e.phase));
        }
    }
    for (const DagEdge& edge : dag.edges) {
        std::vector<int> tails = drawn_leaves(dag, edge.from);
        std::vector<int> heads = drawn_leaves(dag, edge.to);
        bool from_cluster = dag.elements[edge.from].cluster;
        bool to_cluster = dag.elements[edge.to].cluster;
        // A cluster end is drawn to its cluster's border from one node inside it: the one that
        // finished last (as tail) or started first (as head); for loops and among equals the
        // middle one, so the layout keeps parallel branches centred.
        if (from_cluster && !tails.empty()) {
            tails = {representative(dag, edge.from, tails, true)};
        }
        if (to_cluster && !heads.empty()) {
            heads = {representative(dag, edge.to, heads, false)};
        }
        for (int tail : tails) {
            for (int head : heads) {
                if (tail == head || gv_nodes[tail] == nullptr || gv_nodes[head] == nullptr) {
                    continue;
                }
                Agedge_t* e = agedge(root, gv_nodes[tail], gv_nodes[head], nullptr, 1);
                if (from_cluster) {
                    set(e, "ltail", "cluster_" + std::to_string(edge.from));
                }
                if (to_cluster) {
                    set(e, "lhead", "cluster_" + std::to_string(edge.to));
                }
                if (!edge.tooltip.empty()) {
                    set(e, "tooltip", gv_text(edge.tooltip));
                }
                switch (edge.kind) {
                    case DagEdge::Kind::Inferred:
                        set(e, "style", "dashed");
                        set(e, "class", "dag-edge inferred");
                        break;
                    case DagEdge::Kind::Retry:
                        set(e, "style", "dashed");
                        set(e, "class", "dag-edge retry");
                        break;
                    case DagEdge::Kind::Exit:
                        set(e, "style", "dotted");
                        set(e, "class", "dag-edge exit");
                        break;
                    case DagEdge::Kind::Data:
                        set(e, "color", "#1a73e8");
                        set(e, "class", "dag-edge data");
                        break;
                    default:
                        set(e, "class", "dag-edge");
                        break;
                }
            }
        }
    }
    // Loop iterations left to right in item order: invisible flat edges between neighbours
    // (dot draws a flat edge's tail left of its head).
    for (std::size_t i = 0; i < dag.elements.size(); ++i) {
        const DagElement& e = dag.elements[i];
        if (e.type != "TaskGroup") {
            continue;
        }
        for (std::size_t k = 1; k < e.children.size(); ++k) {
            std::vector<int> left = drawn_leaves(dag, e.children[k - 1]);
            std::vector<int> right = drawn_leaves(dag, e.children[k]);
            if (left.empty() || right.empty() || gv_nodes[left.front()] == nullptr ||
                gv_nodes[right.front()] == nullptr) {
                continue;
            }
            Agedge_t* order =
                agedge(root, gv_nodes[left.front()], gv_nodes[right.front()], nullptr, 1);
            set(order, "style", "invis");
            set(order, "minlen", "0");
        }
    }
    if (gvLayout(session.context, root, "dot") != 0) {
        return base::make_error(base::ErrorKind::Internal,
                                "Graphviz could not lay the graph out: " + error_buffer());
    }
    session.laid_out = true;
    char* data = nullptr;
    unsigned int length = 0;
    if (gvRenderData(session.context, root, "svg", &data, &length) != 0 || data == nullptr) {
        return base::make_error(base::ErrorKind::Internal,
                                "Graphviz could not render SVG: " + error_buffer());
    }
    std::string svg(data, length);
    gvFreeRenderData(data);
    std::size_t start = svg.find("<svg");
    if (start == std::string::npos) {
        return base::make_error(base::ErrorKind::Internal, "Graphviz wrote no <svg> element");
    }
    svg.erase(0, start);
    svg = strip_comments(std::move(svg));
    return retitle(svg, titles);
}

}  // namespace kfrun::report
