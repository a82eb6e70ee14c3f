// The step cache on KFP v2 launcher steps (cachingOptions, cacheKey, what the key holds).
// Test names carry the checklist row of shared/research/kfp-v2-semantics.md §12.
#include <gtest/gtest.h>

#include "kfp_launcher_support.hpp"
#include "support/engine_harness.hpp"
#include "support/memory_step_cache.hpp"

using kfrun::engine::CacheOutcome;
using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::k_producer_task_root;
using kfrun::test_support::MemoryStepCache;
using kfrun::test_support::producer_consumer;
using kfrun::test_support::template_named;
namespace model = kfrun::model;

namespace {

const std::string k_y = "/tmp/kfp/outputs/y";
const std::string k_m = std::string(k_producer_task_root) + "/m";

constexpr const char* k_second_run = "22222222-3333-4444-5555-666666666666";

model::Workflow cached_pipeline(EngineHarness& h) {
    auto wf = producer_consumer(h, "STRING", {"{{$}}"});
    template_named(wf, "prod").launcher->enable_cache = true;
    template_named(wf, "cons").launcher->enable_cache = true;
    h.runtime().otherwise([](const kfrun::engine::StepSpec&) {
        return FakeStep().file(k_y, "v").file(k_m, "model");
    });
    return wf;
}

CacheOutcome cache_of(const kfrun::test_support::RunResult& r, const std::string& node) {
    return r.node(node).step->cache;
}

}  // namespace

TEST(KfpLauncherCache, Row71_SameTaskTwiceIsAHitWithTheSameOutputsAndUris) {
    EngineHarness h;
    MemoryStepCache cache;
    h.set_cache(&cache);
    auto wf = cached_pipeline(h);
    auto first = h.run_model(wf);
    ASSERT_EQ(first.state.phase, NodePhase::Succeeded) << first.describe();
    h.options().run_id = k_second_run;
    auto second = h.run_model(wf);
    ASSERT_EQ(second.state.phase, NodePhase::Succeeded) << second.describe();
    EXPECT_EQ(cache_of(second, "wf.p"), CacheOutcome::Hit);
    EXPECT_EQ(cache_of(second, "wf.c"), CacheOutcome::Hit);
    EXPECT_EQ(h.runtime().count("p"), 1);
    EXPECT_EQ(h.runtime().count("c"), 1);
    const auto* before = first.node("wf.p").outputs.artifact("m");
    const auto* after = second.node("wf.p").outputs.artifact("m");
    ASSERT_TRUE(before && after && before->artifact.typed && after->artifact.typed);
    EXPECT_EQ(after->artifact.typed->uri, before->artifact.typed->uri);
    EXPECT_EQ(after->artifact.typed->id, before->artifact.typed->id);
    EXPECT_EQ(second.output("wf.p", "y"), "v");
}

TEST(KfpLauncherCache, Row72_AnEnvChangeAloneIsStillAHit) {
    EngineHarness h;
    MemoryStepCache cache;
    h.set_cache(&cache);
    auto wf = cached_pipeline(h);
    auto first = h.run_model(wf);
    ASSERT_EQ(first.state.phase, NodePhase::Succeeded) << first.describe();
    model::EnvVar var;
    var.name = "LOG_LEVEL";
    var.value = "debug";
    template_named(wf, "prod").container.env.push_back(var);
    h.options().run_id = k_second_run;
    auto second = h.run_model(wf);
    EXPECT_EQ(cache_of(second, "wf.p"), CacheOutcome::Hit);
}

TEST(KfpLauncherCache, Row73_KfrunKeysByContentSoAProducerRerunWithEqualBytesStillHits) {
    // A documented difference (docs/caching.md): the backend keys input artifacts by MLMD ID,
    // kfrun by content, so a consumer of equal bytes hits.
    EngineHarness h;
    MemoryStepCache cache;
    h.set_cache(&cache);
    auto wf = cached_pipeline(h);
    template_named(wf, "prod").launcher->enable_cache = false;
    ASSERT_EQ(h.run_model(wf).state.phase, NodePhase::Succeeded);
    h.options().run_id = k_second_run;
    auto second = h.run_model(wf);
    EXPECT_EQ(h.runtime().count("p"), 2);
    EXPECT_EQ(cache_of(second, "wf.c"), CacheOutcome::Hit);
}

TEST(KfpLauncherCache, Row74_AnotherPipelineNameMisses) {
    EngineHarness h;
    MemoryStepCache cache;
    h.set_cache(&cache);
    auto wf = cached_pipeline(h);
    ASSERT_EQ(h.run_model(wf).state.phase, NodePhase::Succeeded);
    template_named(wf, "prod").launcher->pipeline_name = "other";
    h.options().run_id = k_second_run;
    auto second = h.run_model(wf);
    EXPECT_EQ(cache_of(second, "wf.p"), CacheOutcome::Miss);
}

TEST(KfpLauncherCache, Row75_CachingDisabledIsNeverLookedUpNorWritten) {
    EngineHarness h;
    MemoryStepCache cache;
    h.set_cache(&cache);
    auto wf = cached_pipeline(h);
    template_named(wf, "prod").launcher->enable_cache = false;
    template_named(wf, "cons").launcher->enable_cache = false;
    auto r = h.run_model(wf);
    ASSERT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(cache_of(r, "wf.p"), CacheOutcome::Disabled);
    EXPECT_TRUE(cache.encoded().empty());
}

TEST(KfpLauncherCache, Row76_AFailedTaskLeavesNoEntry) {
    EngineHarness h;
    MemoryStepCache cache;
    h.set_cache(&cache);
    auto wf = cached_pipeline(h);
    h.runtime().on("p", FakeStep().exit(1));
    auto r = h.run_model(wf);
    EXPECT_EQ(r.phase("wf.p"), NodePhase::Failed);
    EXPECT_TRUE(cache.encoded().empty());
}

TEST(KfpLauncherCache, Row77_ACacheKeyHitsIffComponentAndKeyAreTheSame) {
    EngineHarness h;
    MemoryStepCache cache;
    h.set_cache(&cache);
    auto wf = cached_pipeline(h);
    template_named(wf, "prod").launcher->cache_key = "k";
    ASSERT_EQ(h.run_model(wf).state.phase, NodePhase::Succeeded);
    // Another command: still a hit, the key decides.
    template_named(wf, "prod").launcher->args.push_back("--changed");
    h.options().run_id = k_second_run;
    auto second = h.run_model(wf);
    EXPECT_EQ(cache_of(second, "wf.p"), CacheOutcome::Hit);
    // Another key: a miss.
    template_named(wf, "prod").launcher->cache_key = "k2";
    h.options().run_id = "33333333-3333-4444-5555-666666666666";
    auto third = h.run_model(wf);
    EXPECT_EQ(cache_of(third, "wf.p"), CacheOutcome::Miss);
    // Another component name with the first key: a miss.
    template_named(wf, "prod").launcher->cache_key = "k";
    template_named(wf, "prod").launcher->component_name = "comp-other";
    h.options().run_id = "44444444-3333-4444-5555-666666666666";
    auto fourth = h.run_model(wf);
    EXPECT_EQ(cache_of(fourth, "wf.p"), CacheOutcome::Miss);
}

TEST(KfpLauncherCache, TheKeyIsStableAcrossRunsAndHoldsNoRunId) {
    EngineHarness h;
    MemoryStepCache cache;
    h.set_cache(&cache);
    auto wf = cached_pipeline(h);
    auto first = h.run_model(wf);
    const std::string& text = first.node("wf.c").step->cache_key_text;
    EXPECT_EQ(text.find(kfrun::test_support::k_run_id), std::string::npos) << text;
    EXPECT_EQ(text.find("4c0e2d5a"), std::string::npos) << text;
    EXPECT_NE(text.find("pipeline"), std::string::npos) << text;
}

TEST(KfpLauncherCache, ACacheEntryKeepsATypedArtifactsUriIdTypeAndMetadata) {
    kfrun::engine::CacheEntry entry;
    entry.key = "k";
    kfrun::engine::NamedArtifact named;
    named.name = "m";
    named.path = k_m;
    named.artifact.digest = std::string(64, 'a');
    named.artifact.size = 5;
    named.artifact.file_count = 1;
    kfrun::engine::ArtifactInfo info;
    info.id = "123";
    info.uri = "minio://kfrun/v2/artifacts/demo/p/m";
    info.schema_title = "system.Metrics";
    info.schema_version = "0.0.1";
    info.metadata = R"({"acc":0.9})";
    named.artifact.typed = info;
    entry.outputs.artifacts.push_back(named);
    kfrun::engine::NamedArtifact absent;
    absent.name = "never-written";
    absent.artifact.typed = info;
    entry.outputs.artifacts.push_back(absent);
    auto decoded = kfrun::engine::decode_cache_entry(kfrun::engine::encode_cache_entry(entry));
    ASSERT_TRUE(decoded.has_value());
    ASSERT_EQ(decoded->outputs.artifacts.size(), 2u);
    EXPECT_EQ(decoded->outputs.artifacts[0].artifact, named.artifact);
    EXPECT_FALSE(decoded->outputs.artifacts[1].artifact.has_content());
    EXPECT_EQ(decoded->outputs.artifacts[1].artifact.typed, info);
}
