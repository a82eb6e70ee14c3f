#include "engine/task_outputs.hpp"
#include "base/json_text.hpp"

#include <algorithm>
#include <iterator>

#include <nlohmann/json.hpp>

#include "base/json_depth.hpp"

namespace kfrun::engine {

namespace {

// The artifacts of each name, names in first-seen order.
std::vector<std::pair<std::string, std::vector<ArtifactRef>>> by_name(
    const std::vector<NamedArtifact>& artifacts) {
    std::vector<std::pair<std::string, std::vector<ArtifactRef>>> groups;
    for (const NamedArtifact& artifact : artifacts) {
        auto group = std::find_if(groups.begin(), groups.end(),
                                  [&](const auto& g) { return g.first == artifact.name; });
        if (group == groups.end()) {
            groups.emplace_back(artifact.name, std::vector<ArtifactRef>{});
            group = std::prev(groups.end());
        }
        group->second.push_back(artifact.artifact);
    }
    return groups;
}

}  // namespace

const Node& effective_node(const RunState& state, const Node& node) {
    if (node.type == NodeType::Retry && !node.children.empty()) {
        return state.node(node.children.back());
    }
    return node;
}

void record_loop_outputs(Scope& scope, const std::string& prefix, const RunState& state,
                         const std::vector<NodeIndex>& iterations) {
    std::vector<const Node*> succeeded;
    for (NodeIndex child : iterations) {
        const Node& iteration = effective_node(state, state.node(child));
        if (iteration.phase == NodePhase::Succeeded) {
            succeeded.push_back(&iteration);
        }
    }
    std::vector<std::string> names;
    for (const Node* iteration : succeeded) {
        for (const auto& [name, value] : iteration->outputs.parameters) {
            if (std::find(names.begin(), names.end(), name) == names.end()) {
                names.push_back(name);
            }
        }
    }
    nlohmann::json all = nlohmann::json::array();
    for (const Node* iteration : succeeded) {
        nlohmann::json map = nlohmann::json::object();
        for (const auto& [name, value] : iteration->outputs.parameters) {
            map[name] = value;
        }
        all.push_back(std::move(map));
    }
    for (const std::string& name : names) {
        nlohmann::json values = nlohmann::json::array();
        for (const Node* iteration : succeeded) {
            if (const std::string* value = iteration->outputs.parameter(name)) {
                values.push_back(*value);
            }
        }
        scope.set(prefix + ".outputs.parameters." + name, base::json_text(values));
    }
    scope.set(prefix + ".outputs.parameters", base::json_text(all));
    // Artifacts: one list a name over the iterations (KFP v2's dsl.Collected), flattened.
    std::vector<NamedArtifact> all_artifacts;
    for (const Node* iteration : succeeded) {
        all_artifacts.insert(all_artifacts.end(), iteration->outputs.artifacts.begin(),
                             iteration->outputs.artifacts.end());
    }
    for (auto& [name, list] : by_name(all_artifacts)) {
        scope.set_artifact_list(prefix + ".outputs.artifacts." + name, std::move(list));
    }
    // Each iteration's result is read as JSON (Argo); one that is not makes the list unusable.
    nlohmann::json results = nlohmann::json::array();
    for (const Node* iteration : succeeded) {
        if (!iteration->outputs.result) {
            continue;
        }
        if (!base::json_depth_within_limit(*iteration->outputs.result)) {
            scope.set_unresolvable(
                prefix + ".outputs.result",
                "cannot aggregate " + prefix + ".outputs.result: " +
                    base::json_depth_problem("the result of " + iteration->display_name));
            return;
        }
        nlohmann::json parsed = nlohmann::json::parse(*iteration->outputs.result, nullptr, false);
        if (parsed.is_discarded()) {
            scope.set_unresolvable(prefix + ".outputs.result",
                                   "cannot aggregate " + prefix + ".outputs.result: the result of " +
                                       iteration->display_name + " is not JSON (" +
                                       iteration->outputs.result->substr(0, 60) + ")");
            return;
        }
        results.push_back(std::move(parsed));
    }
    scope.set(prefix + ".outputs.result", base::json_text(results));
}

void set_named_artifacts(Scope& scope, const std::string& prefix,
                         const std::vector<NamedArtifact>& artifacts) {
    for (auto& [name, list] : by_name(artifacts)) {
        scope.set_artifacts(prefix + name, std::move(list));
    }
}

void record_task_outputs(Scope& scope, const std::string& prefix, const RunState& state,
                         const Node& task_node) {
    const Node& node = effective_node(state, task_node);
    scope.set(prefix + ".id", node.id);
    scope.set(prefix + ".status", to_string(task_node.phase));
    scope.set(prefix + ".startedAt", base::format_rfc3339(node.started_at));
    scope.set(prefix + ".finishedAt", base::format_rfc3339(node.finished_at));
    if (task_node.type == NodeType::TaskGroup) {
        record_loop_outputs(scope, prefix, state, task_node.children);
        return;
    }
    if (node.outputs.exit_code) {
        scope.set(prefix + ".exitCode", std::to_string(*node.outputs.exit_code));
    }
    for (const auto& [name, value] : node.outputs.parameters) {
        scope.set(prefix + ".outputs.parameters." + name, value);
    }
    if (node.outputs.result) {
        scope.set(prefix + ".outputs.result", *node.outputs.result);
    }
    set_named_artifacts(scope, prefix + ".outputs.artifacts.", node.outputs.artifacts);
}

}  // namespace kfrun::engine
