// DependsExpression: Argo's enhanced depends logic and the `dependencies` rewrite (§4.1).
#include <gtest/gtest.h>

#include <map>

#include "engine/depends_expression.hpp"

using kfrun::engine::DependsExpression;
using kfrun::engine::NodePhase;
using kfrun::engine::TaskResult;

namespace {

bool eval(const DependsExpression& logic, const std::map<std::string, TaskResult>& results) {
    return logic.evaluate([&](const std::string& task) { return results.at(task); });
}

TaskResult phase(NodePhase p) {
    return TaskResult{p, false, false};
}

}  // namespace

TEST(DependsExpression, ABareNameMeansSucceededOrSkipped) {
    auto logic = DependsExpression::parse("task-a");
    ASSERT_TRUE(logic.ok()) << logic.error().message;
    EXPECT_EQ(logic->tasks(), std::set<std::string>{"task-a"});
    EXPECT_TRUE(eval(*logic, {{"task-a", phase(NodePhase::Succeeded)}}));
    EXPECT_TRUE(eval(*logic, {{"task-a", phase(NodePhase::Skipped)}}));
    EXPECT_FALSE(eval(*logic, {{"task-a", phase(NodePhase::Failed)}}));
    EXPECT_FALSE(eval(*logic, {{"task-a", phase(NodePhase::Error)}}));
    EXPECT_FALSE(eval(*logic, {{"task-a", phase(NodePhase::Omitted)}}));
}

TEST(DependsExpression, ResultsPrecedenceAndParentheses) {
    auto logic = DependsExpression::parse("a.Failed || b.Errored && !(c.Skipped)");
    ASSERT_TRUE(logic.ok());
    EXPECT_EQ(logic->tasks(), (std::set<std::string>{"a", "b", "c"}));
    // && binds tighter than ||.
    EXPECT_TRUE(eval(*logic, {{"a", phase(NodePhase::Failed)},
                              {"b", phase(NodePhase::Succeeded)},
                              {"c", phase(NodePhase::Skipped)}}));
    EXPECT_TRUE(eval(*logic, {{"a", phase(NodePhase::Succeeded)},
                              {"b", phase(NodePhase::Error)},
                              {"c", phase(NodePhase::Succeeded)}}));
    EXPECT_FALSE(eval(*logic, {{"a", phase(NodePhase::Succeeded)},
                               {"b", phase(NodePhase::Error)},
                               {"c", phase(NodePhase::Skipped)}}));
}

TEST(DependsExpression, LoopResultsAnySucceededAndAllFailed) {
    auto any = DependsExpression::parse("loop.AnySucceeded");
    auto all = DependsExpression::parse("loop.AllFailed");
    ASSERT_TRUE(any.ok() && all.ok());
    TaskResult mixed{NodePhase::Failed, true, false};
    TaskResult failed{NodePhase::Failed, false, true};
    EXPECT_TRUE(eval(*any, {{"loop", mixed}}));
    EXPECT_FALSE(eval(*all, {{"loop", mixed}}));
    EXPECT_FALSE(eval(*any, {{"loop", failed}}));
    EXPECT_TRUE(eval(*all, {{"loop", failed}}));
}

TEST(DependsExpression, DependenciesAreAllOfAndHonourContinueOn) {
    auto logic = DependsExpression::from_dependencies({"a", "b"}, {{true, false}, {false, true}});
    EXPECT_EQ(logic.tasks(), (std::set<std::string>{"a", "b"}));
    EXPECT_TRUE(eval(logic, {{"a", phase(NodePhase::Failed)}, {"b", phase(NodePhase::Error)}}));
    EXPECT_FALSE(eval(logic, {{"a", phase(NodePhase::Error)}, {"b", phase(NodePhase::Succeeded)}}));
    EXPECT_FALSE(
        eval(logic, {{"a", phase(NodePhase::Succeeded)}, {"b", phase(NodePhase::Failed)}}));
    EXPECT_TRUE(DependsExpression::from_dependencies({}, {}).evaluate(
        [](const std::string&) { return TaskResult{}; }));
}

TEST(DependsExpression, RejectsMalformedLogic) {
    EXPECT_FALSE(DependsExpression::parse("a &&").ok());
    EXPECT_FALSE(DependsExpression::parse("(a || b").ok());
    EXPECT_FALSE(DependsExpression::parse("a b").ok());
    EXPECT_FALSE(DependsExpression::parse("").ok());
}

// A hostile pipeline's `depends` cannot exhaust the stack: nesting is limited, and long chains
// of && / || or of `dependencies` are evaluated and freed without deep recursion.
TEST(DependsExpression, DeepNestingIsAnErrorNotACrash) {
    const std::size_t depth = 200000;
    auto parens = DependsExpression::parse(std::string(depth, '(') + "a" + std::string(depth, ')'));
    ASSERT_FALSE(parens.ok());
    EXPECT_NE(parens.error().message.find("nested more than"), std::string::npos)
        << parens.error().message.substr(0, 200);
    EXPECT_FALSE(DependsExpression::parse(std::string(depth, '!') + "a").ok());
    EXPECT_TRUE(DependsExpression::parse(std::string(50, '(') + "a" + std::string(50, ')')).ok());
}

TEST(DependsExpression, LongChainsAndManyDependenciesDoNotRecurse) {
    std::string chain = "a";
    for (int i = 0; i < 300000; ++i) {
        chain += i % 2 == 0 ? " && a" : " || a";
    }
    auto logic = DependsExpression::parse(chain);
    ASSERT_TRUE(logic.ok());
    EXPECT_TRUE(eval(*logic, {{"a", phase(NodePhase::Succeeded)}}));
    std::vector<std::string> many(300000, "a");
    auto all = DependsExpression::from_dependencies(many, {});
    EXPECT_TRUE(eval(all, {{"a", phase(NodePhase::Succeeded)}}));
}
