// A bug (an exception) anywhere in a run ends it as Error with a message, never std::terminate;
// and step output that is not valid UTF-8 travels on as Argo's workflow status carries it.
#include <gtest/gtest.h>

#include <stdexcept>

#include "base/json_text.hpp"
#include "engine/executor.hpp"
#include "engine/report.hpp"
#include "engine/step_cache.hpp"
#include "support/counting_store.hpp"
#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using namespace kfrun;
using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::workflow_yaml;

namespace {

const std::string k_fffd = "\xEF\xBF\xBD";

const std::string k_two_branches = workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: bad, template: step}
      - {name: good, template: step}
      - {name: after-bad, template: step, dependencies: [bad]}
  - name: step
    container: {image: busybox}
)");

const std::string k_producer_consumer = workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: produce, template: produce}
      - name: consume
        template: consume
        dependencies: [produce]
        arguments:
          parameters: [{name: text, value: "{{tasks.produce.outputs.parameters.out}}"}]
  - name: produce
    container: {image: busybox}
    outputs:
      parameters:
      - {name: out, valueFrom: {path: /tmp/out}}
  - name: consume
    inputs:
      parameters: [{name: text}]
    container: {image: busybox, args: ["{{inputs.parameters.text}}"]}
)");

// A store whose writes of small inline content (script sources) throw, as a bug would.
class ThrowingStore : public test_support::CountingStore {
  public:
    using CountingStore::CountingStore;
    base::Result<engine::ArtifactRef> ingest_bytes(std::string_view) override {
        throw std::runtime_error("injected bug in ingest_bytes");
    }
};

class QuietObserver : public engine::RunObserver {
  public:
    void on_warning(const std::string& message) override { warnings.push_back(message); }
    std::vector<std::string> warnings;
};

// A step cache that records what it is given, as RocksStepCache's encoding would.
class EncodingCache : public engine::StepCache {
  public:
    base::Result<std::optional<engine::CacheEntry>> lookup(const std::string&) override {
        return std::optional<engine::CacheEntry>();
    }
    base::Result<void> store(const engine::CacheEntry& entry) override {
        encoded.push_back(engine::encode_cache_entry(entry));
        return base::ok();
    }
    base::Result<void> flush() override { return base::ok(); }
    base::Result<std::optional<engine::CacheEntry>> latest_for_step(const std::string&) override {
        return std::optional<engine::CacheEntry>();
    }
    std::vector<std::string> encoded;
};

}  // namespace

TEST(InternalError, AnExceptionOnAWorkerThreadEndsThatStepAsError) {
    EngineHarness h;
    h.runtime().on("bad", [](const engine::StepSpec&) -> FakeStep {
        throw std::runtime_error("injected bug on the worker");
    });
    auto r = h.run(k_two_branches);
    EXPECT_EQ(r.phase("wf.bad"), NodePhase::Error) << r.describe();
    EXPECT_NE(r.node("wf.bad").message.find("injected bug on the worker"), std::string::npos)
        << r.node("wf.bad").message;
    EXPECT_EQ(r.phase("wf.good"), NodePhase::Succeeded);
    EXPECT_EQ(r.phase("wf.after-bad"), NodePhase::Omitted);
    EXPECT_EQ(r.state.phase, NodePhase::Error);
    EXPECT_EQ(h.runtime().end_runs(), 1);  // the run's containers and volumes are swept
    EXPECT_TRUE(r.report.is_object());
}

TEST(InternalError, AnExceptionOnTheEngineThreadEndsTheRunAsErrorAndCleansUp) {
    const std::string yaml = workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: first, template: step}
      - {name: script, template: script, dependencies: [first]}
  - name: step
    container: {image: busybox}
  - name: script
    script: {image: busybox, command: [sh], source: "echo hi"}
)");
    EngineHarness h;
    model::Workflow workflow = h.load(yaml);
    ThrowingStore store(h.store());
    QuietObserver observer;
    engine::RunOptions options = h.options();
    engine::Executor executor(workflow, options, &h.runtime(), store, observer);
    ASSERT_TRUE(executor.prepare().ok());
    const engine::RunState* state = nullptr;
    ASSERT_NO_THROW(state = &executor.run());
    EXPECT_EQ(state->phase, NodePhase::Error);
    EXPECT_NE(state->message.find("kfrun internal error: injected bug in ingest_bytes"),
              std::string::npos)
        << state->message;
    for (const engine::Node& node : state->nodes()) {
        EXPECT_TRUE(node.fulfilled()) << node.name;
    }
    EXPECT_EQ(h.runtime().end_runs(), 1);
    EXPECT_NE(state->finished_at, base::SystemTime{});
}

TEST(InvalidUtf8, AnOutputParameterReadsAsGoEncodingJsonWritesIt) {
    EngineHarness h;
    EncodingCache cache;
    h.runtime().on("produce", FakeStep().file("/tmp/out", "x\xFFy\n"));
    // The cache is the one place the harness does not wire: run through an executor with it.
    model::Workflow workflow = h.load(k_producer_consumer);
    QuietObserver observer;
    engine::RunOptions options = h.options();
    engine::Executor executor(workflow, options, &h.runtime(), h.store(), observer, &cache);
    ASSERT_TRUE(executor.prepare().ok());
    const engine::RunState& state = executor.run();
    ASSERT_EQ(state.phase, NodePhase::Succeeded);
    // Downstream sees what a cluster passes on: the value from the workflow status.
    const engine::StepSpec consumer = h.runtime().spec("consume");
    ASSERT_EQ(consumer.args.size(), 1u);
    EXPECT_EQ(consumer.args[0], "x" + k_fffd + "y");
    // The cache entry encodes (this threw type_error.316 on the cache writer thread).
    ASSERT_FALSE(cache.encoded.empty());
    auto decoded = engine::decode_cache_entry(cache.encoded.front());
    ASSERT_TRUE(decoded.has_value());
}

TEST(InvalidUtf8, TheReportOfARunWithInvalidBytesSerialises) {
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/out", "x\xFFy").err("log \xFE\x1b[2J"));
    auto r = h.run(k_producer_consumer);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(r.output("wf.produce", "out"), "x" + k_fffd + "y");
    std::string text;
    ASSERT_NO_THROW(text = base::json_text(r.report, 2));
    EXPECT_NE(text.find("x\xEF\xBF\xBDy"), std::string::npos);
}
