// Every expectation kind passing, and failing with a readable expected-vs-actual message (and a
// diff for text).
#include <fstream>

#include "expectation_checker_fixture.hpp"
#include "harness/golden_file.hpp"

namespace kfrun::harness {
namespace {

const char* k_header = "component: c.yaml\ncases:\n  - name: c\n    expect:\n";

TEST_F(CheckerTest, StatusSucceededIsImpliedAndPasses) {
    add_step("add");
    auto results = check(std::string(k_header) + "      {}\n");
    ASSERT_EQ(results.size(), 1u);
    EXPECT_TRUE(results[0].passed);
    EXPECT_EQ(results[0].check, "status Succeeded");
}

TEST_F(CheckerTest, UnexpectedFailureShowsTheFailedStepAndItsLastLogLines) {
    nlohmann::json& step = add_step("add", "Failed", 1);
    step["message"] = "Error (exit code 1)";
    step["logTail"] = "Traceback (most recent call last):\nValueError: bad input\n";
    m_evidence.report["status"] = "Failed";
    auto results = check(std::string(k_header) + "      {}\n");
    ASSERT_EQ(failures(results), 1);
    EXPECT_EQ(results[0].message, "expected Succeeded, got Failed");
    EXPECT_NE(results[0].diff.find("step add Failed: Error (exit code 1)"), std::string::npos)
        << results[0].diff;
    EXPECT_NE(results[0].diff.find("    ValueError: bad input"), std::string::npos)
        << results[0].diff;
}

TEST_F(CheckerTest, ExpectedFailureWithExitCode) {
    add_step("add", "Failed", 2);
    m_evidence.report["status"] = "Failed";
    auto results = check(std::string(k_header) + "      {status: Failed, exit-code: 2}\n");
    EXPECT_EQ(failures(results), 0) << describe(results);
    results = check(std::string(k_header) + "      {phase: Failed, exit-code: 1}\n");
    ASSERT_EQ(failures(results), 1) << describe(results);
    EXPECT_EQ(find(results, "1")->message, "expected 1, got 2");
}

TEST_F(CheckerTest, OutputParameterEqualsRegexJsonAndNumber) {
    nlohmann::json& step = add_step("add");
    step["outputs"]["parameters"]["add-Sum"] = "5";
    step["outputs"]["parameters"]["add-Doc"] = R"({"a": {"b": [1, 2]}, "c": "x"})";
    auto results = check(std::string(k_header) + R"(      outputs:
        Sum: 5
        add-Sum: {regex: "^[0-9]+$", number: 5.04, tolerance: 0.05}
        Doc: {json: {a: {b: [1, 2]}}, contains: '"c"'}
)");
    EXPECT_EQ(failures(results), 0) << describe(results);
    EXPECT_EQ(results.size(), 6u) << describe(results);
}

TEST_F(CheckerTest, OutputParameterJsonPath) {
    nlohmann::json& step = add_step("build");
    step["outputs"]["parameters"]["build-Output"] = R"({"model": {"layers": 3}, "tags": ["a"]})";
    auto results = check(std::string(k_header) + R"(      outputs:
        Output: {json-path: {"$.model.layers": 3, "$.tags[0]": a}}
)");
    EXPECT_EQ(failures(results), 0) << describe(results);
    results = check(std::string(k_header) + R"(      outputs:
        Output: {json-path: {"$.model.layers": 4}}
)");
    ASSERT_EQ(failures(results), 1) << describe(results);
    EXPECT_EQ(find(results, "json-path $.model.layers")->message, "expected 4, got 3");
}

TEST_F(CheckerTest, OutputMismatchesSayExpectedAndActual) {
    nlohmann::json& step = add_step("add");
    step["outputs"]["parameters"]["add-Sum"] = "6";
    step["outputs"]["parameters"]["add-Doc"] = R"({"a": 2})";
    auto results = check(std::string(k_header) + R"(      outputs:
        Sum: {equals: "5", number: 5, tolerance: 0.5, regex: "^5"}
        Doc: {json: {a: 1}}
)");
    ASSERT_EQ(failures(results), 4) << describe(results);
    EXPECT_EQ(find(results, "equals")->message, "expected \"5\", got \"6\"");
    EXPECT_EQ(find(results, "equals")->subject, "output Sum");
    EXPECT_EQ(find(results, "equals")->where, m_dir.path().string() + "/t.kfrun-test.yaml:6:14");
    EXPECT_EQ(find(results, "number")->message, "expected 5 ± 0.5, got 6");
    EXPECT_EQ(find(results, "regex")->message, "expected a match for /^5/, got \"6\"");
    const CheckResult* json = find(results, "json subset");
    EXPECT_EQ(json->message, "at $.a: expected 1, got 2");
    EXPECT_NE(json->diff.find("-  \"a\": 1\n+  \"a\": 2"), std::string::npos) << json->diff;
}

TEST_F(CheckerTest, MultiLineValuesFailWithADiff) {
    nlohmann::json& step = add_step("add");
    step["outputs"]["artifacts"].push_back(artifact("add-Report", "a\nb\nc\n"));
    auto results = check(std::string(k_header) + R"(      outputs:
        Report: {equals: "a\nB\nc"}
)");
    ASSERT_EQ(failures(results), 1);
    EXPECT_EQ(results.back().diff, "--- expected\n+++ actual\n@@ -1,3 +1,3 @@\n a\n-B\n+b\n c\n");
}

TEST_F(CheckerTest, OutputByComponentNameReadsTheArtifact) {
    nlohmann::json& step = add_step("calculate-data-hash");
    step["outputs"]["artifacts"].push_back(artifact("calculate-data-hash-Hash", "abc123\n"));
    m_evidence.output_names["Hash"] = "calculate-data-hash-Hash";
    auto results = check(std::string(k_header) + "      outputs: {Hash: abc123}\n");
    EXPECT_EQ(failures(results), 0) << describe(results);
}

TEST_F(CheckerTest, UnknownOutputListsTheStepsOutputs) {
    nlohmann::json& step = add_step("add");
    step["outputs"]["parameters"]["add-Sum"] = "5";
    auto results = check(std::string(k_header) + "      outputs: {Total: 5}\n");
    ASSERT_EQ(failures(results), 1);
    EXPECT_EQ(results.back().message, "step add has no output `Total`; its outputs: add-Sum");
}

TEST_F(CheckerTest, ArtifactExistsContainsJsonPathAndEquals) {
    nlohmann::json& step = add_step("train");
    step["outputs"]["artifacts"].push_back(
        artifact("train-model", R"({"w": [0.5, 1.5], "kind": "linear"})"));
    auto results = check(std::string(k_header) + R"(      artifacts:
        model: {exists: true, contains: linear, json-path: {"$.w[1]": 1.5, "$.kind": linear}}
        train-missing: {exists: false}
)");
    EXPECT_EQ(failures(results), 0) << describe(results);
    results = check(std::string(k_header) + R"(      artifacts:
        model: {json-path: {"$.w[0]": 2, "$.b": 1}}
        missing: {exists: true, contains: x}
)");
    ASSERT_EQ(failures(results), 3) << describe(results);
    EXPECT_EQ(find(results, "json-path $.w[0]")->message, "expected 2, got 0.5");
    EXPECT_NE(find(results, "json-path $.b")->message.find("no value at $.b"), std::string::npos);
    EXPECT_NE(find(results, "exists")->message.find("has no output artifact `missing`"),
              std::string::npos);
}

TEST_F(CheckerTest, DirectoryArtifactsExistButHaveNoText) {
    nlohmann::json& step = add_step("export");
    step["outputs"]["artifacts"].push_back(
        {{"name", "export-model"}, {"sha256", "0"}, {"size", 3}, {"kind", "directory"}});
    auto results = check(std::string(k_header) + R"(      artifacts:
        model: {exists: true, contains: x}
)");
    ASSERT_EQ(failures(results), 1) << describe(results);
    EXPECT_NE(results.back().message.find("is a directory"), std::string::npos);
}

TEST_F(CheckerTest, GoldenFileEqualMissingDifferentAndUpdated) {
    nlohmann::json& step = add_step("hash");
    step["outputs"]["artifacts"].push_back(artifact("hash-Hash", "line 1\nline 2\n"));
    const std::string text = std::string(k_header) +
                             "      artifacts: {Hash: {golden: golden/hash.txt}}\n";
    const std::filesystem::path golden = m_dir.path() / "golden/hash.txt";

    auto results = check(text);
    ASSERT_EQ(failures(results), 1);
    EXPECT_NE(results.back().message.find("does not exist; `kfrun test --update-golden`"),
              std::string::npos)
        << results.back().message;

    std::filesystem::create_directories(golden.parent_path());
    std::ofstream(golden) << "line 1\nline two\n";
    results = check(text);
    ASSERT_EQ(failures(results), 1);
    EXPECT_EQ(results.back().diff,
              "--- expected (golden/hash.txt)\n+++ actual (artifact Hash)\n@@ -1,2 +1,2 @@\n"
              " line 1\n-line two\n+line 2\n");

    results = check(text, true);
    ASSERT_EQ(failures(results), 0);
    ASSERT_TRUE(results.back().golden_update);
    EXPECT_EQ(results.back().golden_update->path, golden);
    ASSERT_TRUE(write_golden(*results.back().golden_update).ok());
    results = check(text);
    EXPECT_EQ(failures(results), 0) << describe(results);
    EXPECT_FALSE(results.back().golden_update);
}

TEST_F(CheckerTest, MetricConditions) {
    nlohmann::json& step = add_step("train");
    step["metrics"] = {{{"name", "accuracy"}, {"numberValue", 0.85}},
                       {{"name", "loss"}, {"numberValue", 0.2}}};
    auto results = check(std::string(k_header) +
                         "      metrics: [\"loss < 0.5\", \"accuracy >= 0.9\", \"f1 > 0\"]\n");
    ASSERT_EQ(failures(results), 2) << describe(results);
    EXPECT_EQ(find(results, ">= 0.9")->message, "expected accuracy >= 0.9, got 0.85");
    EXPECT_EQ(find(results, "> 0")->message, "no metric `f1`; metrics: accuracy, loss");
}

TEST_F(CheckerTest, UiMetadataViewerTypes) {
    nlohmann::json& step = add_step("evaluate");
    step["uiMetadata"] = {{{"type", "table"}}, {{"type", "markdown"}}};
    auto results = check(std::string(k_header) + "      ui-metadata: [markdown, roc]\n");
    ASSERT_EQ(failures(results), 1) << describe(results);
    EXPECT_EQ(results.back().message, "no `roc` viewer; the step's viewers: table, markdown");
}

TEST_F(CheckerTest, LogsContainAndDoNotContain) {
    nlohmann::json& step = add_step("add");
    set_log(step, "starting\nWARNING: slow\nsum is 5\n");
    auto results = check(std::string(k_header) +
                         "      logs: {contains: [sum is 5], not-contains: [Traceback]}\n");
    EXPECT_EQ(failures(results), 0) << describe(results);
    results = check(std::string(k_header) +
                    "      logs: {contains: sum is 6, not-contains: WARNING}\n");
    ASSERT_EQ(failures(results), 2) << describe(results);
    EXPECT_NE(find(results, "contains")->message.find("expected the log to contain \"sum is 6\""),
              std::string::npos);
    EXPECT_EQ(find(results, "does not contain")->message,
              "the log contains \"WARNING\" in: \"WARNING: slow\"");
}

TEST_F(CheckerTest, CacheSecondRunMustHitEveryStep) {
    add_step("add");
    auto results = check(std::string(k_header) + "      cache: second-run-hits\n");
    ASSERT_EQ(failures(results), 1);
    EXPECT_EQ(results.back().message, "the case was not run a second time");

    nlohmann::json second = m_evidence.report;
    second["steps"][0]["cache"] = "hit";
    m_evidence.second_report = second;
    EXPECT_EQ(failures(check(std::string(k_header) + "      cache: second-run-hits\n")), 0);

    second["steps"][0]["cache"] = "miss";
    second["steps"][0]["cacheMissReasons"] = {"args: [1] → [2]"};
    m_evidence.second_report = second;
    results = check(std::string(k_header) + "      cache: second-run-hits\n");
    ASSERT_EQ(failures(results), 1);
    EXPECT_EQ(results.back().message,
              "1 of 1 steps ran again on the second run: add (miss: args: [1] → [2])");
}

TEST_F(CheckerTest, PipelineStepsByNameCoverEveryLoopIteration) {
    for (const char* accuracy : {"0.95", "0.5"}) {
        nlohmann::json& step = add_step("train");
        step["label"] = std::string("for-loop-1(") + accuracy + ")/train";
        step["outputs"]["parameters"]["train-Output"] = accuracy;
    }
    m_evidence.report["metrics"] = {
        {{"step", "evaluate"}, {"name", "best-accuracy"}, {"numberValue", 0.95}}};
    const std::string text = R"(pipeline: p.yaml
cases:
  - name: c
    expect:
      metrics: ["best-accuracy >= 0.9"]
      steps:
        train: {outputs: {Output: {number: 0.9, tolerance: 0.1}}}
        deploy: {phase: Succeeded}
)";
    auto results = check(text);
    ASSERT_EQ(failures(results), 2) << describe(results);
    const CheckResult* failed = nullptr;
    for (const CheckResult& result : results) {
        if (!result.passed && result.check.rfind("number", 0) == 0) {
            failed = &result;
        }
    }
    ASSERT_NE(failed, nullptr);
    EXPECT_EQ(failed->subject, "step for-loop-1(0.5)/train: output Output");
    EXPECT_EQ(failed->message, "expected 0.9 ± 0.1, got 0.5");
    EXPECT_NE(find(results, "exists")->message.find("no step named `deploy`"), std::string::npos);
    EXPECT_TRUE(find(results, ">= 0.9")->passed);
}

}  // namespace
}  // namespace kfrun::harness
