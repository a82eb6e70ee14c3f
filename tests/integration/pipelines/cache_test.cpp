// The step cache end to end: unchanged steps come back without a container, changed ones and
// their dependents run again, a rebuilt image under the same tag misses, a damaged store is a
// miss with a warning, KFP's opt-outs are honoured, two processes share one cache.
#include <archive.h>
#include <archive_entry.h>

#include <chrono>
#include <fstream>
#include <future>
#include <sstream>

#include <gtest/gtest.h>

#include "base/random_id.hpp"
#include "docker/docker_client.hpp"
#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// A minimal image: static busybox as /bin/sh, and a version file whose text makes each build's
// content (and so its Id) different.
std::string image_tar(const std::string& version) {
    std::string tar;
    archive* writer = archive_write_new();
    archive_write_set_format_pax_restricted(writer);
    archive_write_open(
        writer, &tar, nullptr,
        [](archive*, void* out, const void* data, size_t size) -> la_ssize_t {
            static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
            return static_cast<la_ssize_t>(size);
        },
        nullptr);
    auto add = [writer](const std::string& name, const std::string& content, int mode,
                        const char* link = nullptr) {
        archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, name.c_str());
        if (link != nullptr) {
            archive_entry_set_filetype(entry, AE_IFLNK);
            archive_entry_set_symlink(entry, link);
        } else {
            archive_entry_set_filetype(entry, AE_IFREG);
            archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
        }
        archive_entry_set_perm(entry, mode);
        archive_write_header(writer, entry);
        if (link == nullptr) {
            archive_write_data(writer, content.data(), content.size());
        }
        archive_entry_free(entry);
    };
    add("bin/busybox", read_file("/bin/busybox"), 0755);
    for (const char* applet : {"sh", "cat", "echo", "printf", "date"}) {
        add(std::string("bin/") + applet, "", 0777, "/bin/busybox");
    }
    add("etc/kfrun-test-version", version + "\n", 0644);
    add("tmp/.keep", "", 0644);
    archive_write_close(writer);
    archive_write_free(writer);
    return tar;
}

class Cache : public ::testing::Test {
protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
        auto client = docker::DockerClient::connect({});
        ASSERT_TRUE(client.ok());
        m_client = std::make_unique<docker::DockerClient>(std::move(client.value()));
        m_image = "kfrun-test/cache-image:" + base::random_suffix(8);
        build_image("v1");
    }
    void TearDown() override {
        if (m_client) {
            (void)m_client->remove_image(m_image, true);
        }
    }
    void build_image(const std::string& version) {
        std::string repository = m_image.substr(0, m_image.find(':'));
        std::string tag = m_image.substr(m_image.find(':') + 1);
        ASSERT_TRUE(m_client->import_image(image_tar(version), repository, tag).ok());
    }
    KfrunResult run(const std::vector<std::string>& extra = {}) {
        std::vector<std::string> args = {"--image-map", "cache-test-image=" + m_image};
        args.insert(args.end(), extra.begin(), extra.end());
        return kfrun.run(pipeline(), args);
    }
    static std::string pipeline() {
        return KfrunProcess::fixture("tests/integration/pipelines/data/cache-chain.yaml").string();
    }
    std::string cache_of(const KfrunResult& result, const std::string& step) {
        return result.step(step).value("cache", "");
    }

    KfrunProcess kfrun;
    std::unique_ptr<docker::DockerClient> m_client;
    std::string m_image;
};

TEST_F(Cache, AnUnchangedRunComesBackFromTheCacheWithIdenticalOutputs) {
    KfrunResult first = run();
    ASSERT_EQ(first.exit_code, 0) << first.output;
    for (const char* step : {"a", "b", "c", "image-user"}) {
        EXPECT_EQ(cache_of(first, step), "miss") << step;
    }
    KfrunResult second = run();
    ASSERT_EQ(second.exit_code, 0) << second.output;
    for (const char* step : {"a", "b", "c", "image-user"}) {
        const auto& now = second.step(step);
        const auto& before = first.step(step);
        EXPECT_EQ(now["cache"], "hit") << step;
        EXPECT_EQ(now["container"], "") << step << ": a hit creates no container";
        EXPECT_EQ(now["cacheKey"], before["cacheKey"]) << step;
        EXPECT_EQ(now["outputs"]["parameters"], before["outputs"]["parameters"]) << step;
        EXPECT_EQ(now["outputs"]["artifacts"], before["outputs"]["artifacts"]) << step;
        EXPECT_EQ(now["cachedFromRun"], first.report["runId"]) << step;
    }
    EXPECT_EQ(second.step("c")["outputs"]["parameters"]["out"], "constant hello!");
    EXPECT_EQ(second.report["counts"]["cached"], 4);
}

TEST_F(Cache, ARunWhoseStepsAllHitCreatesNoContainer) {
    // No pod sandbox either: it is started by the first step that really runs.
    const auto pipeline = kfrun.work_dir() / "all-cached.yaml";
    std::ofstream(pipeline) << R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: all-cached-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: echo}
      - {name: b, template: echo, dependencies: [a]}
  - name: echo
    container: {image: busybox, command: [sh, -c, 'echo hi > /tmp/out']}
    outputs: {parameters: [{name: out, valueFrom: {path: /tmp/out}}]}
)";
    const auto now = [] {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    KfrunResult first = kfrun.run(pipeline.string());
    ASSERT_EQ(first.exit_code, 0) << first.output;
    const long long since = now() - 1;
    KfrunResult second = kfrun.run(pipeline.string());
    ASSERT_EQ(second.exit_code, 0) << second.output;
    EXPECT_EQ(second.report["counts"]["cached"], 2) << second.output;
    const std::string first_id = first.report["runId"];
    const std::string second_id = second.report["runId"];
    EXPECT_GE(containers_created_by_run(first_id, since - 600, now() + 1), 3)
        << "the first run made its sandbox and two step containers (the events are readable)";
    EXPECT_EQ(containers_created_by_run(second_id, since, now() + 1), 0);
}

TEST_F(Cache, AChangedArgumentRerunsExactlyThatStepAndItsDependents) {
    ASSERT_EQ(run().exit_code, 0);
    KfrunResult changed = run({"-p", "message=bye", "--explain"});
    ASSERT_EQ(changed.exit_code, 0) << changed.output;
    EXPECT_EQ(cache_of(changed, "a"), "hit");
    EXPECT_EQ(cache_of(changed, "image-user"), "hit");
    EXPECT_EQ(cache_of(changed, "b"), "miss");
    EXPECT_EQ(cache_of(changed, "c"), "miss");
    EXPECT_EQ(changed.step("c")["outputs"]["parameters"]["out"], "constant bye!");
    // --explain names what changed.
    std::string reasons = changed.step("b")["cacheMissReasons"].dump();
    EXPECT_NE(reasons.find("constant hello"), std::string::npos) << reasons;
    EXPECT_NE(reasons.find("constant bye"), std::string::npos) << reasons;
}

TEST_F(Cache, ARebuiltImageUnderTheSameTagMissesOnlyWhereItIsUsed) {
    KfrunResult first = run();
    ASSERT_EQ(first.exit_code, 0) << first.output;
    EXPECT_EQ(first.step("image-user")["outputs"]["result"], "v1");
    build_image("v2");
    KfrunResult second = run();
    ASSERT_EQ(second.exit_code, 0) << second.output;
    EXPECT_EQ(cache_of(second, "image-user"), "miss");
    EXPECT_EQ(second.step("image-user")["outputs"]["result"], "v2");
    EXPECT_NE(second.step("image-user")["imageDigest"], first.step("image-user")["imageDigest"]);
    for (const char* step : {"a", "b", "c"}) {
        EXPECT_EQ(cache_of(second, step), "hit") << step;
    }
}

TEST_F(Cache, AMissingBlobIsAMissWithAWarningNotWrongData) {
    KfrunResult first = run();
    ASSERT_EQ(first.exit_code, 0) << first.output;
    // Damage the store: remove the blob of a's file artifact.
    std::string digest;
    for (const auto& artifact : first.step("a")["outputs"]["artifacts"]) {
        digest = artifact["sha256"];
    }
    ASSERT_FALSE(digest.empty());
    std::filesystem::path blob =
        kfrun.data_dir() / "store" / "blobs" / "sha256" / digest.substr(0, 2) / digest.substr(2);
    ASSERT_TRUE(std::filesystem::exists(blob)) << blob;
    std::filesystem::permissions(blob.parent_path(), std::filesystem::perms::owner_all);
    std::filesystem::remove(blob);
    KfrunResult second = run();
    ASSERT_EQ(second.exit_code, 0) << second.output;
    EXPECT_EQ(cache_of(second, "a"), "miss");
    EXPECT_NE(second.output.find("missing or damaged"), std::string::npos) << second.output;
    EXPECT_EQ(second.step("a")["outputs"]["parameters"]["out"], "constant");
    EXPECT_TRUE(std::filesystem::exists(blob)) << "the step ran again and stored its output";
}

TEST_F(Cache, HonoursKfpOptOutsAndNoCache) {
    ASSERT_EQ(run().exit_code, 0);
    KfrunResult second = run();
    ASSERT_EQ(second.exit_code, 0) << second.output;
    EXPECT_EQ(cache_of(second, "volatile"), "disabled");
    EXPECT_EQ(cache_of(second, "fresh"), "miss");  // P0D: recorded, never reused
    KfrunResult forced = run({"--no-cache"});
    ASSERT_EQ(forced.exit_code, 0) << forced.output;
    for (const char* step : {"a", "b", "c", "image-user", "fresh"}) {
        EXPECT_EQ(cache_of(forced, step), "miss") << step;
    }
    KfrunResult after = run();  // --no-cache still recorded its results
    EXPECT_EQ(cache_of(after, "a"), "hit");
}

TEST_F(Cache, TwoProcessesShareOneCacheDirectory) {
    std::vector<std::string> args = {"--image-map", "cache-test-image=" + m_image};
    KfrunProcess other;  // its own data dir; the same cache dir
    other.set_cache_dir(kfrun.cache_dir());
    auto first = std::async(std::launch::async, [&] { return kfrun.run(pipeline(), args); });
    auto second = std::async(std::launch::async, [&] { return other.run(pipeline(), args); });
    KfrunResult a = first.get();
    KfrunResult b = second.get();
    ASSERT_EQ(a.exit_code, 0) << a.output;
    ASSERT_EQ(b.exit_code, 0) << b.output;
    EXPECT_EQ(a.step("c")["outputs"]["parameters"]["out"], "constant hello!");
    EXPECT_EQ(b.step("c")["outputs"]["parameters"]["out"], "constant hello!");
    // Afterwards both processes' results are usable by a third run.
    KfrunResult third = kfrun.run(pipeline(), args);
    ASSERT_EQ(third.exit_code, 0) << third.output;
    EXPECT_EQ(cache_of(third, "c"), "hit");
}

}  // namespace
}  // namespace kfrun::testing
