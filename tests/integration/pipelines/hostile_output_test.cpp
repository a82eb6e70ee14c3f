// Step output kfrun must survive and show safely (issue 16, findings 3 and 15): an output
// parameter that is not valid UTF-8 (it aborted kfrun: type_error.316 on the cache writer
// thread, exit 134, no report, the run Running forever), escape sequences in log lines, and
// step labels with a tab or a newline (they broke logs/steps.tsv).
#include <algorithm>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

const std::string k_fffd = "\xEF\xBF\xBD";

class HostileOutput : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
    }
    KfrunProcess kfrun;
};

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST_F(HostileOutput, AnInvalidUtf8OutputAndEscapeSequencesEndTheRunNormally) {
    KfrunResult result = kfrun.run(
        KfrunProcess::fixture("tests/integration/pipelines/data/hostile-output.yaml").string());
    ASSERT_EQ(result.exit_code, 0) << result.output;
    // report.json is written and is valid JSON (KfrunProcess parses it without exceptions).
    ASSERT_TRUE(result.report.is_object()) << result.output;
    EXPECT_EQ(result.report["status"], "Succeeded");
    const std::string run_id = result.report["runId"];
    // The value as Argo carries it in the workflow status (Go's encoding/json): U+FFFD.
    EXPECT_EQ(result.step("produce")["outputs"]["parameters"]["out"], "x" + k_fffd + "y");
    EXPECT_EQ(result.step("consume")["outputs"]["parameters"]["seen"], "x" + k_fffd + "y");

    // The console shows the escape sequences instead of sending them.
    EXPECT_EQ(result.output.find('\x1b'), std::string::npos) << result.output;
    EXPECT_EQ(result.output.find('\x07'), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("\\x1b[31mred\\x1b]0;owned\\x07\\x1b[2J"), std::string::npos)
        << result.output;
    EXPECT_NE(result.output.find("label(1:c\\x0ad)"), std::string::npos) << result.output;

    // Nothing is left: no container, and the history says how the run ended.
    EXPECT_TRUE(containers_of_run(run_id).empty());
    KfrunResult listed =
        kfrun.exec({"runs", "list", "-o", "json", "--data-dir", kfrun.data_dir().string()});
    auto runs = nlohmann::json::parse(listed.output, nullptr, false);
    ASSERT_TRUE(runs.is_array() && runs.size() == 1u) << listed.output;
    EXPECT_EQ(runs.front()["status"], "Succeeded");

    // logs/steps.tsv: one line a step, whatever its label holds; `kfrun logs` reads the labels
    // back. The log files keep the step's bytes as written.
    const std::string index = read_file(result.report_dir / "logs" / "steps.tsv");
    std::istringstream lines(index);
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
        ++count;
        EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 1) << line;
    }
    EXPECT_EQ(count, 3) << index;  // produce and the two loop steps (consume logs nothing)
    const std::string produce_id = result.step("produce")["id"];
    EXPECT_NE(read_file(result.report_dir / "logs" / (produce_id + ".log")).find("\x1b[31mred"),
              std::string::npos);
    KfrunResult logs = kfrun.exec({"logs", run_id, "--data-dir", kfrun.data_dir().string()});
    ASSERT_EQ(logs.exit_code, 0) << logs.output;
    EXPECT_EQ(logs.output.find('\x1b'), std::string::npos) << logs.output;
    EXPECT_NE(logs.output.find("── label(0:a\tb)"), std::string::npos) << logs.output;
    EXPECT_NE(logs.output.find("── label(1:c\\x0ad)"), std::string::npos) << logs.output;
    KfrunResult one =
        kfrun.exec({"logs", run_id, "label(1:c\nd)", "--data-dir", kfrun.data_dir().string()});
    EXPECT_EQ(one.exit_code, 0) << one.output;
    EXPECT_NE(one.output.find("said c"), std::string::npos) << one.output;
}

}  // namespace
}  // namespace kfrun::testing
