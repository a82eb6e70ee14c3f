// Issue 16 finding 4, end to end: a Secret given with --secret and used by an init container,
// a sidecar and the main container reaches the containers, and no file kfrun writes for a
// person or a later run — the cache index (RocksDB files), report.json, report.html, the data
// directory with the step spec files — nor the output of `--explain` and `kfrun inspect` holds
// its value.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
        out += item + "\n";
    }
    return out;
}

class SecretLeak : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
    }
    std::filesystem::path secret_dir(const std::string& value) {
        std::filesystem::path dir = kfrun.work_dir() / ("creds-" + std::to_string(++m_secrets));
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "token") << value;
        return dir;
    }

    KfrunProcess kfrun;
    int m_secrets = 0;
};

TEST_F(SecretLeak, AnAuxContainersSecretReachesOnlyTheContainer) {
    const std::string pipeline =
        KfrunProcess::fixture("tests/integration/pipelines/data/secret-in-aux-containers.yaml");
    const std::string first_value = "Tr0ub4dor-first-9f3c1";
    const std::string second_value = "Tr0ub4dor-second-77ab2";
    KfrunResult first =
        kfrun.run(pipeline, {"--secret", "creds=" + secret_dir(first_value).string(), "--explain"});
    ASSERT_EQ(first.exit_code, 0) << first.output;
    const std::string length = std::to_string(first_value.size());
    EXPECT_EQ(first.step("pod")["outputs"]["parameters"]["out"],
              "init-" + length + " side-" + length + " main-" + length);
    // A changed secret: a miss, explained field by field (--explain, cacheMissReasons).
    KfrunResult second = kfrun.run(
        pipeline, {"--secret", "creds=" + secret_dir(second_value).string(), "--explain"});
    ASSERT_EQ(second.exit_code, 0) << second.output;
    EXPECT_EQ(second.step("pod").value("cache", ""), "miss") << second.step("pod").dump();
    ASSERT_TRUE(second.step("pod").contains("cacheMissReasons")) << second.step("pod").dump();

    std::string run_id = second.report.value("runId", "");
    KfrunResult inspected = kfrun.exec({"inspect", run_id.substr(0, 8), "pod", "--no-color",
                                        "--data-dir", kfrun.data_dir().string(), "--cache-dir",
                                        kfrun.cache_dir().string()});
    ASSERT_EQ(inspected.exit_code, 0) << inspected.output;
    EXPECT_NE(inspected.output.find("Cache key text"), std::string::npos) << inspected.output;
    KfrunResult inspected_json = kfrun.exec(
        {"inspect", run_id.substr(0, 8), "pod", "-o", "json", "--data-dir",
         kfrun.data_dir().string(), "--cache-dir", kfrun.cache_dir().string()});
    ASSERT_EQ(inspected_json.exit_code, 0) << inspected_json.output;

    for (const std::string& value : {first_value, second_value}) {
        for (const KfrunResult* result : {&first, &second, &inspected, &inspected_json}) {
            EXPECT_EQ(result->output.find(value), std::string::npos) << result->output;
        }
        EXPECT_EQ(files_containing(kfrun.cache_dir(), value), std::vector<std::string>{})
            << "the cache index holds the secret:\n"
            << joined(files_containing(kfrun.cache_dir(), value));
        // The data directory: run history, step spec files (specs/<node>.json), the store.
        EXPECT_EQ(files_containing(kfrun.data_dir(), value), std::vector<std::string>{})
            << "the data directory holds the secret:\n"
            << joined(files_containing(kfrun.data_dir(), value));
        for (const KfrunResult* result : {&first, &second}) {
            for (const char* name : {"report.json", "report.html"}) {
                EXPECT_EQ(read_file(result->report_dir / name).find(value), std::string::npos)
                    << name;
            }
        }
    }
}

// A Secret volume of the main container, and the step's inputs, reach an init container only
// when it asks (mirrorVolumeMounts), as in Argo; kfrun gave every init container all the main
// one's mounts and inputs.
TEST_F(SecretLeak, AnInitContainerSeesTheMainContainersSecretVolumeOnlyWhenItMirrorsIt) {
    const std::string value = "Tr0ub4dor-volume-41d7e";
    KfrunResult result =
        kfrun.run(KfrunProcess::fixture(
                      "tests/integration/pipelines/data/secret-volume-init-containers.yaml"),
                  {"--secret", "creds=" + secret_dir(value).string()});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(result.step("pod")["outputs"]["parameters"]["out"],
              "none mirrored-" + std::to_string(value.size()) + "-input-bytes");
}

}  // namespace
}  // namespace kfrun::testing
