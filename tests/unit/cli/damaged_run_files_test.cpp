// Files kfrun wrote itself — report.json, the step spec files — read back after someone damaged
// or edited them: a field of another type is a clear error or a default, never nlohmann's
// type_error ending kfrun in "internal error" (exit 70).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "cli/log_stream.hpp"
#include "cli/replay_source.hpp"
#include "cli/step_inspection.hpp"
#include "cli/step_lookup.hpp"
#include "cli/step_spec_file.hpp"
#include "cli/step_target.hpp"

namespace kfrun::cli {
namespace {

using nlohmann::json;

json good_report() {
    return json::parse(R"({
      "runId": "r1", "workflowName": "wf-abc",
      "steps": [
        {"id": "n1", "name": "make", "label": "make", "nodeName": "wf-abc.make",
         "phase": "Succeeded", "exitCode": 0, "cache": "miss",
         "outputs": {"parameters": {"p": "1"}, "result": "hi",
                     "artifacts": [{"name": "data", "path": "/out", "kind": "file",
                                    "sha256": "ff", "size": 3, "files": 1}]}}
      ]})");
}

TEST(DamagedReport, PreviousResultsReadsAGoodReport) {
    auto previous = previous_results(good_report());
    ASSERT_TRUE(previous.ok()) << previous.error().to_string();
    ASSERT_EQ(previous->count("make"), 1u);
    const engine::NodeOutputs& outputs = previous->at("make").outputs;
    EXPECT_EQ(outputs.parameters.at(0).second, "1");
    EXPECT_EQ(outputs.result, "hi");
    EXPECT_EQ(outputs.exit_code, 0);
    ASSERT_EQ(outputs.artifacts.size(), 1u);
    EXPECT_EQ(outputs.artifacts[0].artifact.digest, "ff");
}

TEST(DamagedReport, AnOutputOfAnotherTypeIsAnErrorNamingItsPlace) {
    // `kfrun run --resume` and --only/--from threw type_error.302 on each of these.
    const std::vector<std::pair<std::string, json>> damage = {
        {"/steps/0/outputs/parameters/p", 1},
        {"/steps/0/outputs/result", json::array()},
        {"/steps/0/outputs/artifacts/0/sha256", nullptr},
        {"/steps/0/outputs/artifacts", "x"},
        {"/steps/0/outputs", 7},
        {"/steps/0", "step"},
        {"/steps", {{"a", 1}}},
    };
    for (const auto& [pointer, value] : damage) {
        json report = good_report();
        report[json::json_pointer(pointer)] = value;
        std::optional<base::Result<std::map<std::string, engine::PreviousResult>>> previous;
        ASSERT_NO_THROW(previous.emplace(previous_results(report))) << pointer;
        ASSERT_FALSE(previous->ok()) << pointer;
        EXPECT_NE(previous->error().message.find("the report is damaged: steps"), std::string::npos)
            << previous->error().message;
    }
    json report = good_report();
    report[json::json_pointer("/steps/0/outputs/parameters/p")] = 1;
    EXPECT_EQ(previous_results(report).error().message,
              "the report is damaged: steps[0].outputs.parameters.p is not a string");
}

TEST(DamagedReport, CosmeticFieldsOfAnotherTypeReadAsAbsent) {
    json report = good_report();
    report["workflowName"] = 5;
    report["steps"][0]["phase"] = {{"x", 1}};
    report["steps"][0]["exitCode"] = "zero";
    report["steps"][0]["outputs"]["artifacts"][0]["size"] = "big";
    auto previous = previous_results(report);
    ASSERT_TRUE(previous.ok()) << previous.error().to_string();
    ASSERT_EQ(previous->count("wf-abc.make"), 1u);
    EXPECT_EQ(previous->at("wf-abc.make").phase, engine::NodePhase::Failed);
    EXPECT_FALSE(previous->at("wf-abc.make").outputs.exit_code.has_value());
}

TEST(DamagedReport, FindingAndInspectingAStepReadsFieldsOfAnotherTypeAsAbsent) {
    // `kfrun inspect` and `kfrun shell` threw type_error.302/306/307 on these.
    json report = good_report();
    report["runId"] = 1;
    report["steps"].push_back(3);  // not a step
    report["steps"].push_back({{"id", {{"x", 1}}}, {"label", 2}, {"phase", nullptr}});
    report["steps"][0]["cache"] = 1;
    report["steps"][0]["cacheKey"] = json::array();
    report["steps"][0]["message"] = 4;
    report["steps"][0]["inputs"] = "none";
    report["steps"][0]["outputs"] = json::array({1, 2});
    report["steps"][0]["cachedFromRun"] = 9;
    report["steps"][0]["cacheSavedMs"] = "long";
    std::optional<base::Result<json>> found;
    ASSERT_NO_THROW(found.emplace(find_report_step(report, "make")));
    ASSERT_TRUE(found->ok()) << found->error().to_string();
    auto missing = find_report_step(report, "nope");
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("no step `nope` in run ;"), std::string::npos)
        << missing.error().message;

    StepTarget target;
    target.run_id = "r1";
    target.report = report;
    target.step = **found;
    json doc;
    ASSERT_NO_THROW(doc = inspect_step(target, nullptr, "no spec", nullptr));
    EXPECT_EQ(doc["step"]["message"], "");
    EXPECT_EQ(doc["inputs"], json::object());
    EXPECT_EQ(doc["outputs"], json::object());
    EXPECT_EQ(doc["cache"]["savedMs"], 0);
    ASSERT_NO_THROW((void)load_step_spec(target));
    EXPECT_FALSE(load_step_spec(target).ok());
}

// A node id carries the workflow's name. `metadata.name: ../../../tmp/x` made kfrun write the
// step's spec file to /tmp as root; a damaged report's step id is read back through the same path.
TEST(StepSpecPath, ANodeIdThatIsNoFileNameStaysInTheSpecsFolder) {
    const std::filesystem::path run = "/data/runs/r1";
    EXPECT_EQ(step_spec_path(run, "wf-abc-123"), run / "specs" / "wf-abc-123.json");
    for (const char* id : {"../../../tmp/x-1", "/etc/cron.d/x", "..", "", "a/b"}) {
        std::filesystem::path path = step_spec_path(run, id);
        EXPECT_EQ(path.parent_path(), run / "specs") << id << " -> " << path;
        EXPECT_EQ(path.filename().string().rfind("sha256-", 0), 0u) << path;
    }
}

// Log files are named after node ids too: a 253-character workflow name (valid for Kubernetes)
// made "<name>-<hash>.log" longer than a file name may be, and the step's log was lost.
TEST(StepLogFileName, EveryNodeIdNamesOneShortFileInLogs) {
    EXPECT_EQ(step_log_file_name("wf-abc-123"), "wf-abc-123.log");
    const std::string long_id = std::string(253, 'a') + "-4294967295";
    for (const std::string& id : {long_id, std::string("../../tmp/x-1"), std::string("")}) {
        const std::string name = step_log_file_name(id);
        EXPECT_LE(name.size(), 255u) << name;
        EXPECT_EQ(name.find('/'), std::string::npos) << name;
        EXPECT_EQ(name.rfind("sha256-", 0), 0u) << name;
    }
}

class DamagedStepSpecFile : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir = std::filesystem::temp_directory_path() /
                ("kfrun-damaged-spec-" + std::to_string(::getpid()));
        std::filesystem::create_directories(m_dir);
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }
    std::filesystem::path write(const json& doc) {
        std::filesystem::path path = m_dir / "spec.json";
        std::ofstream(path) << doc.dump();
        return path;
    }
    std::filesystem::path m_dir;
};

TEST_F(DamagedStepSpecFile, AFormatOrVersionOfAnotherTypeIsAClearError) {
    // value("format", "") and value("version", 0) threw type_error.302.
    std::optional<base::Result<StepSpecFile>> read;
    ASSERT_NO_THROW(read.emplace(read_step_spec_file(write({{"format", 1}}))));
    ASSERT_FALSE(read->ok());
    EXPECT_NE(read->error().message.find("not a kfrun step spec file"), std::string::npos);
    read.reset();
    ASSERT_NO_THROW(read.emplace(
        read_step_spec_file(write({{"format", k_step_spec_format}, {"version", "1"}}))));
    ASSERT_FALSE(read->ok());
    EXPECT_NE(read->error().message.find("step spec format version \"1\" is not known"),
              std::string::npos)
        << read->error().message;
}

}  // namespace
}  // namespace kfrun::cli
