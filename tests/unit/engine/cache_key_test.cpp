// The cache key is a versioned record; these known answers pin its format, so an accidental
// change (a field renamed, reordered, added) fails here before it silently empties every cache.
#include <gtest/gtest.h>

#include "engine/cache_key.hpp"

namespace kfrun::engine {
namespace {

PodJob sample_job() {
    PodJob job;
    job.spec.image_id = "sha256:1111";
    job.spec.command = {"sh", "-c"};
    job.spec.args = {"echo \"$0\" > /tmp/out", "hi\nthere"};
    job.key.env = {{"MODE", "fast"}, {"KFP_POD_NAME", "fieldRef:metadata.name"}};
    job.spec.working_dir = "/work";
    job.input_parameters = {{"b", "2"}, {"a", "1"}};
    job.spec.inputs.push_back(InputPlacement{"/in/data", ArtifactRef{ArtifactRef::Kind::File,
                                                                      "abcd", 4, 1}});
    model::Parameter out;
    out.name = "out";
    out.from_path = "/tmp/out";
    job.output_parameters.push_back(out);
    model::Artifact metrics;
    metrics.name = "mlpipeline-metrics";
    metrics.path = "/mlpipeline-metrics.json";
    metrics.optional = true;
    job.output_artifacts.push_back(metrics);
    job.key.mounts = {"/data pvc:claim sub= rw"};
    return job;
}

// The record, written out by hand from the format's description.
constexpr const char* k_expected_text =
    "kfrun-cache-key 2\n"
    "image-id \"sha256:1111\"\n"
    "command[0] \"sh\"\n"
    "command[1] \"-c\"\n"
    "command.count \"2\"\n"
    "args[0] \"echo \\\"$0\\\" > /tmp/out\"\n"
    "args[1] \"hi\\nthere\"\n"
    "args.count \"2\"\n"
    "env[MODE] \"fast\"\n"
    "env[KFP_POD_NAME] \"fieldRef:metadata.name\"\n"
    "working-dir \"/work\"\n"
    "input-parameter[a] \"1\"\n"
    "input-parameter[b] \"2\"\n"
    "input-artifact[/in/data] \"file abcd\"\n"
    "output-parameter[out] \"path=/tmp/out\"\n"
    "output-artifact[mlpipeline-metrics] \"path=/mlpipeline-metrics.json optional\"\n"
    "mount \"/data pvc:claim sub= rw\"\n"
    "gpus \"0\"\n";

TEST(CacheKey, IsTheCanonicalVersionedRecord) {
    CacheKey key = compute_cache_key(sample_job());
    EXPECT_EQ(key.text, k_expected_text);
    // sha256sum of the text above, computed outside kfrun.
    EXPECT_EQ(key.digest, "a4638ba4a320c558d51935b23eb23d7e67770c5853e264ab4e78caa2ff781605");
}

// Init containers and sidecars are written from their ContainerKey, like the main container:
// their env's Secret values never reach the record (issue 16 finding 4), their mounts do.
TEST(CacheKey, WritesAuxContainersFromTheirKeyViewNeverTheirEnv) {
    PodJob job = sample_job();
    AuxContainer init;
    init.name = "fetch";
    init.image_id = "sha256:3333";
    init.command = {"sh"};
    init.env = {{"TOKEN", "hunter2-plain"}};
    init.secret_env = {{"TOKEN", "creds/token"}};
    init.working_dir = "/w";
    job.spec.init_containers.push_back(init);
    job.init_keys.push_back(
        ContainerKey{{{"TOKEN", "valueFrom:creds/token@0123456789abcdef"}},
                     {"/etc/creds secret:creds@fedcba9876543210 sub= ro"}});
    AuxContainer sidecar = init;
    sidecar.name = "proxy";
    job.spec.sidecars.push_back(sidecar);
    job.sidecar_keys.push_back(ContainerKey{{{"TOKEN", "valueFrom:creds/token@0123456789abcdef"}},
                                            {}});
    CacheKey key = compute_cache_key(job);
    EXPECT_EQ(key.text.find("hunter2-plain"), std::string::npos) << key.text;
    std::string expected = std::string(k_expected_text) +
                           "init[0].name \"fetch\"\n"
                           "init[0].image-id \"sha256:3333\"\n"
                           "init[0].command[0] \"sh\"\n"
                           "init[0].command.count \"1\"\n"
                           "init[0].args.count \"0\"\n"
                           "init[0].env[TOKEN] \"valueFrom:creds/token@0123456789abcdef\"\n"
                           "init[0].working-dir \"/w\"\n"
                           "init[0].mount \"/etc/creds secret:creds@fedcba9876543210 sub= ro\"\n"
                           "init[0].step-mounts \"none\"\n"
                           "sidecar[0].name \"proxy\"\n"
                           "sidecar[0].image-id \"sha256:3333\"\n"
                           "sidecar[0].command[0] \"sh\"\n"
                           "sidecar[0].command.count \"1\"\n"
                           "sidecar[0].args.count \"0\"\n"
                           "sidecar[0].env[TOKEN] \"valueFrom:creds/token@0123456789abcdef\"\n"
                           "sidecar[0].working-dir \"/w\"\n";
    EXPECT_EQ(key.text, expected);
    // A job whose key views are missing writes no env rather than the container's own.
    job.init_keys.clear();
    job.sidecar_keys.clear();
    EXPECT_EQ(compute_cache_key(job).text.find("hunter2-plain"), std::string::npos);
}

TEST(CacheKey, ChangesWithEveryFieldThatCanChangeAResult) {
    const std::string base = compute_cache_key(sample_job()).digest;
    auto differs = [&base](PodJob job) { return compute_cache_key(job).digest != base; };
    PodJob job = sample_job();
    job.spec.image_id = "sha256:2222";  // the same tag rebuilt
    EXPECT_TRUE(differs(job));
    job = sample_job();
    job.spec.args[1] = "hi";
    EXPECT_TRUE(differs(job));
    job = sample_job();
    job.key.env[0].second = "slow";
    EXPECT_TRUE(differs(job));
    job = sample_job();
    job.input_parameters[0].second = "3";
    EXPECT_TRUE(differs(job));
    job = sample_job();
    job.spec.inputs[0].artifact.digest = "abce";  // same path, other content
    EXPECT_TRUE(differs(job));
    job = sample_job();
    job.output_parameters[0].from_path = "/tmp/other";
    EXPECT_TRUE(differs(job));
    job = sample_job();
    job.spec.resources.gpus = 1;
    EXPECT_TRUE(differs(job));
    job = sample_job();
    job.key.mounts.clear();
    EXPECT_TRUE(differs(job));
    job = sample_job();
    job.spec.working_dir = "/";
    EXPECT_TRUE(differs(job));
}

TEST(CacheKey, IgnoresWhatOnlyNamesThisRun) {
    const std::string base = compute_cache_key(sample_job()).digest;
    PodJob job = sample_job();
    job.spec.container_name = "kfrun-other-run";
    job.spec.env = {{"KFP_POD_NAME", "wf-123"}};  // resolved per run; the key uses key.env
    job.spec.labels["org.kfrun.run"] = "another";
    job.spec.image = "python:3.7";  // the tag is not the identity; the Id is
    EXPECT_EQ(compute_cache_key(job).digest, base);
}

TEST(CacheKey, ArgumentBoundariesAreUnambiguous) {
    PodJob a = sample_job();
    a.spec.args = {"a b", "c"};
    PodJob b = sample_job();
    b.spec.args = {"a", "b c"};
    EXPECT_NE(compute_cache_key(a).digest, compute_cache_key(b).digest);
}

TEST(CacheKey, MemoizeKeyReplacesTheComputedOne) {
    PodJob a = sample_job();
    a.cache.memoize_key = "model-v1";
    a.cache.step = "p/train";
    PodJob b = a;
    b.spec.args[1] = "changed";
    EXPECT_EQ(compute_cache_key(a).digest, compute_cache_key(b).digest);
    b.cache.memoize_key = "model-v2";
    EXPECT_NE(compute_cache_key(a).digest, compute_cache_key(b).digest);
}

TEST(CacheKey, ExplainsWhichFieldsChanged) {
    PodJob before = sample_job();
    PodJob after = sample_job();
    after.spec.args[1] = "bye";
    after.spec.image_id = "sha256:3333";
    auto changes =
        explain_key_difference(compute_cache_key(before).text, compute_cache_key(after).text);
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0], "args[1]: \"hi\\nthere\" → \"bye\"");
    EXPECT_EQ(changes[1], "image-id: \"sha256:1111\" → \"sha256:3333\"");
}

}  // namespace
}  // namespace kfrun::engine
