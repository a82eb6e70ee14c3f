// Issue 16 finding 4: a Secret's value reaches only the container. The cache key record of a
// pod (stored in the index, printed by --explain and `kfrun inspect`, put in the reports as
// cacheMissReasons) holds a digest of it, for the main container, init containers and sidecars
// alike, whether it comes from secretKeyRef, envFrom or a mounted Secret volume.
#include <gtest/gtest.h>

#include "base/sha256.hpp"
#include "support/engine_harness.hpp"
#include "support/memory_step_cache.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::MemoryStepCache;
using kfrun::test_support::workflow_yaml;

namespace {

const std::string k_pipeline = workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: step, template: step}
  - name: step
    volumes:
    - {name: creds, secret: {secretName: creds}}
    initContainers:
    - name: fetch
      image: busybox
      env:
      - name: INIT_TOKEN
        valueFrom: {secretKeyRef: {name: creds, key: token}}
      envFrom:
      - secretRef: {name: creds}
        prefix: INIT_
      volumeMounts: [{name: creds, mountPath: /etc/creds}]
    sidecars:
    - name: proxy
      image: busybox
      env:
      - name: PROXY_TOKEN
        valueFrom: {secretKeyRef: {name: creds, key: token}}
      envFrom:
      - secretRef: {name: creds}
    container:
      image: busybox
      env:
      - name: MAIN_TOKEN
        valueFrom: {secretKeyRef: {name: creds, key: token}}
)");

void give_secret(EngineHarness& h, const std::string& value) {
    auto& source = h.options().secrets["creds"];
    source.data = {{"token", value}};
    source.directory = "/nonexistent/creds";
}

}  // namespace

TEST(SecretInKey, NoContainersSecretValueIsInTheKeyTextTheIndexOrTheReport) {
    EngineHarness h;
    MemoryStepCache cache;
    h.set_cache(&cache);
    h.options().explain_cache = true;
    give_secret(h, "s3cr3t-first-value");
    auto first = h.run(k_pipeline);
    ASSERT_EQ(first.state.phase, NodePhase::Succeeded) << first.describe();
    const auto& record = *first.node("wf.step").step;
    ASSERT_FALSE(record.cache_key_text.empty());
    EXPECT_EQ(record.cache_key_text.find("s3cr3t"), std::string::npos) << record.cache_key_text;
    EXPECT_NE(record.cache_key_text.find("init[0].env[INIT_TOKEN] \"valueFrom:creds/token@"),
              std::string::npos)
        << record.cache_key_text;
    EXPECT_NE(record.cache_key_text.find("sidecar[0].env[envFrom:creds]"), std::string::npos)
        << record.cache_key_text;
    EXPECT_NE(record.cache_key_text.find("init[0].mount \"/etc/creds secret:creds@"),
              std::string::npos)
        << record.cache_key_text;
    for (const std::string& entry : cache.encoded()) {
        EXPECT_EQ(entry.find("s3cr3t"), std::string::npos) << entry;
    }
    EXPECT_EQ(first.report.dump().find("s3cr3t"), std::string::npos);
    // The containers themselves get the value.
    auto spec = h.runtime().spec("step");
    ASSERT_EQ(spec.init_containers.size(), 1u);
    using Sources = std::map<std::string, std::string>;
    EXPECT_EQ(spec.init_containers[0].secret_env,
              (Sources{{"INIT_TOKEN", "creds/token"}, {"INIT_token", "creds/token"}}));
    EXPECT_EQ(spec.sidecars[0].secret_env,
              (Sources{{"PROXY_TOKEN", "creds/token"}, {"token", "creds/token"}}));
    EXPECT_EQ(spec.secret_env, (Sources{{"MAIN_TOKEN", "creds/token"}}));

    // A changed secret changes the key (a miss), and the explanation names fields, not values.
    h.options().run_id = "5d1f3e6b-8a8c-4b64-8b66-7b8e1e2d3f40";
    give_secret(h, "s3cr3t-second-value");
    auto second = h.run(k_pipeline);
    ASSERT_EQ(second.state.phase, NodePhase::Succeeded) << second.describe();
    const auto& again = *second.node("wf.step").step;
    EXPECT_EQ(again.cache, kfrun::engine::CacheOutcome::Miss);
    EXPECT_NE(again.cache_key, record.cache_key);
    ASSERT_FALSE(again.cache_explanation.empty());
    for (const std::string& reason : again.cache_explanation) {
        EXPECT_EQ(reason.find("s3cr3t"), std::string::npos) << reason;
    }
    EXPECT_EQ(second.report.dump().find("s3cr3t"), std::string::npos);
    for (const std::string& entry : cache.encoded()) {
        EXPECT_EQ(entry.find("s3cr3t"), std::string::npos) << entry;
    }
}

// A reader of the cache index cannot test guesses of a secret offline: with the cache's secret
// digest key, the digests are HMACs under it (a plain SHA-256 of the guess matches nothing), and
// another cache directory's key gives other digests.
TEST(SecretInKey, SecretDigestsAreKeyedWithTheCachesKey) {
    const std::string value = "hunter2";
    const std::string plain = kfrun::base::sha256_hex(value).substr(0, 16);
    auto key_text = [&](const std::string& digest_key) {
        EngineHarness h;
        MemoryStepCache cache;
        h.set_cache(&cache);
        give_secret(h, value);
        h.options().secret_digest_key = digest_key;
        auto run = h.run(k_pipeline);
        EXPECT_EQ(run.state.phase, NodePhase::Succeeded) << run.describe();
        return run.node("wf.step").step->cache_key_text;
    };
    const std::string unkeyed = key_text("");
    EXPECT_NE(unkeyed.find("@" + plain), std::string::npos) << unkeyed;  // the test can fail
    const std::string first = key_text(std::string(64, 'a'));
    const std::string second = key_text(std::string(64, 'b'));
    EXPECT_EQ(first.find(plain), std::string::npos) << first;
    EXPECT_EQ(first.find(value), std::string::npos) << first;
    EXPECT_NE(first, second);
    EXPECT_EQ(first, key_text(std::string(64, 'a')));  // the same key: the same cache key
}
