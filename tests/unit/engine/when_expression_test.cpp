// `when` conditions, evaluated as govaluate does after substitution (argo-semantics.md §5,
// checklist rows 43-46).
#include <gtest/gtest.h>

#include "engine/when_expression.hpp"
#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::check_when_syntax;
using kfrun::engine::evaluate_when;
using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::workflow_yaml;

namespace {

bool is_true(const char* expression) {
    auto result = evaluate_when(expression);
    EXPECT_TRUE(result.ok()) << expression << ": " << result.error().message;
    return result.ok() && *result;
}

bool is_error(const char* expression) {
    return !evaluate_when(expression).ok();
}

}  // namespace

TEST(When, QuotedAndBareWordsAreBothStrings) {  // row 43
    EXPECT_TRUE(is_true(R"("heads" == "heads")"));
    EXPECT_TRUE(is_true("heads == heads"));
    EXPECT_FALSE(is_true("heads == tails"));
    EXPECT_TRUE(is_true(R"(heads == "heads")"));
}

TEST(When, StringsCompareAsStringsAndNumbersAsFloats) {  // row 44
    EXPECT_FALSE(is_true(R"("3" == "3.0")"));
    EXPECT_TRUE(is_true("3 == 3.0"));
    EXPECT_FALSE(is_true(R"("3" == 3)"));
    EXPECT_TRUE(is_true("0.6 > 0.5"));
    EXPECT_TRUE(is_true("10 > 9"));
    EXPECT_TRUE(is_true(R"("10" < "9")"));  // lexicographic
}

TEST(When, MixedTypesInAnOrderingAreAnError) {  // row 45
    auto result = evaluate_when("abc > 0.5");
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find("cannot be used with the comparator '>'"),
              std::string::npos)
        << result.error().message;
}

TEST(When, AQuoteInsideAValueIsAParseError) {  // row 46
    EXPECT_TRUE(is_error(R"("it"s" == "x")"));
}

TEST(When, LogicalOperatorsAndParentheses) {
    EXPECT_TRUE(is_true(R"(1 < 2 && "a" != "b")"));
    EXPECT_TRUE(is_true("!(1 > 2)"));
    EXPECT_TRUE(is_true("false || true"));
    EXPECT_FALSE(is_true("true && false"));
    EXPECT_TRUE(is_true(R"(("a" == "a") && (("b" == "c") || (2 >= 2)))"));
    EXPECT_TRUE(is_true(R"("abc" =~ "^a.c$")"));
    EXPECT_TRUE(is_true(R"("abc" !~ "^z")"));
    EXPECT_TRUE(is_true("1 + 2 == 3"));
}

TEST(When, OtherErrors) {
    EXPECT_TRUE(is_error("1 + 2"));             // not a boolean
    EXPECT_TRUE(is_error("v1.2 > x"));          // an accessor on a parameter Argo never passes
    EXPECT_TRUE(is_error("hello world == x"));  // two values side by side
    EXPECT_TRUE(is_error("(1 == 1"));
    EXPECT_TRUE(is_error("1 == "));
    EXPECT_TRUE(is_error("true && 1"));
}

TEST(WhenSyntax, ChecksStructureOnly) {
    EXPECT_TRUE(check_when_syntax("x > 0.5").ok());
    EXPECT_TRUE(check_when_syntax(R"("x" == "y" && (a || b))").ok());
    EXPECT_FALSE(check_when_syntax("x ==").ok());
    EXPECT_FALSE(check_when_syntax("(x == y").ok());
    EXPECT_FALSE(check_when_syntax(R"("unclosed == x)").ok());
}

TEST(When, DecidesBetweenRunSkipAndErrorInADag) {  // rows 43-46 through a DAG
    // The awkward values arrive through substitution, as they do in real pipelines.
    EngineHarness h;
    h.runtime().on(
        "values",
        kfrun::test_support::FakeStep().file("/tmp/word", "abc").file("/tmp/quote", "it\"s"));
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: values, template: values}
      - {name: quoted, template: step, dependencies: [values], when: '"heads" == "heads"'}
      - {name: bare, template: step, dependencies: [values], when: 'heads == heads'}
      - {name: string-numbers, template: step, dependencies: [values], when: '"3" == "3.0"'}
      - {name: numbers, template: step, dependencies: [values], when: '3 == 3.0'}
      - {name: mismatch, template: step, dependencies: [values],
         when: '{{tasks.values.outputs.parameters.word}} > 0.5'}
      - {name: quote, template: step, dependencies: [values],
         when: '"{{tasks.values.outputs.parameters.quote}}" == "x"'}
  - name: values
    container: {image: busybox}
    outputs:
      parameters:
      - {name: word, valueFrom: {path: /tmp/word}}
      - {name: quote, valueFrom: {path: /tmp/quote}}
  - name: step
    container: {image: busybox}
)"));
    EXPECT_EQ(r.phase("wf.quoted"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf.bare"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf.string-numbers"), NodePhase::Skipped);
    EXPECT_EQ(r.phase("wf.numbers"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf.mismatch"), NodePhase::Error);
    EXPECT_EQ(r.phase("wf.quote"), NodePhase::Error);
    EXPECT_EQ(r.state.phase, NodePhase::Error);
    EXPECT_EQ(h.runtime().count("mismatch") + h.runtime().count("quote") +
                  h.runtime().count("string-numbers"),
              0);
}

TEST(When, SeesTheSubstitutedOutputOfAnEarlierTask) {
    EngineHarness h;
    h.runtime().on("flip", kfrun::test_support::FakeStep().file("/tmp/out", "tails\n"));
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: flip, template: flip}
      - {name: on-heads, template: step, dependencies: [flip],
         when: '"{{tasks.flip.outputs.parameters.out}}" == "heads"'}
      - {name: on-tails, template: step, dependencies: [flip],
         when: '"{{tasks.flip.outputs.parameters.out}}" == "tails"'}
  - name: flip
    container: {image: busybox}
    outputs: {parameters: [{name: out, valueFrom: {path: /tmp/out}}]}
  - name: step
    container: {image: busybox}
)"));
    EXPECT_EQ(r.phase("wf.on-heads"), NodePhase::Skipped);
    EXPECT_EQ(r.node("wf.on-heads").message, "when '\"tails\" == \"heads\"' evaluated false");
    EXPECT_EQ(r.phase("wf.on-tails"), NodePhase::Succeeded);
}

// A hostile `when` cannot exhaust the stack: nesting of ( ! - is limited.
TEST(When, DeepNestingIsAnErrorNotACrash) {
    const std::size_t depth = 200000;
    std::string parens = std::string(depth, '(') + "1 == 1" + std::string(depth, ')');
    auto checked = check_when_syntax(parens);
    ASSERT_FALSE(checked.ok());
    EXPECT_NE(checked.error().message.find("nested more than"), std::string::npos);
    EXPECT_TRUE(is_error((std::string(depth, '!') + "true").c_str()));
    EXPECT_TRUE(is_error((std::string(depth, '-') + "1 == 1").c_str()));
    EXPECT_TRUE(is_true((std::string(50, '(') + "1 == 1" + std::string(50, ')')).c_str()));
}
