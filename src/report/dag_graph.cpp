#include "report/dag_graph.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

namespace kfrun::report {

namespace {

bool is_group_type(std::string_view type) {
    return type == "DAG" || type == "Steps" || type == "StepGroup" || type == "TaskGroup" ||
           type == "Retry";
}

bool has_content(const DagGraph& graph, int element) {
    const DagElement& e = graph.elements[element];
    if (e.kind != DagElement::Kind::Group) {
        return true;
    }
    return std::any_of(e.children.begin(), e.children.end(),
                       [&](int child) { return has_content(graph, child); });
}

std::vector<int> ancestors_and_self(const DagGraph& graph, int element) {
    std::vector<int> chain;
    for (int e = element; e >= 0; e = graph.elements[e].parent) {
        chain.push_back(e);
    }
    return chain;
}

// The elements under the lowest common ancestor that contain `a` and `b` (-1 when one contains
// the other).
std::pair<int, int> lift_to_siblings(const DagGraph& graph, int a, int b) {
    std::vector<int> chain_a = ancestors_and_self(graph, a);
    std::vector<int> chain_b = ancestors_and_self(graph, b);
    std::set<int> in_a(chain_a.begin(), chain_a.end());
    for (std::size_t j = 0; j < chain_b.size(); ++j) {
        if (in_a.count(chain_b[j]) == 0) {
            continue;
        }
        int common = chain_b[j];
        if (j == 0 || common == a) {
            return {-1, -1};
        }
        auto pos = std::find(chain_a.begin(), chain_a.end(), common);
        return {*(pos - 1), chain_b[j - 1]};
    }
    return {chain_a.back(), chain_b.back()};  // different top-level trees
}

// "for-loop-1(2:0.5)" → "0.5": the item of a loop iteration's display name.
std::string loop_item(const std::string& label) {
    std::size_t open = label.find('(');
    if (open == std::string::npos || label.back() != ')') {
        return label;
    }
    std::string inside = label.substr(open + 1, label.size() - open - 2);
    std::size_t colon = inside.find(':');
    return colon == std::string::npos ? inside : inside.substr(colon + 1);
}

long long millis_between(base::SystemTime from, base::SystemTime to) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

void add_edge(DagGraph& graph, int from, int to, DagEdge::Kind kind, std::string tooltip) {
    if (from < 0 || to < 0 || from == to) {
        return;
    }
    for (DagEdge& edge : graph.edges) {
        if (edge.from == from && edge.to == to) {
            if (edge.kind == kind && !tooltip.empty() &&
                edge.tooltip.find(tooltip) == std::string::npos) {
                edge.tooltip += ", " + tooltip;
            }
            return;
        }
    }
    graph.edges.push_back(DagEdge{from, to, kind, std::move(tooltip)});
}

// `later` started within k_inferred_slack_ms after `earlier` finished (and not before it
// started).
bool started_when_finished(const DagGraph& graph, int earlier, int later) {
    const DagElement& a = graph.elements[earlier];
    const DagElement& b = graph.elements[later];
    if (earlier == later || !b.started || !a.finished || !a.started || *a.started > *b.started) {
        return false;
    }
    long long gap = millis_between(*a.finished, *b.started);
    return gap >= 0 && gap <= k_inferred_slack_ms;
}

// Drops inferred edges that another path already implies (a → b → c makes a → c redundant):
// with ms timestamps and instant cache hits, many siblings "start when another finished".
void reduce_inferred_edges(DagGraph& graph) {
    std::vector<std::pair<int, int>> lifted;
    for (const DagEdge& edge : graph.edges) {
        lifted.push_back(lift_to_siblings(graph, edge.from, edge.to));
    }
    std::vector<bool> removed(graph.edges.size(), false);
    for (std::size_t i = 0; i < graph.edges.size(); ++i) {
        if (graph.edges[i].kind != DagEdge::Kind::Inferred) {
            continue;
        }
        auto [from, to] = lifted[i];
        // Is `to` reachable from `from` without this edge?
        std::vector<int> queue = {from};
        std::set<int> seen = {from};
        bool reachable = false;
        while (!queue.empty() && !reachable) {
            int at = queue.back();
            queue.pop_back();
            for (std::size_t k = 0; k < graph.edges.size(); ++k) {
                if (k == i || removed[k] || lifted[k].first != at) {
                    continue;
                }
                int next = lifted[k].second;
                if (next == to) {
                    reachable = true;
                    break;
                }
                if (next >= 0 && seen.insert(next).second) {
                    queue.push_back(next);
                }
            }
        }
        removed[i] = reachable;
    }
    std::vector<DagEdge> kept;
    for (std::size_t i = 0; i < graph.edges.size(); ++i) {
        if (!removed[i]) {
            kept.push_back(std::move(graph.edges[i]));
        }
    }
    graph.edges = std::move(kept);
}

void add_structure_edges(DagGraph& graph, const nlohmann::json& nodes,
                         const std::map<std::string, int>& by_id) {
    for (std::size_t i = 0; i < graph.elements.size() && i < nodes.size(); ++i) {
        for (const nlohmann::json& dependency : json_array(nodes[i], "dependsOn")) {
            auto it = by_id.find(json_text(dependency));
            if (it != by_id.end()) {
                add_edge(graph, it->second, static_cast<int>(i), DagEdge::Kind::Dependency,
                         "depends on " + graph.elements[it->second].label);
            }
        }
    }
    for (std::size_t i = 0; i < graph.elements.size(); ++i) {
        const DagElement& element = graph.elements[i];
        const std::vector<int>& children = element.children;
        if (element.type == "Steps") {
            for (std::size_t k = 1; k < children.size(); ++k) {
                for (int a : graph.elements[children[k - 1]].children) {
                    for (int b : graph.elements[children[k]].children) {
                        add_edge(graph, a, b, DagEdge::Kind::Sequence, "next step group");
                    }
                }
            }
        } else if (element.type == "Retry") {
            for (std::size_t k = 1; k < children.size(); ++k) {
                add_edge(graph, children[k - 1], children[k], DagEdge::Kind::Retry, "retried");
            }
        } else if (element.type == "DAG" && !graph.has_dependencies) {
            for (int b : children) {
                for (int a : children) {
                    // Both ways round happens when cached steps take no measurable time.
                    if (started_when_finished(graph, a, b) && !started_when_finished(graph, b, a)) {
                        add_edge(graph, a, b, DagEdge::Kind::Inferred,
                                 "inferred: started when " + graph.elements[a].label + " finished");
                    }
                }
            }
        }
    }
}

// An artifact confirms an inferred edge between the same two steps.
void upgrade_to_data(DagGraph& graph, int from, int to, const std::string& tooltip) {
    for (DagEdge& edge : graph.edges) {
        if (edge.from == from && edge.to == to && edge.kind == DagEdge::Kind::Inferred) {
            edge.kind = DagEdge::Kind::Data;
            edge.tooltip = tooltip;
        }
    }
}

void add_data_edges(DagGraph& graph, const RunView& run, const std::map<std::string, int>& by_id) {
    std::set<std::pair<int, int>> structural;
    for (const DagEdge& edge : graph.edges) {
        structural.insert({edge.from, edge.to});
    }
    for (const StepInfo& consumer : run.steps()) {
        auto consumer_it = by_id.find(consumer.id);
        if (consumer_it == by_id.end()) {
            continue;
        }
        const nlohmann::json& inputs = json_field(*consumer.json, "inputs");
        for (const nlohmann::json& input : json_array(inputs, "artifacts")) {
            std::string digest = json_string(input, "sha256");
            std::string name = json_string(input, "name");
            if (digest.empty()) {
                continue;
            }
            std::vector<std::pair<const StepInfo*, std::string>> producers;
            bool name_match = false;
            for (const StepInfo& producer : run.steps()) {
                if (producer.id == consumer.id || (producer.finished && consumer.started &&
                                                   *producer.finished > *consumer.started)) {
                    continue;
                }
                const nlohmann::json& outputs = json_field(*producer.json, "outputs");
                for (const nlohmann::json& output : json_array(outputs, "artifacts")) {
                    if (json_string(output, "sha256") != digest) {
                        continue;
                    }
                    std::string output_name = json_string(output, "name");
                    if (output_name == name && !name_match) {
                        producers.clear();
                        name_match = true;
                    }
                    if (!name_match || output_name == name) {
                        producers.emplace_back(&producer, output_name);
                    }
                }
            }
            if (producers.size() > 8) {
                continue;  // common content (an empty file, say): no telling who made it
            }
            for (const auto& [producer, output_name] : producers) {
                auto producer_it = by_id.find(producer->id);
                if (producer_it == by_id.end()) {
                    continue;
                }
                auto [from, to] = lift_to_siblings(graph, producer_it->second, consumer_it->second);
                if (from >= 0 && structural.count({from, to}) > 0) {
                    if (from == producer_it->second && to == consumer_it->second) {
                        upgrade_to_data(graph, from, to, "artifact " + output_name);
                    }
                    continue;  // already drawn between the enclosing groups
                }
                add_edge(graph, producer_it->second, consumer_it->second, DagEdge::Kind::Data,
                         "artifact " + output_name);
            }
        }
    }
}

void add_exit_edges(DagGraph& graph) {
    if (graph.root < 0) {
        return;
    }
    std::vector<int> exits;
    for (std::size_t i = 0; i < graph.elements.size(); ++i) {
        if (graph.elements[i].parent < 0 && static_cast<int>(i) != graph.root) {
            exits.push_back(static_cast<int>(i));
        }
    }
    if (exits.empty()) {
        return;
    }
    // The root's children that no edge leaves (towards another root child).
    const std::vector<int>& top = graph.elements[graph.root].children;
    std::set<int> has_successor;
    for (const DagEdge& edge : graph.edges) {
        auto [from, to] = lift_to_siblings(graph, edge.from, edge.to);
        if (from >= 0 && graph.elements[from].parent == graph.root) {
            has_successor.insert(from);
        }
    }
    for (int exit : exits) {
        for (int element : top) {
            if (has_successor.count(element) == 0) {
                add_edge(graph, element, exit, DagEdge::Kind::Exit, "onExit");
            }
        }
    }
}

}  // namespace

bool is_drawn_node(const DagGraph& graph, int element) {
    const DagElement& e = graph.elements[element];
    return e.kind != DagElement::Kind::Group ||
           (element != graph.root && !has_content(graph, element));
}

std::vector<int> drawn_leaves(const DagGraph& graph, int element) {
    if (is_drawn_node(graph, element)) {
        return {element};
    }
    std::vector<int> leaves;
    for (int child : graph.elements[element].children) {
        std::vector<int> more = drawn_leaves(graph, child);
        leaves.insert(leaves.end(), more.begin(), more.end());
    }
    return leaves;
}

DagGraph build_dag_graph(const RunView& run) {
    DagGraph graph;
    const nlohmann::json& nodes = json_array(run.report(), "nodes");
    std::string workflow = json_string(run.report(), "workflowName");
    std::map<std::string, int> by_id;
    for (const nlohmann::json& node : nodes) {
        DagElement element;
        element.id = json_string(node, "id");
        element.label = json_string(node, "displayName", json_string(node, "name", element.id));
        element.type = json_string(node, "type");
        element.phase = json_string(node, "phase", "Unknown");
        element.started = json_time(node, "startedAt");
        element.finished = json_time(node, "finishedAt");
        if (json_field(node, "dependsOn").is_array()) {
            graph.has_dependencies = true;
        }
        if (const StepInfo* step = run.step_by_id(element.id);
            step != nullptr && !element.id.empty()) {
            element.kind = DagElement::Kind::Step;
            element.step = static_cast<int>(step->index);
            element.cached = step->cached;
            element.label = json_string(*step->json, "name", element.label);
            if (!workflow.empty() && element.label.starts_with(workflow + ".")) {
                element.label = element.label.substr(workflow.size() + 1);  // "<wf>.onExit"
            }
        } else if (is_group_type(element.type)) {
            element.kind = DagElement::Kind::Group;
        }
        by_id.emplace(element.id, static_cast<int>(graph.elements.size()));
        graph.elements.push_back(std::move(element));
    }
    // Steps the node list lacks (an older or partial report): drawn at the top level.
    for (const StepInfo& step : run.steps()) {
        if (step.id.empty() || by_id.count(step.id) == 0) {
            DagElement element;
            element.kind = DagElement::Kind::Step;
            element.id = step.id;
            element.label = step.label;
            element.type = json_string(*step.json, "type");
            element.phase = step.phase;
            element.step = static_cast<int>(step.index);
            element.cached = step.cached;
            element.started = step.started;
            element.finished = step.finished;
            if (!step.id.empty()) {
                by_id.emplace(step.id, static_cast<int>(graph.elements.size()));
            }
            graph.elements.push_back(std::move(element));
        }
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        auto parent = by_id.find(json_string(nodes[i], "parent"));
        if (parent != by_id.end() && parent->second != static_cast<int>(i)) {
            graph.elements[i].parent = parent->second;
            graph.elements[parent->second].children.push_back(static_cast<int>(i));
        }
    }
    for (std::size_t i = 0; i < graph.elements.size(); ++i) {
        const DagElement& element = graph.elements[i];
        if (element.parent < 0 && element.kind == DagElement::Kind::Group &&
            (graph.root < 0 || element.id == workflow)) {
            graph.root = static_cast<int>(i);
        }
    }
    for (std::size_t i = 0; i < graph.elements.size(); ++i) {
        DagElement& element = graph.elements[i];
        element.cluster = element.kind == DagElement::Kind::Group &&
                          static_cast<int>(i) != graph.root && element.type != "StepGroup" &&
                          has_content(graph, static_cast<int>(i));
        // A loop iteration with a single step: the step stands for it, labelled with the item.
        if (element.cluster && element.parent >= 0 &&
            graph.elements[element.parent].type == "TaskGroup") {
            std::vector<int> leaves = drawn_leaves(graph, static_cast<int>(i));
            if (leaves.size() == 1 && graph.elements[leaves[0]].kind == DagElement::Kind::Step) {
                element.cluster = false;
                graph.elements[leaves[0]].iteration = loop_item(element.label);
            }
        }
    }
    add_structure_edges(graph, nodes, by_id);
    add_data_edges(graph, run, by_id);
    reduce_inferred_edges(graph);
    add_exit_edges(graph);
    return graph;
}

}  // namespace kfrun::report
