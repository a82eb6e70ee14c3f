#pragma once
// RunState: all mutable state of one run — the node tree and the workflow's outcome.
#include <deque>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/node.hpp"

namespace kfrun::engine {

class RunState {
public:
    std::string run_id;
    std::string workflow_name;
    std::string pipeline_name;  // a human name for the pipeline
    std::string pipeline_file;
    std::vector<std::pair<std::string, std::string>> parameters;  // the resolved run parameters
    NodePhase phase = NodePhase::Pending;  // Pending, Running, Succeeded, Failed or Error
    std::string message;
    base::SystemTime started_at{};
    base::SystemTime finished_at{};
    NodeIndex root = k_no_node;
    NodeIndex exit_handler = k_no_node;
    std::vector<std::string> warnings;
    // Label steps by their whole task path (`exit-handler-1/condition-4/say-2`), as KFP v2 names
    // tasks; otherwise only loop iterations prefix a label (Argo's node names, KFP v1).
    bool task_path_labels = false;

    // Adds a node; `name` must be new. References stay valid as nodes are added.
    Node& add_node(std::string name, std::string display_name, NodeType type,
                   std::string template_name, NodeIndex parent, NodeIndex boundary);
    Node& node(NodeIndex index) { return m_nodes[index]; }
    const Node& node(NodeIndex index) const { return m_nodes[index]; }
    NodeIndex find(const std::string& name) const;
    std::size_t size() const { return m_nodes.size(); }
    const std::deque<Node>& nodes() const { return m_nodes; }

private:
    std::deque<Node> m_nodes;
    std::unordered_map<std::string, NodeIndex> m_by_name;
};

// A short, unique-enough label for a step in logs and tables: its display name, after the
// display names of the loop iterations and retries it sits in ("for-loop-1(0:a)/train"), and
// without the workflow name for the exit handler ("onExit").
std::string step_label(const RunState& state, const Node& node);

}  // namespace kfrun::engine
