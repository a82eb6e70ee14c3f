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

std::optional<std::vector<ArtifactRef>> Scope::find_artifacts(std::string_view key) const {
    const std::string name(key);
    for (const Scope* scope = this; scope != nullptr; scope = scope->m_parent) {
        if (auto list = scope->m_artifact_lists.find(name); list != scope->m_artifact_lists.end()) {
            return list->second;
        }
        if (auto one = scope->m_artifacts.find(name); one != scope->m_artifacts.end()) {
            return std::vector<ArtifactRef>{one->second};
        }
    }
    return std::nullopt;
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
