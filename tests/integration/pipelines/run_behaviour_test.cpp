// How a run behaves end to end: outputs, artifacts, failures, deadlines, cleanup, networks.
#include <archive.h>
#include <archive_entry.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

class RunBehaviour : public ::testing::Test {
protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
    }
    std::string data(const std::string& name) {
        return KfrunProcess::fixture("tests/integration/pipelines/data/" + name).string();
    }
    KfrunProcess kfrun;
};

TEST_F(RunBehaviour, PassesParametersAndArtifactsBetweenSteps) {
    KfrunResult result = kfrun.run(data("artifacts.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    ASSERT_TRUE(result.report.is_object());
    EXPECT_EQ(result.report["status"], "Succeeded");
    const auto& produce = result.step("produce");
    // Exactly one trailing newline is removed; "\r" stays; a missing file takes the default.
    EXPECT_EQ(produce["outputs"]["parameters"]["file"], "hello world");
    EXPECT_EQ(produce["outputs"]["parameters"]["two"], "two\n");
    EXPECT_EQ(produce["outputs"]["parameters"]["crlf"], "crlf\r");
    EXPECT_EQ(produce["outputs"]["parameters"]["fallback"], "used default");
    bool saw_file = false;
    for (const auto& artifact : produce["outputs"]["artifacts"]) {
        if (artifact["name"] == "file") {
            saw_file = true;
            EXPECT_EQ(artifact["sha256"], sha256_of("hello world\n"));
            EXPECT_EQ(artifact["size"], 12);
        }
        if (artifact["name"] == "tree") {
            EXPECT_EQ(artifact["kind"], "directory");
            EXPECT_EQ(artifact["files"], 2);
        }
    }
    EXPECT_TRUE(saw_file);
    // The consumer saw the file at a path whose parents the image lacks, the directory with
    // its children, and the raw input with its placeholder substituted.
    EXPECT_EQ(result.step("consume")["outputs"]["parameters"]["summary"],
              "hello world\n./sub/y ./x xyraw hello");
}

TEST_F(RunBehaviour, ParameterOverridesReachTheSteps) {
    KfrunResult result = kfrun.run(data("artifacts.yaml"), {"-p", "greeting=bonjour"});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(result.report["parameters"]["greeting"], "bonjour");
    EXPECT_EQ(result.step("produce")["outputs"]["parameters"]["file"], "bonjour world");
}

TEST_F(RunBehaviour, AFailedStepOmitsItsDependentsButNotOtherBranches) {
    KfrunResult result = kfrun.run(data("failing-branch.yaml"));
    EXPECT_EQ(result.exit_code, 1) << result.output;
    ASSERT_TRUE(result.report.is_object()) << result.output;
    EXPECT_EQ(result.report["status"], "Failed");
    EXPECT_EQ(result.step("a")["phase"], "Succeeded");
    EXPECT_EQ(result.step("a")["outputs"]["parameters"]["out"], "from a");
    const auto& b = result.step("b");
    EXPECT_EQ(b["phase"], "Failed");
    EXPECT_EQ(b["exitCode"], 3);
    EXPECT_EQ(b["message"], "Error (exit code 3)");
    EXPECT_EQ(result.step("c")["phase"], "Omitted");
    EXPECT_EQ(result.step("d")["phase"], "Succeeded");
    EXPECT_EQ(result.step("d")["inputs"]["parameters"]["text"], "from a then d");
    // A declared output the step never wrote is kfrun's (Argo's wait container's) error.
    const auto& e = result.step("e");
    EXPECT_EQ(e["phase"], "Error");
    EXPECT_NE(e["message"].get<std::string>().find("/tmp/not-there"), std::string::npos);
    // Logs are kept per step, stdout and stderr both.
    std::ifstream log(result.report_dir / result.step("a")["logFile"].get<std::string>());
    std::stringstream text;
    text << log.rdbuf();
    EXPECT_NE(text.str().find("wrote it"), std::string::npos);
    EXPECT_NE(text.str().find("to-stderr"), std::string::npos);
}

TEST_F(RunBehaviour, ADeadlineStopsTheStepAndTheRestFinishes) {
    auto started = std::chrono::steady_clock::now();
    KfrunResult result = kfrun.run(data("deadline.yaml"));
    auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(result.exit_code, 1) << result.output;
    const auto& slow = result.step("slow");
    EXPECT_EQ(slow["phase"], "Failed");
    EXPECT_NE(slow["message"].get<std::string>().find("deadline"), std::string::npos);
    EXPECT_EQ(result.step("quick")["phase"], "Succeeded");
    // The 30 s sleep was stopped long before it would have ended by itself.
    EXPECT_LT(elapsed, std::chrono::seconds(25));
}

TEST_F(RunBehaviour, TheHistoryShowsARunAsRunningWhileItRunsAndOnceWhenItEnds) {
    const std::filesystem::path file = kfrun.work_dir() / "slow.yaml";
    std::ofstream(file) << R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: slow-}
spec:
  entrypoint: slow
  templates:
  - name: slow
    container: {image: busybox, command: [sh, -c, 'sleep 3']}
)";
    KfrunResult result;
    std::thread running([&] { result = kfrun.run(file.string(), {"--no-cache"}); });
    KfrunProcess lister;  // its own work dir; the same data dir
    std::string seen;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(2500);
    while (seen != "Running" && std::chrono::steady_clock::now() < give_up) {
        KfrunResult listed =
            lister.exec({"runs", "list", "-o", "json", "--data-dir", kfrun.data_dir().string()});
        auto runs = nlohmann::json::parse(listed.output, nullptr, false);
        if (runs.is_array() && !runs.empty()) {
            seen = runs.front().value("status", "");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    running.join();
    EXPECT_EQ(seen, "Running") << "the run was not listed while its step slept";
    ASSERT_EQ(result.exit_code, 0) << result.output;
    KfrunResult listed =
        lister.exec({"runs", "list", "-o", "json", "--data-dir", kfrun.data_dir().string()});
    auto runs = nlohmann::json::parse(listed.output, nullptr, false);
    ASSERT_TRUE(runs.is_array()) << listed.output;
    ASSERT_EQ(runs.size(), 1u) << listed.output;
    EXPECT_EQ(runs.front()["status"], "Succeeded");
    EXPECT_EQ(runs.front()["runId"], result.report["runId"]);
}

TEST_F(RunBehaviour, LeavesNoContainerBehindUnlessAsked) {
    KfrunResult result = kfrun.run(data("artifacts.yaml"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    std::string run_id = result.report["runId"];
    EXPECT_TRUE(containers_of_run(run_id).empty());

    KfrunResult kept = kfrun.run(data("artifacts.yaml"), {"--keep-containers", "--no-cache"});
    ASSERT_EQ(kept.exit_code, 0) << kept.output;
    std::vector<std::string> left = containers_of_run(kept.report["runId"]);
    EXPECT_EQ(left.size(), 2u);  // both steps; the network sandbox is always removed
    remove_containers_of_run(kept.report["runId"]);
}

TEST_F(RunBehaviour, RunsInEveryNetworkMode) {
    for (const char* mode : {"pod", "bridge", "none"}) {
        KfrunResult result = kfrun.run(data("artifacts.yaml"), {"--network", mode, "--no-cache"});
        EXPECT_EQ(result.exit_code, 0) << mode << "\n" << result.output;
        EXPECT_EQ(result.step("consume")["outputs"]["parameters"]["summary"],
                  "hello world\n./sub/y ./x xyraw hello")
            << mode;
    }
}

TEST_F(RunBehaviour, AMissingImageFailsItsStepNamingTheImageAndTheFlag) {
    KfrunResult result =
        kfrun.run(data("artifacts.yaml"), {"--image-map", "busybox=kfrun-fixtures/absent:1"});
    EXPECT_EQ(result.exit_code, 1) << result.output;
    const auto& produce = result.step("produce");
    EXPECT_EQ(produce["phase"], "Error");
    std::string message = produce["message"];
    EXPECT_NE(message.find("kfrun-fixtures/absent:1"), std::string::npos) << message;
    EXPECT_NE(message.find("--image-map"), std::string::npos) << message;
    EXPECT_EQ(result.step("consume")["phase"], "Omitted");
}

// Writes a .tar.gz holding one file, as the KFP v1 compiler packages pipeline.yaml.
void write_package(const std::filesystem::path& out, const std::string& member,
                   const std::string& content) {
    archive* writer = archive_write_new();
    archive_write_add_filter_gzip(writer);
    archive_write_set_format_pax_restricted(writer);
    archive_write_open_filename(writer, out.c_str());
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, member.c_str());
    archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_write_header(writer, entry);
    archive_write_data(writer, content.data(), content.size());
    archive_entry_free(entry);
    archive_write_close(writer);
    archive_write_free(writer);
}

TEST_F(RunBehaviour, RunsACompiledPackage) {
    std::ifstream in(data("artifacts.yaml"));
    std::stringstream yaml;
    yaml << in.rdbuf();
    std::filesystem::path package = kfrun.work_dir() / "pipeline.tar.gz";
    write_package(package, "pipeline.yaml", yaml.str());
    KfrunResult result = kfrun.run(package.string());
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(result.step("consume")["outputs"]["parameters"]["summary"],
              "hello world\n./sub/y ./x xyraw hello");
}

}  // namespace
}  // namespace kfrun::testing
