// retryStrategy: attempts, policies, limit, backoff, {{retries}} (argo-semantics.md §7.3,
// checklist rows 25, 47-50).
#include <gtest/gtest.h>

#include "engine/retry_controller.hpp"
#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::engine::NodeType;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::in_turn;
using kfrun::test_support::workflow_yaml;
namespace engine = kfrun::engine;

namespace {

using namespace std::chrono_literals;

// main: `flaky` (template `flaky` with `retry`) → `after` reads flaky's output p.
std::string retried(const std::string& retry) {
    return workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: flaky, template: flaky}
      - name: after
        template: after
        dependencies: [flaky]
        arguments: {parameters: [{name: v, value: '{{tasks.flaky.outputs.parameters.p}}'}]}
  - name: flaky
    retryStrategy: )" + retry +
                         R"(
    container: {image: busybox, args: ['attempt {{retries}}']}
    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p}}]}
  - name: after
    inputs: {parameters: [{name: v}]}
    container: {image: busybox, args: ['{{inputs.parameters.v}}']}
)");
}

long long gap_ms(const kfrun::test_support::RecordedStep& before,
                 const kfrun::test_support::RecordedStep& after) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(after.started - before.finished)
        .count();
}

}  // namespace

TEST(Retry, AttemptsSeeRetriesCountingFromZero) {  // row 25
    EngineHarness h;
    h.runtime().on("flaky", FakeStep().exit(1));
    h.run(retried("{limit: 2}"));
    std::vector<std::string> seen;
    for (const auto& step : h.runtime().steps()) {
        seen.push_back(step.spec.display_name + ": " + step.spec.args.at(0));
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"flaky(0): attempt 0", "flaky(1): attempt 1",
                                              "flaky(2): attempt 2"}));
}

TEST(Retry, ExhaustedRetriesFailTheRetryNodeWithThreeAttempts) {  // row 47
    EngineHarness h;
    h.runtime().on("flaky", FakeStep().exit(1));
    auto r = h.run(retried("{limit: 2}"));
    const auto& retry = r.node("wf.flaky");
    EXPECT_EQ(retry.type, NodeType::Retry);
    EXPECT_EQ(retry.phase, NodePhase::Failed);
    EXPECT_EQ(retry.message, "No more retries left");
    auto attempts = r.children("wf.flaky");
    ASSERT_EQ(attempts.size(), 3u);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(attempts[i]->name, "wf.flaky(" + std::to_string(i) + ")");
        EXPECT_EQ(attempts[i]->phase, NodePhase::Failed);
        EXPECT_EQ(attempts[i]->retry_attempt, i);
    }
    EXPECT_EQ(r.phase("wf.after"), NodePhase::Omitted);
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
}

TEST(Retry, AnErrorIsNotRetriedByTheDefaultPolicy) {  // row 48
    EngineHarness h;                                  // exit 0 without the output file: Error
    auto r = h.run(retried("{limit: 2}"));
    EXPECT_EQ(h.runtime().count("flaky"), 1);
    EXPECT_EQ(r.phase("wf.flaky"), NodePhase::Error);
    EXPECT_EQ(r.children("wf.flaky").size(), 1u);
    EXPECT_EQ(r.state.phase, NodePhase::Error);
}

TEST(Retry, AlwaysRetriesAnErrorAndKeepsTheLastAttemptsOutputs) {  // row 49
    EngineHarness h;
    h.runtime().on("flaky", in_turn({FakeStep(), FakeStep().file("/tmp/p", "second\n")}));
    auto r = h.run(retried("{limit: 2, retryPolicy: Always}"));
    EXPECT_EQ(r.phase("wf.flaky(0)"), NodePhase::Error);
    EXPECT_EQ(r.phase("wf.flaky(1)"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf.flaky"), NodePhase::Succeeded);
    EXPECT_EQ(r.output("wf.flaky", "p"), "second");
    EXPECT_EQ(h.runtime().spec("after").args, std::vector<std::string>{"second"});
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
}

TEST(Retry, OnErrorRetriesErrorsButNotFailures) {
    EngineHarness errors;
    errors.runtime().on("flaky", in_turn({FakeStep(), FakeStep().file("/tmp/p", "ok")}));
    auto r = errors.run(retried("{limit: 3, retryPolicy: OnError}"));
    EXPECT_EQ(r.phase("wf.flaky"), NodePhase::Succeeded);
    EXPECT_EQ(errors.runtime().count("flaky"), 2);

    EngineHarness failures;
    failures.runtime().on("flaky", FakeStep().exit(1));
    r = failures.run(retried("{limit: 3, retryPolicy: OnError}"));
    EXPECT_EQ(r.phase("wf.flaky"), NodePhase::Failed);
    EXPECT_EQ(failures.runtime().count("flaky"), 1);
}

TEST(Retry, LimitZeroMeansOneAttempt) {
    EngineHarness h;
    h.runtime().on("flaky", FakeStep().exit(1));
    h.run(retried("{limit: 0}"));
    EXPECT_EQ(h.runtime().count("flaky"), 1);
}

TEST(Retry, WithoutALimitRetriesWhileThePolicyMatches) {
    EngineHarness h;
    h.runtime().on("flaky", in_turn({FakeStep().exit(1), FakeStep().exit(1), FakeStep().exit(1),
                                     FakeStep().file("/tmp/p", "4th")}));
    auto r = h.run(retried("{retryPolicy: OnFailure}"));
    EXPECT_EQ(h.runtime().count("flaky"), 4);
    EXPECT_EQ(r.phase("wf.flaky"), NodePhase::Succeeded);
}

TEST(Retry, BackoffWaitsDurationTimesFactorToTheAttempt) {  // row 50, in milliseconds
    EngineHarness h;
    h.runtime().on("flaky", FakeStep().exit(1));
    h.run(retried("{limit: 2, backoff: {duration: 100ms, factor: 2}}"));
    auto steps = h.runtime().steps();
    ASSERT_EQ(steps.size(), 3u);
    long long first = gap_ms(steps[0], steps[1]);
    long long second = gap_ms(steps[1], steps[2]);
    // Loose bounds: at least the backoff, and the second wait about twice the first.
    EXPECT_GE(first, 90) << "first wait";
    EXPECT_LT(first, 1000) << "first wait";
    EXPECT_GE(second, 190) << "second wait";
    EXPECT_LT(second, 1500) << "second wait";
    EXPECT_GE(second, first + 50) << "the factor doubles the wait";
}

TEST(Retry, BackoffThatWouldPassMaxDurationStops) {
    EngineHarness h;
    h.runtime().on("flaky", FakeStep().exit(1));
    auto r =
        h.run(retried("{limit: 5, backoff: {duration: 300ms, factor: 1, maxDuration: 100ms}}"));
    EXPECT_EQ(h.runtime().count("flaky"), 1);
    EXPECT_EQ(r.phase("wf.flaky"), NodePhase::Failed);
    EXPECT_EQ(r.node("wf.flaky").message, "Backoff would exceed max duration limit");
}

TEST(Retry, TheWorkflowsRetryStrategyIsTheDefaultForEveryTemplate) {
    // Argo applies spec.retryStrategy to every template without its own, DAGs included: the
    // entry DAG becomes a Retry node too, so a failing leaf runs (1+1) x (1+1) times.
    EngineHarness h;
    h.runtime().on("flaky", FakeStep().exit(1));
    auto yaml = retried("{limit: 1}");
    yaml.replace(yaml.find("    retryStrategy: {limit: 1}\n"), 29, "");
    yaml.replace(yaml.find("  entrypoint: main"), 18,
                 "  entrypoint: main\n  retryStrategy: {limit: 1}");
    auto r = h.run(yaml);
    EXPECT_EQ(r.node("wf").type, NodeType::Retry);
    EXPECT_EQ(r.node("wf(0).flaky").type, NodeType::Retry);
    EXPECT_EQ(r.children("wf(0).flaky").size(), 2u);
    EXPECT_EQ(h.runtime().count("flaky"), 4);
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
}

TEST(RetryPlan, ReadsArgosSpellings) {
    engine::Scope scope;
    scope.set("inputs.parameters.n", "3");
    kfrun::model::RetryStrategy strategy;
    strategy.limit = "{{inputs.parameters.n}}";
    strategy.backoff = kfrun::model::Backoff{"1", "2", "2m"};
    auto plan = engine::make_retry_plan(strategy, scope);
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    EXPECT_EQ(plan->limit, 3);
    EXPECT_EQ(plan->policy, "OnFailure");
    EXPECT_EQ(plan->backoff_duration, std::chrono::milliseconds(1000));  // bare number: seconds
    EXPECT_EQ(plan->backoff_factor, 2);
    EXPECT_EQ(plan->max_duration, std::chrono::milliseconds(120000));

    strategy.retry_policy = "Sometimes";
    EXPECT_FALSE(engine::make_retry_plan(strategy, scope).ok());
    strategy.retry_policy = "";
    strategy.limit = "many";
    EXPECT_FALSE(engine::make_retry_plan(strategy, scope).ok());
}
