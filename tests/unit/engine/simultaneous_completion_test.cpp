// Issue 16 finding 13: a task whose producers finish at the same moment must see all of their
// outputs. Completions that arrive together are applied before any dependent is scheduled
// (each producer's phase is set), so readiness must follow the outputs being published, not
// the phase alone.
#include <algorithm>
#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::engine::StepSpec;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::workflow_yaml;

namespace {

// Producers p0..p2 each write /tmp/out; `loop` iterates over p0's output and takes p1's and
// p2's, `join` (a plain task) takes all three.
const std::string k_three_producers = workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: p0, template: produce}
      - {name: p1, template: produce}
      - {name: p2, template: produce}
      - name: loop
        template: consume
        dependencies: [p0, p1, p2]
        withParam: '{{tasks.p0.outputs.parameters.out}}'
        arguments:
          parameters:
          - {name: a, value: '{{item}}'}
          - {name: b, value: '{{tasks.p1.outputs.parameters.out}}'}
          - {name: c, value: '{{tasks.p2.outputs.parameters.out}}'}
      - name: join
        template: consume
        dependencies: [p0, p1, p2]
        arguments:
          parameters:
          - {name: a, value: '{{tasks.p0.outputs.parameters.out}}'}
          - {name: b, value: '{{tasks.p1.outputs.parameters.out}}'}
          - {name: c, value: '{{tasks.p2.outputs.parameters.out}}'}
  - name: produce
    container: {image: busybox}
    outputs:
      parameters: [{name: out, valueFrom: {path: /tmp/out}}]
  - name: consume
    inputs:
      parameters: [{name: a}, {name: b}, {name: c}]
    container: {image: busybox, args: ['{{inputs.parameters.a}}', '{{inputs.parameters.b}}',
                                       '{{inputs.parameters.c}}']}
)");

// Holds each arriving producer until `count` of them are inside run_step, then lets them all
// go: their completions reach the engine as close together as threads allow.
class Gate {
  public:
    explicit Gate(int count) : m_count(count) {}
    void arrive_and_wait() {
        std::unique_lock lock(m_mutex);
        if (++m_arrived >= m_count) {
            m_open.notify_all();
            return;
        }
        m_open.wait(lock, [this] { return m_arrived >= m_count; });
    }

  private:
    std::mutex m_mutex;
    std::condition_variable m_open;
    int m_count;
    int m_arrived = 0;
};

}  // namespace

// Deterministic: a dry run hands every dispatched pod's completion to the engine in one batch.
TEST(SimultaneousCompletion, DependentsSeeEveryProducersOutputsInADryRun) {
    EngineHarness h;
    h.options().dry_run = true;
    h.options().parallelism = 8;
    auto r = h.run_dry(k_three_producers);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(r.phase("wf.join"), NodePhase::Succeeded) << r.node("wf.join").message;
    EXPECT_EQ(r.phase("wf.loop"), NodePhase::Succeeded) << r.node("wf.loop").message;
}

class SimultaneousCompletionAt : public ::testing::TestWithParam<int> {};

TEST_P(SimultaneousCompletionAt, EveryRunResolvesTheProducersOutputs) {
    const int parallelism = GetParam();
    for (int attempt = 0; attempt < 25; ++attempt) {
        EngineHarness h;
        h.options().parallelism = parallelism;
        auto gate = std::make_shared<Gate>(std::min(3, parallelism));
        h.runtime().on("p0", [gate](const StepSpec&) {
            gate->arrive_and_wait();
            return FakeStep().file("/tmp/out", "[\"x\",\"y\"]");
        });
        for (const char* name : {"p1", "p2"}) {
            h.runtime().on(name, [gate, name](const StepSpec&) {
                gate->arrive_and_wait();
                return FakeStep().file("/tmp/out", std::string("from-") + name);
            });
        }
        auto r = h.run(k_three_producers);
        ASSERT_EQ(r.state.phase, NodePhase::Succeeded)
            << "attempt " << attempt << ": " << r.describe() << "\nloop: "
            << r.node("wf.loop").message << "\njoin: " << r.node("wf.join").message;
        StepSpec join = h.runtime().spec("join");
        ASSERT_EQ(join.args.size(), 3u);
        EXPECT_EQ(join.args[1], "from-p1");
        EXPECT_EQ(join.args[2], "from-p2");
        EXPECT_EQ(h.runtime().count("loop"), 2);
    }
}

INSTANTIATE_TEST_SUITE_P(Parallelism, SimultaneousCompletionAt, ::testing::Values(1, 2, 8));
