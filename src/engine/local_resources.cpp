#include "engine/local_resources.hpp"

namespace kfrun::engine {

void LocalResources::put_claim(const std::string& name, LocalObject claim) {
    std::lock_guard lock(m_mutex);
    m_claims[name] = std::move(claim);
}

void LocalResources::put_snapshot(const std::string& name, LocalObject snapshot) {
    std::lock_guard lock(m_mutex);
    m_snapshots[name] = std::move(snapshot);
}

void LocalResources::remove_claim(const std::string& name) {
    std::lock_guard lock(m_mutex);
    m_claims.erase(name);
}

std::optional<LocalObject> LocalResources::claim(const std::string& name) const {
    std::lock_guard lock(m_mutex);
    auto it = m_claims.find(name);
    return it == m_claims.end() ? std::nullopt : std::optional<LocalObject>(it->second);
}

std::optional<LocalObject> LocalResources::snapshot(const std::string& name) const {
    std::lock_guard lock(m_mutex);
    auto it = m_snapshots.find(name);
    return it == m_snapshots.end() ? std::nullopt : std::optional<LocalObject>(it->second);
}

std::string LocalResources::volume_for_claim(const std::string& name) const {
    std::lock_guard lock(m_mutex);
    auto it = m_claims.find(name);
    return it == m_claims.end() ? name : it->second.volume;
}

}  // namespace kfrun::engine
