#include "engine/node.hpp"

#include <cstdint>

namespace kfrun::engine {

const char* to_string(NodePhase phase) {
    switch (phase) {
        case NodePhase::Pending:
            return "Pending";
        case NodePhase::Running:
            return "Running";
        case NodePhase::Succeeded:
            return "Succeeded";
        case NodePhase::Failed:
            return "Failed";
        case NodePhase::Error:
            return "Error";
        case NodePhase::Skipped:
            return "Skipped";
        case NodePhase::Omitted:
            return "Omitted";
    }
    return "Unknown";
}

const char* to_string(NodeType type) {
    switch (type) {
        case NodeType::Pod:
            return "Pod";
        case NodeType::Dag:
            return "DAG";
        case NodeType::Steps:
            return "Steps";
        case NodeType::StepGroup:
            return "StepGroup";
        case NodeType::TaskGroup:
            return "TaskGroup";
        case NodeType::Retry:
            return "Retry";
        case NodeType::Skipped:
            return "Skipped";
        case NodeType::Suspend:
            return "Suspend";
    }
    return "Unknown";
}

const char* to_string(CacheOutcome outcome) {
    switch (outcome) {
        case CacheOutcome::Miss:
            return "miss";
        case CacheOutcome::Hit:
            return "hit";
        case CacheOutcome::Disabled:
            return "disabled";
        case CacheOutcome::Reused:
            return "reused";
    }
    return "unknown";
}

bool is_fulfilled(NodePhase phase) {
    return phase != NodePhase::Pending && phase != NodePhase::Running;
}

bool is_completed(NodePhase phase) {
    return phase == NodePhase::Succeeded || phase == NodePhase::Failed || phase == NodePhase::Error;
}

bool is_failed_or_error(NodePhase phase) {
    return phase == NodePhase::Failed || phase == NodePhase::Error;
}

const std::string* NodeOutputs::parameter(const std::string& name) const {
    for (const auto& [key, value] : parameters) {
        if (key == name) {
            return &value;
        }
    }
    return nullptr;
}

const NamedArtifact* NodeOutputs::artifact(const std::string& name) const {
    for (const auto& artifact : artifacts) {
        if (artifact.name == name) {
            return &artifact;
        }
    }
    return nullptr;
}

std::string argo_node_id(const std::string& workflow_name, const std::string& node_name) {
    if (node_name == workflow_name) {
        return workflow_name;
    }
    std::uint32_t hash = 2166136261u;
    for (unsigned char c : node_name) {
        hash ^= c;
        hash *= 16777619u;
    }
    return workflow_name + "-" + std::to_string(hash);
}

}  // namespace kfrun::engine
