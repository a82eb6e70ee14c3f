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

}  // namespace kfrun::engine
