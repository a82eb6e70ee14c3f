#include "model/workflow.hpp"

namespace kfrun::model {

const Template* Workflow::find_template(const std::string& template_name) const {
    auto it = m_template_index.find(template_name);
    return it == m_template_index.end() ? nullptr : &templates[it->second];
}

void Workflow::index_templates() {
    m_template_index.clear();
    for (std::size_t i = 0; i < templates.size(); ++i) {
        m_template_index.emplace(templates[i].name, i);
    }
}

std::string to_string(Template::Kind kind) {
    switch (kind) {
        case Template::Kind::Container:
            return "container";
        case Template::Kind::Script:
            return "script";
        case Template::Kind::Dag:
            return "dag";
        case Template::Kind::Steps:
            return "steps";
        case Template::Kind::Resource:
            return "resource";
        case Template::Kind::Suspend:
            return "suspend";
        case Template::Kind::Importer:
            return "importer";
        case Template::Kind::Unsupported:
            return "unsupported";
    }
    return "unknown";
}

}  // namespace kfrun::model
