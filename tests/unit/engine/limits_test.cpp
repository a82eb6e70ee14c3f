// Limits on hostile pipeline input (issue 16 findings 7 and 12), each with the attack itself:
// withSequence / withParam sizes, 400k nested `[`, a `when` regex that recursed libstdc++'s
// std::regex off the stack, nodes per run, activeDeadlineSeconds "1h" and 10^10. The tests that
// crashed or grew without bound before the fix run in a child process with its address space
// capped, so a regression fails the test, not the test binary or the machine.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <cstdlib>

#include "base/limits.hpp"
#include "engine/kfp_outputs.hpp"
#include "engine/when_expression.hpp"
#include "support/engine_harness.hpp"
#include "support/sanitizers.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::workflow_yaml;

namespace {

// In a forked child: 2 GiB of address space at most, then `body`; exit 0 when no assertion
// of the child failed.
void cap_memory() {
    if (kfrun::test_support::k_sanitized) {
        return;  // its shadow memory alone is more; the limits are checked all the same
    }
    rlimit limit{2ull << 30, 2ull << 30};
    setrlimit(RLIMIT_AS, &limit);
}

#define EXPECT_IN_CHILD(body)                                 \
    EXPECT_EXIT(                                              \
        {                                                     \
            cap_memory();                                     \
            body;                                             \
            std::exit(::testing::Test::HasFailure() ? 1 : 0); \
        },                                                    \
        ::testing::ExitedWithCode(0), "")

std::string looped(const std::string& loop_field) {
    return workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: loop
        template: show
        )" + loop_field + R"(
        arguments: {parameters: [{name: v, value: '{{item}}'}]}
  - name: show
    inputs: {parameters: [{name: v}]}
    container: {image: busybox, args: ['{{inputs.parameters.v}}']}
)");
}

// `produce` writes `list` to /tmp/list; `loop` iterates over it.
std::string looped_over_output() {
    return workflow_yaml(R"(
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
)");
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string all_messages(const std::vector<kfrun::engine::Diagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) {
        out += d.where + ": " + d.message + "\n";
    }
    return out;
}

}  // namespace

TEST(Limits, AHugeStaticWithSequenceIsRefusedByValidate) {
    EngineHarness h;
    auto diagnostics = h.validate(looped("withSequence: {count: '100000000000'}"));
    std::string text = all_messages(diagnostics);
    EXPECT_TRUE(contains(text,
                         "withSequence has 100000000000 items, more than allowed (limit "
                         "loop-items=10000; raise it with --limit loop-items=VALUE)"))
        << text;
    EXPECT_TRUE(contains(text, "spec.templates[0].dag.tasks[0].withSequence")) << text;
}

TEST(Limits, AHugeWithSequenceFailsTheTaskInADryRun) {
    EXPECT_IN_CHILD({
        EngineHarness h;
        auto r = h.run_dry(looped("withSequence: {count: '100000000000'}"));
        EXPECT_EQ(r.phase("wf.loop"), NodePhase::Error);
        EXPECT_TRUE(contains(r.node("wf.loop").message, "loop-items")) << r.describe();
    });
}

TEST(Limits, WithSequenceStartPlusCountDoesNotOverflow) {
    EngineHarness h;
    auto r = h.run_unchecked(looped("withSequence: {start: '9223372036854775807', count: '2'}"));
    EXPECT_EQ(r.phase("wf.loop"), NodePhase::Error) << r.describe();
}

TEST(Limits, TooManyWithParamItemsFailTheTaskBeforeAnyIteration) {
    EXPECT_IN_CHILD({
        EngineHarness h;
        std::string list = "[";
        for (int i = 0; i < 200000; ++i) {
            list += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
        }
        list += "]";
        h.runtime().on("produce", FakeStep().file("/tmp/list", list));
        auto r = h.run(looped_over_output());
        EXPECT_EQ(r.phase("wf.loop"), NodePhase::Error) << r.describe();
        EXPECT_TRUE(contains(r.node("wf.loop").message,
                             "the withParam value has 200000 items, more than allowed (limit "
                             "loop-items=10000"))
            << r.node("wf.loop").message;
        EXPECT_EQ(r.node("wf.loop").children.size(), 0u);
    });
}

TEST(Limits, DeeplyNestedWithParamIsAnErrorNotACrash) {
    EXPECT_IN_CHILD({
        EngineHarness h;
        h.runtime().on("produce", FakeStep().file("/tmp/list", std::string(400000, '[')));
        auto r = h.run(looped_over_output());
        EXPECT_EQ(r.phase("wf.loop"), NodePhase::Error) << r.describe();
        EXPECT_TRUE(contains(r.node("wf.loop").message,
                             "the withParam value nests deeper than 512 levels (limit "
                             "json-depth=512"))
            << r.node("wf.loop").message;
    });
}

TEST(Limits, DeeplyNestedButClosedWithParamIsAnErrorToo) {
    EXPECT_IN_CHILD({
        EngineHarness h;
        h.runtime().on("produce", FakeStep().file("/tmp/list", std::string(100000, '[') +
                                                                   std::string(100000, ']')));
        auto r = h.run(looped_over_output());
        EXPECT_EQ(r.phase("wf.loop"), NodePhase::Error) << r.describe();
        EXPECT_TRUE(contains(r.node("wf.loop").message, "json-depth"));
    });
}

TEST(Limits, WhenRegexOnALongStringDoesNotRecurse) {
    EXPECT_IN_CHILD({
        std::string text(200000, 'a');
        auto matched = kfrun::engine::evaluate_when("'" + text + "' =~ '^(a|b)*$'");
        ASSERT_TRUE(matched.ok()) << matched.error().message;
        EXPECT_TRUE(*matched);
    });
}

TEST(Limits, WhenRegexUsesGoSyntax) {
    // Go's regexp (RE2): [[:digit:]], (?i), unanchored search; no lookahead (Go refuses it too).
    EXPECT_TRUE(*kfrun::engine::evaluate_when("'run-42' =~ '[[:digit:]]+'"));
    EXPECT_TRUE(*kfrun::engine::evaluate_when("'ABC' =~ '(?i)^abc$'"));
    EXPECT_FALSE(*kfrun::engine::evaluate_when("'abc' !~ 'b'"));
    auto lookahead = kfrun::engine::evaluate_when("'abc' =~ 'a(?=b)'");
    ASSERT_FALSE(lookahead.ok());
    EXPECT_TRUE(contains(lookahead.error().message, "invalid regular expression"));
}

TEST(Limits, DeeplyNestedMetricsAreAWarning) {
    EXPECT_IN_CHILD({
        auto parsed = kfrun::engine::parse_metrics(std::string(400000, '{'));
        ASSERT_EQ(parsed.warnings.size(), 1u);
        EXPECT_TRUE(contains(parsed.warnings[0], "json-depth"));
        auto ui = kfrun::engine::parse_ui_metadata("{\"outputs\": " + std::string(400000, '['));
        ASSERT_EQ(ui.warnings.size(), 1u);
        EXPECT_TRUE(contains(ui.warnings[0], "json-depth"));
    });
}

TEST(Limits, NodesPerRunAreBounded) {
    kfrun::base::Limits limits;
    limits.run_nodes = 20;
    kfrun::base::ScopedLimits scoped(limits);
    EngineHarness h;
    auto r = h.run(looped("withSequence: {count: '30'}"));
    EXPECT_EQ(r.phase("wf.loop"), NodePhase::Error) << r.describe();
    EXPECT_TRUE(contains(r.node("wf.loop").message,
                         "the run would have more than 20 nodes (limit run-nodes=20"))
        << r.node("wf.loop").message;
}

TEST(Deadlines, AnHourSpelledAsADurationIsRefusedWithItsPath) {
    EngineHarness h;
    std::string text = all_messages(h.validate(workflow_yaml(R"(
  entrypoint: main
  activeDeadlineSeconds: 1h
  templates:
  - name: main
    activeDeadlineSeconds: 2h
    container: {image: busybox}
)")));
    EXPECT_TRUE(contains(text,
                         "(spec.activeDeadlineSeconds): activeDeadlineSeconds must be a "
                         "positive whole number of seconds (an int64), not `1h`"))
        << text;
    EXPECT_TRUE(contains(text,
                         "(spec.templates[0].activeDeadlineSeconds): activeDeadlineSeconds "
                         "must be a whole number of seconds (an int64), not `2h`"))
        << text;
}

TEST(Deadlines, TenBillionSecondsIsFarAwayNotZero) {
    EngineHarness h;
    h.runtime().on("main", FakeStep().out("ok"));
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  activeDeadlineSeconds: 10000000000
  templates:
  - name: main
    activeDeadlineSeconds: 10000000000
    container: {image: busybox}
)"));
    EXPECT_EQ(r.phase("wf"), NodePhase::Succeeded) << r.describe();
}

TEST(Deadlines, AHugeBackoffDoesNotWrapIntoAnImmediateRetry) {
    EngineHarness h;
    h.runtime().on("main", FakeStep().exit(1));
    auto r = h.run_unchecked(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    retryStrategy: {limit: 1, backoff: {duration: '9999999999999h'}}
    container: {image: busybox}
)"));
    EXPECT_EQ(r.phase("wf"), NodePhase::Error) << r.describe();
    EXPECT_EQ(h.runtime().count("main"), 0) << "refused as a bad duration, never retried at once";
}
