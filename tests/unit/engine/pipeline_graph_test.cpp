// PipelineGraph and its text forms: what `kfrun graph` and `kfrun list` show before a run.
#include <gtest/gtest.h>

#include "engine/graph_text.hpp"
#include "engine/pipeline_graph.hpp"
#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::describe_pipeline;
using kfrun::engine::flatten;
using kfrun::engine::GraphFormat;
using kfrun::engine::GraphTask;
using kfrun::engine::PipelineGraph;
using kfrun::engine::render_graph;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::workflow_yaml;

namespace {

// Tasks written out of order (KFP sorts them by name), a loop, a condition, `depends`, a nested
// DAG, steps, recursion and an exit handler.
const std::string k_pipeline = workflow_yaml(R"(
  entrypoint: main
  onExit: cleanup
  templates:
  - name: main
    dag:
      tasks:
      - {name: evaluate, template: leaf, depends: 'train.Succeeded || prep'}
      - {name: train, template: inner, dependencies: [prep],
         withItems: [1, 2, 3]}
      - {name: prep, template: leaf}
      - {name: deploy, template: leaf, dependencies: [evaluate], when: '"{{tasks.evaluate.outputs.result}}" == "ok"'}
      - {name: again, template: recurse}
      - {name: seq, template: sequential}
  - name: inner
    dag:
      tasks:
      - {name: fit, template: leaf}
  - name: recurse
    dag:
      tasks:
      - {name: again, template: recurse, when: '1 == 0'}
  - name: sequential
    steps:
    - - {name: one, template: leaf}
      - {name: two, template: leaf}
    - - {name: three, template: leaf}
  - name: leaf
    metadata:
      annotations: {pipelines.kubeflow.org/task_display_name: A leaf}
    container: {image: 'python:3.9', command: [echo]}
  - name: cleanup
    container: {image: busybox}
)");

PipelineGraph graph() {
    EngineHarness harness;
    return describe_pipeline(harness.load(k_pipeline), "demo");
}

const GraphTask* find(const std::vector<const GraphTask*>& tasks, const std::string& id) {
    for (const GraphTask* task : tasks) {
        if (task->id == id) {
            return task;
        }
    }
    return nullptr;
}

TEST(PipelineGraph, SiblingsComeInDependencyOrderWithTheirEdges) {
    PipelineGraph g = graph();
    std::vector<std::string> order;
    for (const GraphTask& task : g.root.children) {
        order.push_back(task.name);
    }
    // prep before train before evaluate before deploy; tasks without dependencies keep YAML order.
    auto at = [&](const std::string& name) {
        return std::find(order.begin(), order.end(), name) - order.begin();
    };
    EXPECT_LT(at("prep"), at("train"));
    EXPECT_LT(at("train"), at("evaluate"));
    EXPECT_LT(at("evaluate"), at("deploy"));
    EXPECT_LT(at("again"), at("seq"));
    const GraphTask* evaluate = find(flatten(g.root), "evaluate");
    ASSERT_NE(evaluate, nullptr);
    EXPECT_EQ(evaluate->dependencies, (std::vector<std::string>{"prep", "train"}));
}

TEST(PipelineGraph, NestedTemplatesLoopsConditionsAndStepsAreDescribed) {
    PipelineGraph g = graph();
    auto tasks = flatten(g.root);
    const GraphTask* fit = find(tasks, "train/fit");
    ASSERT_NE(fit, nullptr);
    EXPECT_EQ(fit->image, "python:3.9");
    EXPECT_EQ(fit->display_name, "A leaf");
    EXPECT_EQ(find(tasks, "train")->loop, "withItems (3)");
    EXPECT_NE(find(tasks, "deploy")->when.find("tasks.evaluate"), std::string::npos);
    const GraphTask* three = find(tasks, "seq/three");
    ASSERT_NE(three, nullptr);
    EXPECT_EQ(three->dependencies, (std::vector<std::string>{"seq/one", "seq/two"}));
    EXPECT_TRUE(find(tasks, "seq/one")->dependencies.empty());
}

TEST(PipelineGraph, RecursionIsDrawnOnceAndTheExitHandlerSeparately) {
    PipelineGraph g = graph();
    auto tasks = flatten(g.root);
    const GraphTask* inner = find(tasks, "again/again");
    ASSERT_NE(inner, nullptr);
    EXPECT_TRUE(inner->recursive);
    EXPECT_TRUE(inner->children.empty());
    EXPECT_TRUE(g.has_exit_handler);
    EXPECT_EQ(g.exit_handler.template_name, "cleanup");
    EXPECT_EQ(g.exit_handler.image, "busybox");
}

TEST(GraphText, AsciiTreeShowsNestingEdgesAndAnnotations) {
    std::string text = render_graph(graph(), GraphFormat::Ascii);
    EXPECT_NE(text.find("├── prep  \"A leaf\"  (python:3.9)"), std::string::npos) << text;
    EXPECT_NE(text.find("evaluate  \"A leaf\"  ← prep, train"), std::string::npos) << text;
    EXPECT_NE(text.find("│   └── fit"), std::string::npos) << text;
    EXPECT_NE(text.find("[loop: withItems (3)]"), std::string::npos) << text;
    EXPECT_NE(text.find("[recursive: recurse]"), std::string::npos) << text;
    EXPECT_NE(text.find("onExit: cleanup"), std::string::npos) << text;
}

TEST(GraphText, DotHasClustersAndEdgesBetweenThem) {
    std::string text = render_graph(graph(), GraphFormat::Dot);
    EXPECT_EQ(text.rfind("digraph \"demo\" {", 0), 0u) << text;
    EXPECT_NE(text.find("compound=true"), std::string::npos);
    EXPECT_NE(text.find("subgraph \"cluster_"), std::string::npos) << text;
    // prep → train, where train is a cluster: the edge names it as its head.
    EXPECT_NE(text.find("lhead=\"cluster_"), std::string::npos) << text;
    EXPECT_NE(text.find("when: \\\"{{tasks.evaluate.outputs.result}}\\\""), std::string::npos)
        << text;
    EXPECT_EQ(text.back(), '\n');
    // A label's lines are joined by DOT's \n escape, never a raw newline inside a string.
    EXPECT_NE(text.find("label=\"train\\nloop: withItems (3)\""), std::string::npos) << text;
}

TEST(GraphText, MermaidEscapesQuotesAndUsesSubgraphs) {
    std::string text = render_graph(graph(), GraphFormat::Mermaid);
    EXPECT_EQ(text.rfind("flowchart TD\n", 0), 0u);
    EXPECT_NE(text.find("subgraph "), std::string::npos);
    EXPECT_NE(text.find("#quot;{{tasks.evaluate.outputs.result}}#quot;"), std::string::npos)
        << text;
    EXPECT_EQ(text.find("\"\"{{"), std::string::npos);
    EXPECT_NE(text.find(" --> "), std::string::npos);
}

}  // namespace
