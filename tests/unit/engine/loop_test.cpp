// Loops: withItems, withParam, withSequence, iteration names, TaskGroup phases and aggregated
// outputs (argo-semantics.md §4.5, §6, checklist rows 36-42).
#include <gtest/gtest.h>

#include "engine/loop_items.hpp"
#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::in_turn;
using kfrun::test_support::workflow_yaml;
namespace engine = kfrun::engine;

namespace {

// main: task `loop` (looped by `loop_field`) calls `show` with v = `argument`; then `after`.
std::string looped(const std::string& loop_field, const std::string& argument = "{{item}}",
                   const std::string& after =
                       "{name: after, template: show, dependencies: [loop], "
                       "arguments: {parameters: [{name: v, value: x}]}}") {
    return workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: loop
        template: show
        )" + loop_field + R"(
        arguments: {parameters: [{name: v, value: ')" +
                         argument + R"('}]}
      - )" + after + R"(
  - name: show
    inputs: {parameters: [{name: v}]}
    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p, default: none}}]}
    container: {image: busybox, args: ['{{inputs.parameters.v}}']}
)");
}

std::vector<std::string> iteration_args(EngineHarness& h) {
    std::vector<std::string> args;
    for (const auto& step : h.runtime().steps()) {
        if (step.spec.display_name.rfind("loop(", 0) == 0) {
            args.push_back(step.spec.args.at(0));
        }
    }
    std::sort(args.begin(), args.end());
    return args;
}

}  // namespace

TEST(Loops, AMapItemIsCompactJsonWithSortedKeys) {  // row 36
    EngineHarness h;
    auto r = h.run(looped("withItems: [{b: 2, a: x}]", "{{item}}|{{item.a}}|{{item.b}}"));
    EXPECT_EQ(iteration_args(h), std::vector<std::string>{R"({"a":"x","b":2}|x|2)"});
    EXPECT_NE(r.find("wf.loop(0:a:x,b:2)"), nullptr) << r.describe();
}

TEST(Loops, IterationNamesDropParenthesesFromTheItem) {  // row 37
    EngineHarness h;
    auto r = h.run(looped("withItems: ['a(1)', b]"));
    EXPECT_NE(r.find("wf.loop(0:a1)"), nullptr) << r.describe();
    EXPECT_NE(r.find("wf.loop(1:b)"), nullptr);
    EXPECT_EQ(r.node("wf.loop(0:a1)").display_name, "loop(0:a1)");
    EXPECT_EQ(r.node("wf.loop").type, engine::NodeType::TaskGroup);
    EXPECT_EQ(iteration_args(h), (std::vector<std::string>{"a(1)", "b"}));
}

TEST(Loops, ScalarItemsKeepTheirJsonSpelling) {
    EngineHarness h;
    h.run(looped("withItems: [1.0, 2, true, text]"));
    EXPECT_EQ(iteration_args(h), (std::vector<std::string>{"1.0", "2", "text", "true"}));
}

TEST(Loops, WithParamThatIsNotAListIsATaskError) {  // row 38
    EngineHarness h;
    auto r = h.run(looped(R"(withParam: '{"a":1}')"));
    EXPECT_EQ(r.phase("wf.loop"), NodePhase::Error);
    EXPECT_EQ(
        r.node("wf.loop").message.rfind("withParam value could not be parsed as a JSON list", 0),
        0u)
        << r.node("wf.loop").message;
    EXPECT_EQ(r.phase("wf.after"), NodePhase::Omitted);
    EXPECT_EQ(r.state.phase, NodePhase::Error);
}

TEST(Loops, AnEmptyWithParamIsSkippedAndDependantsRun) {  // row 39
    EngineHarness h;
    auto r = h.run(looped("withParam: '[]'"));
    EXPECT_EQ(r.phase("wf.loop"), NodePhase::Skipped);
    EXPECT_EQ(r.node("wf.loop").message, "Skipped, empty params");
    EXPECT_EQ(r.phase("wf.after"), NodePhase::Succeeded);
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
}

TEST(Loops, WithParamFromAProducersOutput) {
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/list", R"(["p", "q"])"));
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: produce, template: produce}
      - name: loop
        template: show
        dependencies: [produce]
        withParam: '{{tasks.produce.outputs.parameters.list}}'
        arguments: {parameters: [{name: v, value: '{{item}}'}]}
  - name: produce
    container: {image: busybox}
    outputs: {parameters: [{name: list, valueFrom: {path: /tmp/list}}]}
  - name: show
    inputs: {parameters: [{name: v}]}
    container: {image: busybox, args: ['{{inputs.parameters.v}}']}
)"));
    EXPECT_EQ(iteration_args(h), (std::vector<std::string>{"p", "q"}));
    EXPECT_NE(r.find("wf.loop(1:q)"), nullptr);
}

TEST(Loops, WithSequenceCountsDownWhenEndIsBelowStart) {  // row 40
    EngineHarness h;
    auto r = h.run(looped("withSequence: {start: '3', end: '1'}"));
    EXPECT_NE(r.find("wf.loop(0:3)"), nullptr) << r.describe();
    EXPECT_NE(r.find("wf.loop(2:1)"), nullptr);
    EXPECT_EQ(iteration_args(h), (std::vector<std::string>{"1", "2", "3"}));
}

TEST(Loops, AggregatedOutputsSkipTheFailedIterationInIndexOrder) {  // row 41
    EngineHarness h;
    h.options().parallelism = 1;  // iterations run in index order: x, (fail), z
    h.runtime().on("loop", in_turn({FakeStep().file("/tmp/p", "x"), FakeStep().exit(1),
                                    FakeStep().file("/tmp/p", "z")}));
    auto failed = h.run(looped(
        "withItems: [a, b, c]", "{{item}}",
        "{name: after, template: show, dependencies: [loop], "
        "arguments: {parameters: [{name: v, value: '{{tasks.loop.outputs.parameters.p}}'}]}}"));
    EXPECT_EQ(failed.phase("wf.loop"), NodePhase::Failed);
    EXPECT_EQ(failed.phase("wf.after"), NodePhase::Omitted);

    EngineHarness c;
    c.options().parallelism = 1;
    c.runtime().on("loop", in_turn({FakeStep().file("/tmp/p", "x"), FakeStep().exit(1),
                                    FakeStep().file("/tmp/p", "z")}));
    auto r = c.run(looped(
        "withItems: [a, b, c]\n        continueOn: {failed: true}", "{{item}}",
        "{name: after, template: show, dependencies: [loop], "
        "arguments: {parameters: [{name: v, value: '{{tasks.loop.outputs.parameters.p}}'}]}}"));
    EXPECT_EQ(r.phase("wf.after"), NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(c.runtime().spec("after").args, std::vector<std::string>{R"(["x","z"])"});
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
}

TEST(Loops, AnySucceededLetsTheConsumerSeeTheAggregates) {  // row 41 with depends
    EngineHarness h;
    h.options().parallelism = 1;
    h.runtime().on("loop", in_turn({FakeStep().file("/tmp/p", "x"), FakeStep().exit(1),
                                    FakeStep().file("/tmp/p", "z")}));
    auto r = h.run(looped(
        "withItems: [a, b, c]", "{{item}}",
        "{name: after, template: show, depends: loop.AnySucceeded, "
        "arguments: {parameters: [{name: v, value: '{{tasks.loop.outputs.parameters}}'}]}}"));
    EXPECT_EQ(r.phase("wf.after"), NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(nlohmann::json::parse(h.runtime().spec("after").args.at(0)),
              nlohmann::json::parse(R"([{"p":"x"},{"p":"z"}])"));
}

TEST(Loops, AFailedIterationFailsTheGroupAfterAllRan) {  // row 42
    EngineHarness h;
    h.runtime().on("loop(1:b)", FakeStep().exit(1));
    auto r = h.run(looped("withItems: [a, b]"));
    EXPECT_EQ(r.phase("wf.loop(0:a)"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf.loop(1:b)"), NodePhase::Failed);
    EXPECT_EQ(r.phase("wf.loop"), NodePhase::Failed);
    EXPECT_EQ(h.runtime().count("loop"), 2);
    EXPECT_EQ(r.phase("wf.after"), NodePhase::Omitted);
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
}

TEST(Loops, AllFailedIsTrueOnlyWhenEveryIterationFailed) {
    EngineHarness h;
    h.runtime().on("loop", FakeStep().exit(1));
    auto r = h.run(looped("withItems: [a, b]", "{{item}}",
                          "{name: after, template: show, depends: loop.AllFailed, "
                          "arguments: {parameters: [{name: v, value: x}]}}"));
    EXPECT_EQ(r.phase("wf.after"), NodePhase::Succeeded) << r.describe();
}

TEST(Loops, WhenIsEvaluatedPerIteration) {
    EngineHarness h;
    auto r = h.run(looped("withItems: [keep, drop]\n        when: '\"{{item}}\" == \"keep\"'"));
    EXPECT_EQ(r.phase("wf.loop(0:keep)"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf.loop(1:drop)"), NodePhase::Skipped);
    EXPECT_EQ(r.phase("wf.loop"), NodePhase::Succeeded);
    EXPECT_EQ(iteration_args(h), std::vector<std::string>{"keep"});
}

TEST(Loops, AggregatedResultsAreAJsonListOfTheParsedResults) {
    EngineHarness h;
    h.options().parallelism = 1;
    h.runtime().on("loop", in_turn({FakeStep().out("1\n"), FakeStep().out("{\"k\": 2}\n")}));
    h.run(looped("withItems: [a, b]", "{{item}}",
                 "{name: after, template: show, dependencies: [loop], "
                 "arguments: {parameters: [{name: v, value: '{{tasks.loop.outputs.result}}'}]}}"));
    EXPECT_EQ(nlohmann::json::parse(h.runtime().spec("after").args.at(0)),
              nlohmann::json::parse(R"([1, {"k": 2}])"));
}

TEST(Loops, AResultThatIsNotJsonMakesTheConsumerError) {  // §6.4
    EngineHarness h;
    h.runtime().on("loop", FakeStep().out("hello\n"));
    auto r = h.run(
        looped("withItems: [a, b]", "{{item}}",
               "{name: after, template: show, dependencies: [loop], "
               "arguments: {parameters: [{name: v, value: '{{tasks.loop.outputs.result}}'}]}}"));
    EXPECT_EQ(r.phase("wf.after"), NodePhase::Error) << r.describe();
    EXPECT_EQ(h.runtime().count("after"), 0);
}

TEST(LoopItems, SequenceCountStartAndFormat) {
    kfrun::model::Sequence count_only;
    count_only.count = "3";
    auto items = engine::items_from_sequence(count_only);
    ASSERT_TRUE(items.ok());
    EXPECT_EQ(*items, (std::vector<nlohmann::json>{"0", "1", "2"}));

    kfrun::model::Sequence formatted;
    formatted.start = "8";
    formatted.end = "10";
    formatted.format = "id-%02d";
    items = engine::items_from_sequence(formatted);
    ASSERT_TRUE(items.ok());
    EXPECT_EQ(*items, (std::vector<nlohmann::json>{"id-08", "id-09", "id-10"}));

    kfrun::model::Sequence none;
    none.count = "0";
    EXPECT_TRUE(engine::items_from_sequence(none)->empty());

    kfrun::model::Sequence both;
    both.count = "1";
    both.end = "2";
    EXPECT_FALSE(engine::items_from_sequence(both).ok());
}

TEST(LoopItems, WithParamAcceptsListsAndNullOnly) {
    EXPECT_EQ(engine::items_from_param("[1,\"a\"]")->size(), 2u);
    EXPECT_TRUE(engine::items_from_param("null")->empty());
    EXPECT_FALSE(engine::items_from_param("{\"a\":1}").ok());
    EXPECT_FALSE(engine::items_from_param("not json").ok());
}

TEST(LoopItems, ItemTextAndIterationSuffix) {
    EXPECT_EQ(engine::item_text(nlohmann::json("s")), "s");
    EXPECT_EQ(engine::item_text(nlohmann::json::parse("[1,\"a\"]")), R"([1,"a"])");
    EXPECT_EQ(engine::iteration_suffix(3, nlohmann::json::parse(R"j({"z":"1","a":"(x)"})j")),
              "(3:a:x,z:1)");
}
