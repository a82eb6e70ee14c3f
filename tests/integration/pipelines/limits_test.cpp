// Limits against the real daemon (issue 16 finding 7): an output parameter file larger than
// output-parameter-bytes is refused from its size, before a byte of it reaches the store, both
// when outputs are read from the container's layers and through GET /archive.
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

// Bytes the files under `dir` occupy on disk (blocks, so sparse files count what they use).
std::uint64_t disk_usage(const std::filesystem::path& dir) {
    std::uint64_t total = 0;
    std::error_code error;
    if (!std::filesystem::exists(dir, error)) {
        return 0;
    }
    for (auto it = std::filesystem::recursive_directory_iterator(dir, error);
         !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
        struct stat info {};
        if (::lstat(it->path().c_str(), &info) == 0) {
            total += static_cast<std::uint64_t>(info.st_blocks) * 512;
        }
    }
    return total;
}

class Limits : public ::testing::TestWithParam<const char*> {
  protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
        if (std::string(GetParam()) == "archive") {
            ::setenv("KFRUN_OUTPUT_READS", "archive", 1);
        }
    }
    void TearDown() override { ::unsetenv("KFRUN_OUTPUT_READS"); }
    KfrunProcess kfrun;
};

TEST_P(Limits, ASparseTwoGibOutputParameterIsRefusedBeforeItIsRead) {
    std::uint64_t before = disk_usage(kfrun.cache_dir()) + disk_usage(kfrun.data_dir());
    KfrunResult result = kfrun.run(
        KfrunProcess::fixture("tests/integration/pipelines/data/sparse-output-parameter.yaml")
            .string());
    std::uint64_t after = disk_usage(kfrun.cache_dir()) + disk_usage(kfrun.data_dir());
    EXPECT_NE(result.exit_code, 0) << result.output;
    ASSERT_TRUE(result.report.is_object()) << result.output;
    const auto& step = result.report["steps"].at(0);
    EXPECT_EQ(step["phase"], "Error") << step.dump(2);
    std::string message = step["message"].get<std::string>();
    EXPECT_NE(message.find("output parameter `huge`: /tmp/out is 2147483648 bytes, more than an "
                           "output parameter may be (limit output-parameter-bytes=16MiB; raise "
                           "it with --limit output-parameter-bytes=VALUE)"),
              std::string::npos)
        << message;
    EXPECT_LT(after - std::min(after, before), 16u << 20)
        << "the store grew by " << (after - before) << " bytes";
}

INSTANTIATE_TEST_SUITE_P(OutputReads, Limits, ::testing::Values("layers", "archive"));

}  // namespace
}  // namespace kfrun::testing
