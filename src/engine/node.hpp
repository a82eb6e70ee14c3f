#pragma once
// Node: one entry of a run's node tree, shaped like Argo's workflow status nodes.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/time.hpp"
#include "engine/artifact.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::engine {

// Argo's node phases (Failed = the user's container failed; Error = anything else went wrong).
enum class NodePhase { Pending, Running, Succeeded, Failed, Error, Skipped, Omitted };
// Argo's node types.
enum class NodeType { Pod, Dag, Steps, StepGroup, TaskGroup, Retry, Skipped, Suspend };
// What the step cache did for a pod.
enum class CacheOutcome { Miss, Hit, Disabled, Reused };

const char* to_string(NodePhase phase);
const char* to_string(NodeType type);
const char* to_string(CacheOutcome outcome);

// Succeeded, Failed, Error, Skipped or Omitted: the node will not change any more.
bool is_fulfilled(NodePhase phase);
// Succeeded, Failed or Error: the node ran (or tried to).
bool is_completed(NodePhase phase);
bool is_failed_or_error(NodePhase phase);

using NodeIndex = std::size_t;
inline constexpr NodeIndex k_no_node = std::numeric_limits<NodeIndex>::max();

struct NamedArtifact {
    std::string name;
    ArtifactRef artifact;
    std::string path;  // the container path it was read from or placed at
};

struct NodeOutputs {
    std::vector<std::pair<std::string, std::string>> parameters;  // in declaration order
    std::vector<NamedArtifact> artifacts;
    std::optional<std::string> result;  // stdout, one trailing newline removed
    std::optional<int> exit_code;

    const std::string* parameter(const std::string& name) const;
    const NamedArtifact* artifact(const std::string& name) const;
};

// A KFP metric from mlpipeline-metrics.
struct Metric {
    std::string name;
    double value = 0;
    std::string format;  // RAW, PERCENTAGE, or empty
};

// What a pod node did in Docker: the facts a report and a debugger need.
struct StepRecord {
    std::string image;     // after --image-map
    std::string original_image;
    std::string image_id;
    std::string container_name;
    std::vector<std::string> command;
    std::vector<std::string> args;
    std::vector<std::pair<std::string, std::string>> env;
    std::string working_dir;
    std::vector<NamedArtifact> input_artifacts;
    int exit_code = -1;
    bool oom_killed = false;
    StepTimings timings;
    Millis pull_time{0};
    std::string log_tail;
    CacheOutcome cache = CacheOutcome::Disabled;
    std::string cache_key;
    Millis cache_saved{0};                        // a hit: how long the original run took
    std::string cache_source_run;                 // a hit: the run that produced the entry
    std::vector<std::string> cache_explanation;  // a miss with --explain: what changed
    std::string cache_key_text;                   // the canonical key record (kfrun inspect)
    std::string reused_from_run;                  // --only/--from/resume: the run it came from
    std::optional<StepSpec> spec;                 // what the container was made from
    std::vector<Metric> metrics;
    nlohmann::json ui_metadata = nlohmann::json::array();  // the parsed viewer entries
    std::vector<std::string> warnings;                      // e.g. an invalid metrics file
    std::string packages;  // how its Python packages arrive: image, index or wheelhouse (pip)
};

struct Node {
    NodeIndex index = k_no_node;
    std::string id;            // Argo's node ID: "<wf>-<fnv32a(name)>", the root is "<wf>"
    std::string name;          // Argo's node name: "<wf>.<task>.<task>(0:item)"
    std::string display_name;  // the last part of the name, as Argo shows it
    NodeType type = NodeType::Pod;
    NodePhase phase = NodePhase::Pending;
    std::string message;
    std::string template_name;
    NodeIndex parent = k_no_node;
    NodeIndex boundary = k_no_node;  // the DAG/steps node whose template this node belongs to
    std::vector<NodeIndex> children;
    base::SystemTime started_at{};
    base::SystemTime finished_at{};
    std::vector<std::pair<std::string, std::string>> input_parameters;
    std::vector<NamedArtifact> input_artifacts;
    NodeOutputs outputs;
    std::optional<StepRecord> step;  // pods only
    int retry_attempt = -1;          // attempt number for a child of a Retry node
    // The task nodes this one waited for (DAG dependencies, the previous group of steps).
    std::vector<NodeIndex> depends_on;
    // Replays (--only, --from): this node must run in this run, not be reused.
    bool fresh = false;

    bool fulfilled() const { return is_fulfilled(phase); }
    bool completed() const { return is_completed(phase); }
};

// Argo's node ID for a node name: "<workflow>-<FNV-1a 32 of the name, decimal>".
std::string argo_node_id(const std::string& workflow_name, const std::string& node_name);

}  // namespace kfrun::engine
