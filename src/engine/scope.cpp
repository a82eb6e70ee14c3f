#include "engine/scope.hpp"

namespace kfrun::engine {

const std::string* Scope::find(std::string_view key) const {
    for (const Scope* scope = this; scope != nullptr; scope = scope->m_parent) {
        auto it = scope->m_values.find(std::string(key));
        if (it != scope->m_values.end()) {
            return &it->second;
        }
    }
    return nullptr;
}

const std::string* Scope::find_unresolvable(std::string_view key) const {
    for (const Scope* scope = this; scope != nullptr; scope = scope->m_parent) {
        auto it = scope->m_unresolvable.find(std::string(key));
        if (it != scope->m_unresolvable.end()) {
            return &it->second;
        }
    }
    return nullptr;
}

const ArtifactRef* Scope::find_artifact(std::string_view key) const {
    for (const Scope* scope = this; scope != nullptr; scope = scope->m_parent) {
        auto it = scope->m_artifacts.find(std::string(key));
        if (it != scope->m_artifacts.end()) {
            return &it->second;
        }
    }
    return nullptr;
}

}  // namespace kfrun::engine
