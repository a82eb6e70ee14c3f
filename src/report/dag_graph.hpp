#pragma once
// DagGraph: the run's node tree as a drawable graph. Steps (pods, skipped and omitted tasks)
// are boxes; DAG, loop (TaskGroup), Steps and Retry nodes are clusters around their children;
// the root DAG is the canvas. Edges, in order of trust:
//   dependency  nodes[].dependsOn, when the engine writes it (sibling → sibling)
//   sequence    a Steps template's groups run one after another ([0] → [1] → ...)
//   retry       attempt → next attempt of a Retry node
//   data        an output artifact whose content (sha256) a later step took as input
//   inferred    only without dependsOn: a sibling in the same DAG that started when another
//               finished (within k_inferred_slack_ms); drawn dashed, marked as inferred
//   exit        the main graph's last elements → the onExit handler
#include <optional>
#include <string>
#include <vector>

#include "report/run_view.hpp"

namespace kfrun::report {

inline constexpr long long k_inferred_slack_ms = 50;

struct DagElement {
    enum class Kind { Step, Group, Other };
    Kind kind = Kind::Other;
    std::string id;
    std::string label;  // Argo's display name
    std::string type;   // Pod, DAG, TaskGroup, Steps, StepGroup, Retry, Skipped, Suspend
    std::string phase;
    int parent = -1;            // the enclosing element, -1 at the top
    std::vector<int> children;  // in report order
    int step = -1;              // index into report steps[] (Kind::Step)
    bool cached = false;
    bool cluster = false;   // a group drawn as a cluster (not the root, not a StepGroup, not empty,
                            // not a loop iteration holding a single step)
    std::string iteration;  // a step alone in a loop iteration: the iteration's item
    std::optional<base::SystemTime> started;
    std::optional<base::SystemTime> finished;
};

struct DagEdge {
    enum class Kind { Dependency, Sequence, Retry, Data, Inferred, Exit };
    int from = -1;
    int to = -1;
    Kind kind = Kind::Dependency;
    std::string tooltip;  // plain text
};

struct DagGraph {
    std::vector<DagElement> elements;
    std::vector<DagEdge> edges;
    bool has_dependencies = false;  // the report carries nodes[].dependsOn
    int root = -1;
};

DagGraph build_dag_graph(const RunView& run);

// The elements drawn as graph nodes below `element` (itself when it is one), in order.
std::vector<int> drawn_leaves(const DagGraph& graph, int element);
// True for elements drawn as a node (steps, others, and groups with nothing to draw inside).
bool is_drawn_node(const DagGraph& graph, int element);

}  // namespace kfrun::report
