#include "engine/run_state.hpp"

namespace kfrun::engine {

Node& RunState::add_node(std::string name, std::string display_name, NodeType type,
                         std::string template_name, NodeIndex parent, NodeIndex boundary) {
    Node& node = m_nodes.emplace_back();
    node.index = m_nodes.size() - 1;
    node.id = argo_node_id(workflow_name, name);
    node.name = std::move(name);
    node.display_name = std::move(display_name);
    node.type = type;
    node.template_name = std::move(template_name);
    node.parent = parent;
    node.boundary = boundary;
    m_by_name[node.name] = node.index;
    if (parent != k_no_node) {
        m_nodes[parent].children.push_back(node.index);
    }
    return node;
}

NodeIndex RunState::find(const std::string& name) const {
    auto it = m_by_name.find(name);
    return it == m_by_name.end() ? k_no_node : it->second;
}

std::string step_label(const RunState& state, const Node& node) {
    auto short_name = [&state](const Node& n) {
        const std::string& wf = state.workflow_name;
        if (n.display_name.size() > wf.size() + 1 && n.display_name.compare(0, wf.size(), wf) == 0 &&
            n.display_name[wf.size()] == '.') {
            return n.display_name.substr(wf.size() + 1);
        }
        return n.display_name;
    };
    std::string label = short_name(node);
    for (NodeIndex parent = node.parent; parent != k_no_node; parent = state.node(parent).parent) {
        const Node& ancestor = state.node(parent);
        if (ancestor.parent == k_no_node) {
            break;
        }
        const Node& grandparent = state.node(ancestor.parent);
        bool iteration = grandparent.type == NodeType::TaskGroup ||
                         (grandparent.type == NodeType::StepGroup &&
                          ancestor.display_name.find('(') != std::string::npos);
        // A loop's own DAG (the wrapper that holds its parallelism) adds nothing to its
        // iterations' names: `for-loop-6(0:red)/shout`, not `for-loop-6/for-loop-6(0:red)/…`.
        bool wrapper = label.rfind(ancestor.display_name + "(", 0) == 0;
        bool task = state.task_path_labels && ancestor.type == NodeType::Dag && !wrapper;
        if ((iteration || task) && ancestor.type != NodeType::Pod) {
            label = ancestor.display_name + "/" + label;
        }
    }
    return label;
}

}  // namespace kfrun::engine
