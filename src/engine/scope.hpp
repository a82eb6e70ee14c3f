#pragma once
// Scope: the values `{{...}}` placeholders resolve to, layered like Argo's scopes
// (a task's item scope → its DAG's task outputs → the DAG's inputs → the workflow's globals).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/artifact.hpp"

namespace kfrun::engine {

class Scope {
public:
    explicit Scope(const Scope* parent = nullptr) : m_parent(parent) {}

    void set(std::string key, std::string value) { m_values[std::move(key)] = std::move(value); }
    void set_artifact(std::string key, ArtifactRef artifact) {
        m_artifacts[std::move(key)] = std::move(artifact);
    }
    // A list of artifacts under one name (KFP v2's dsl.Collected over a loop's iterations).
    void set_artifact_list(std::string key, std::vector<ArtifactRef> artifacts) {
        m_artifact_lists[std::move(key)] = std::move(artifacts);
    }
    // Sets `key` to one artifact, or to a list when `artifacts` has several (or none).
    void set_artifacts(std::string key, std::vector<ArtifactRef> artifacts) {
        if (artifacts.size() == 1) {
            set_artifact(std::move(key), std::move(artifacts.front()));
        } else {
            set_artifact_list(std::move(key), std::move(artifacts));
        }
    }
    void erase(const std::string& key) { m_values.erase(key); }
    // A name that exists but cannot be given a value (e.g. a loop's results that are not JSON):
    // substituting it is an error carrying `message`.
    void set_unresolvable(std::string key, std::string message) {
        m_unresolvable[std::move(key)] = std::move(message);
    }
    const std::string* find_unresolvable(std::string_view key) const;

    // The value for `key` here or in a parent; nullptr when unknown.
    const std::string* find(std::string_view key) const;
    const ArtifactRef* find_artifact(std::string_view key) const;
    // What `key` names: its list, or its one artifact; nullopt when unknown. The nearest scope
    // that knows the key decides.
    std::optional<std::vector<ArtifactRef>> find_artifacts(std::string_view key) const;
    const Scope* parent() const { return m_parent; }

private:
    const Scope* m_parent;
    std::unordered_map<std::string, std::string> m_values;
    std::unordered_map<std::string, ArtifactRef> m_artifacts;
    std::unordered_map<std::string, std::vector<ArtifactRef>> m_artifact_lists;
    std::unordered_map<std::string, std::string> m_unresolvable;
};

}  // namespace kfrun::engine
