#include "report/dag_graph.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "report/dag_svg.hpp"
#include "report_test_support.hpp"

namespace kfrun::report {
namespace {

nlohmann::json train_evaluate() {
    return testing::train_evaluate_report();
}

int element(const DagGraph& graph, const std::string& label) {
    for (std::size_t i = 0; i < graph.elements.size(); ++i) {
        if (graph.elements[i].label == label) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

bool has_edge(const DagGraph& graph, int from, int to, DagEdge::Kind kind) {
    for (const DagEdge& edge : graph.edges) {
        if (edge.from == from && edge.to == to && edge.kind == kind) {
            return true;
        }
    }
    return false;
}

TEST(DagGraph, StepsAreNodesAndGroupsAreClusters) {
    nlohmann::json report = train_evaluate();
    RunView run(report);
    DagGraph graph = build_dag_graph(run);
    int steps = 0;
    for (const DagElement& e : graph.elements) {
        steps += e.kind == DagElement::Kind::Step ? 1 : 0;
    }
    EXPECT_EQ(steps, 7);
    EXPECT_EQ(graph.elements[graph.root].id, report["workflowName"]);
    EXPECT_FALSE(graph.elements[graph.root].cluster);
    EXPECT_TRUE(graph.elements[element(graph, "exit-handler-1")].cluster);
    EXPECT_TRUE(graph.elements[element(graph, "for-loop-1")].cluster);
    EXPECT_TRUE(graph.elements[element(graph, "condition-2")].cluster);
    // A loop iteration holding one step is not a cluster: its step carries the item.
    EXPECT_FALSE(graph.elements[element(graph, "for-loop-1(1:0.5)")].cluster);
    EXPECT_EQ(graph.elements[element(graph, "onExit")].kind, DagElement::Kind::Step);
    std::vector<std::string> items;
    for (const DagElement& e : graph.elements) {
        if (!e.iteration.empty()) {
            items.push_back(e.iteration);
        }
    }
    EXPECT_EQ(items, (std::vector<std::string>{"0.05", "0.5", "2.0"}));
}

TEST(DagGraph, WithoutDependsOnEdgesComeFromArtifactsAndTiming) {
    nlohmann::json report = train_evaluate();
    RunView run(report);
    DagGraph graph = build_dag_graph(run);
    EXPECT_FALSE(graph.has_dependencies);
    int make_dataset = element(graph, "make-dataset");
    int loop = element(graph, "for-loop-1");
    int evaluate = element(graph, "evaluate");
    int condition = element(graph, "condition-2");
    int exit_handler = element(graph, "exit-handler-1");
    int on_exit = element(graph, "onExit");
    EXPECT_TRUE(has_edge(graph, make_dataset, loop, DagEdge::Kind::Inferred));
    EXPECT_TRUE(has_edge(graph, loop, evaluate, DagEdge::Kind::Inferred));
    EXPECT_TRUE(has_edge(graph, evaluate, condition, DagEdge::Kind::Inferred));
    EXPECT_TRUE(has_edge(graph, make_dataset, evaluate, DagEdge::Kind::Data));  // the dataset
    EXPECT_TRUE(has_edge(graph, exit_handler, on_exit, DagEdge::Kind::Exit));
    // make-dataset → train is already drawn as make-dataset → for-loop-1.
    for (const DagEdge& edge : graph.edges) {
        if (edge.kind == DagEdge::Kind::Data) {
            EXPECT_NE(graph.elements[edge.to].label, "train");
        }
    }
}

TEST(DagGraph, CachedRunsWithInstantStepsKeepTheRightEdges) {
    // Cache hits finish within a millisecond: many siblings "start when another finished".
    nlohmann::json report = testing::make_report({{}, {}, {}});
    for (std::size_t i = 0; i < 3; ++i) {
        std::string at = "2026-01-01T00:00:00.01" + std::to_string(i) + "Z";
        report["steps"][i]["startedAt"] = at;
        report["steps"][i]["finishedAt"] = at;
        report["nodes"][i + 1]["startedAt"] = at;
        report["nodes"][i + 1]["finishedAt"] = at;
    }
    nlohmann::json data = {{"name", "d"}, {"sha256", "ab"}, {"kind", "file"}};
    report["steps"][0]["outputs"]["artifacts"] = nlohmann::json::array({data});
    report["steps"][2]["inputs"]["artifacts"] = nlohmann::json::array({data});
    RunView run(report);
    DagGraph graph = build_dag_graph(run);
    EXPECT_TRUE(has_edge(graph, 1, 2, DagEdge::Kind::Inferred));
    EXPECT_TRUE(has_edge(graph, 2, 3, DagEdge::Kind::Inferred));
    EXPECT_TRUE(has_edge(graph, 1, 3, DagEdge::Kind::Data));  // kept although implied
    EXPECT_EQ(graph.edges.size(), 3u);

    // Two instant steps in the same millisecond: no edge either way.
    nlohmann::json same = testing::make_report({{}, {}});
    for (std::size_t i = 0; i < 2; ++i) {
        same["nodes"][i + 1]["startedAt"] = "2026-01-01T00:00:00.010Z";
        same["nodes"][i + 1]["finishedAt"] = "2026-01-01T00:00:00.010Z";
    }
    RunView same_run(same);
    EXPECT_TRUE(build_dag_graph(same_run).edges.empty());
}

TEST(DagGraph, DependsOnReplacesTimingInference) {
    nlohmann::json report = testing::make_report({{}, {}, {}});
    report["nodes"][2]["dependsOn"] = nlohmann::json::array({report["nodes"][1]["id"]});
    report["nodes"][3]["dependsOn"] = {report["nodes"][1]["id"], report["nodes"][2]["id"]};
    // Timing that would suggest otherwise: step-2 started when nothing finished.
    RunView run(report);
    DagGraph graph = build_dag_graph(run);
    EXPECT_TRUE(graph.has_dependencies);
    EXPECT_TRUE(has_edge(graph, 1, 2, DagEdge::Kind::Dependency));
    EXPECT_TRUE(has_edge(graph, 1, 3, DagEdge::Kind::Dependency));
    EXPECT_TRUE(has_edge(graph, 2, 3, DagEdge::Kind::Dependency));
    for (const DagEdge& edge : graph.edges) {
        EXPECT_NE(edge.kind, DagEdge::Kind::Inferred);
    }
}

TEST(DagGraph, StepsGroupsRunInSequenceAndRetriesChain) {
    nlohmann::json report = testing::make_report({{}, {}, {}, {}});
    nlohmann::json& nodes = report["nodes"];
    // root (Steps) → [0] → step-0, step-1 ; [1] → retry → step-2, step-3
    nodes[0]["type"] = "Steps";
    nodes.push_back({{"id", "g0"},
                     {"displayName", "[0]"},
                     {"type", "StepGroup"},
                     {"phase", "Succeeded"},
                     {"parent", "wf-abcde"}});
    nodes.push_back({{"id", "g1"},
                     {"displayName", "[1]"},
                     {"type", "StepGroup"},
                     {"phase", "Succeeded"},
                     {"parent", "wf-abcde"}});
    nodes.push_back({{"id", "r"},
                     {"displayName", "flaky"},
                     {"type", "Retry"},
                     {"phase", "Succeeded"},
                     {"parent", "g1"}});
    nodes[1]["parent"] = "g0";
    nodes[2]["parent"] = "g0";
    nodes[3]["parent"] = "r";
    nodes[4]["parent"] = "r";
    RunView run(report);
    DagGraph graph = build_dag_graph(run);
    EXPECT_TRUE(has_edge(graph, 1, 7, DagEdge::Kind::Sequence));  // step-0 → the retry node
    EXPECT_TRUE(has_edge(graph, 2, 7, DagEdge::Kind::Sequence));
    EXPECT_TRUE(has_edge(graph, 3, 4, DagEdge::Kind::Retry));
    EXPECT_TRUE(graph.elements[7].cluster);
    EXPECT_FALSE(graph.elements[5].cluster);  // step groups are not drawn
    base::Result<std::string> svg = layout_dag_svg(graph, run);
    ASSERT_TRUE(svg) << svg.error().to_string();
    EXPECT_NE(svg->find("(retries)"), std::string::npos);
}

TEST(DagGraph, ToleratesBrokenNodeLists) {
    nlohmann::json report = testing::make_report({{}, {}});
    report["nodes"] = {{{"id", "x"}, {"parent", "x"}}, 7, nullptr};
    RunView run(report);
    DagGraph graph = build_dag_graph(run);  // steps missing from nodes[] are still drawn
    int steps = 0;
    for (const DagElement& e : graph.elements) {
        steps += e.kind == DagElement::Kind::Step ? 1 : 0;
    }
    EXPECT_EQ(steps, 2);
    EXPECT_TRUE(layout_dag_svg(graph, run));
}

TEST(DagSvg, OneLinkedNodePerStepColouredByPhase) {
    nlohmann::json report = testing::load_json(
        testing::source_path("tests/unit/report/data/failing-branch.report.json"));
    RunView run(report);
    base::Result<std::string> svg = layout_dag_svg(build_dag_graph(run), run);
    ASSERT_TRUE(svg) << svg.error().to_string();
    EXPECT_EQ(svg->rfind("<svg", 0), 0u);
    EXPECT_EQ(svg->find("<!--"), std::string::npos);
    for (std::size_t i = 0; i < run.steps().size(); ++i) {
        EXPECT_EQ(testing::count(*svg, "id=\"dag&#45;step&#45;" + std::to_string(i) + "\""), 1u)
            << i;
        EXPECT_EQ(testing::count(*svg, "xlink:href=\"#step-" + std::to_string(i) + "\""), 1u) << i;
    }
    EXPECT_EQ(testing::count(*svg, "class=\"node dag&#45;step phase&#45;failed\""), 2u);   // b, e
    EXPECT_EQ(testing::count(*svg, "class=\"node dag&#45;step phase&#45;skipped\""), 1u);  // c
    EXPECT_EQ(testing::count(*svg, "class=\"node dag&#45;step phase&#45;succeeded\""), 2u);
    EXPECT_EQ(testing::count(*svg, "fill=\"#fce8e6\""), 2u);
}

TEST(DagSvg, CachedStepsAreMarked) {
    nlohmann::json report = testing::make_report({{{"cache", "hit"}, {"cacheSavedMs", 1200}}, {}});
    RunView run(report);
    base::Result<std::string> svg = layout_dag_svg(build_dag_graph(run), run);
    ASSERT_TRUE(svg);
    EXPECT_EQ(testing::count(*svg, "phase&#45;succeeded cached"), 1u);
    EXPECT_NE(svg->find(">cached"), std::string::npos);
}

TEST(DagSvg, HostileNamesStayText) {
    std::string evil = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>\\N\\G";
    nlohmann::json report = testing::make_report({{{"name", evil}, {"label", evil}}});
    report["nodes"][1]["displayName"] = evil;
    report["nodes"][0]["displayName"] = evil;
    RunView run(report);
    base::Result<std::string> svg = layout_dag_svg(build_dag_graph(run), run);
    ASSERT_TRUE(svg) << svg.error().to_string();
    for (const testing::HtmlTag& tag : testing::html_tags(*svg)) {
        EXPECT_NE(tag.name, "script");
        EXPECT_NE(tag.name, "img");
        for (const auto& [name, value] : tag.attributes) {
            EXPECT_NE(name.rfind("on", 0), 0u) << name;
        }
    }
    EXPECT_NE(svg->find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(svg->find("\\N\\G"), std::string::npos);  // backslashes kept literally
}

}  // namespace
}  // namespace kfrun::report
