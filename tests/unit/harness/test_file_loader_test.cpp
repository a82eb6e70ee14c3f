// The test-file format: a full file loads into the model; every mistake names file:line:col.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "harness/test_file_loader.hpp"

namespace kfrun::harness {
namespace {

const std::filesystem::path k_file = "/repo/components/add/add.kfrun-test.yaml";

TestSuite load_ok(const std::string& text, const std::filesystem::path& file = k_file) {
    auto suite = load_test_text(text, file);
    EXPECT_TRUE(suite.ok()) << (suite.ok() ? "" : suite.error().to_string());
    return suite.ok() ? std::move(suite.value()) : TestSuite{};
}

// The error's "file:line:col: message".
std::string load_error(const std::string& text) {
    auto suite = load_test_text(text, k_file);
    EXPECT_FALSE(suite.ok()) << "expected an error";
    if (suite.ok()) {
        return "";
    }
    EXPECT_EQ(suite.error().kind, base::ErrorKind::Input);
    return suite.error().to_string();
}

TEST(TestFileLoader, LoadsAComponentSuiteWithEveryExpectationKind) {
    TestSuite suite = load_ok(R"(component: component.yaml
image-map: {"python:3.9": "kfrun-fixtures/python:3"}
image-map-file: maps/image-map.txt
inputs: {b: 1}
cases:
  - name: adds
    inputs:
      a: 2
      data: {file: data/in.csv}
      config: {x: 1}
      literal: {value: "{file: not a file}"}
    timeout: 2m
    expect:
      status: Succeeded
      phase: Succeeded
      exit-code: 0
      outputs:
        Sum: 3
        Text: {regex: "^a", contains: [b, c], json: {k: 1}, number: 3.5, tolerance: 0.1}
      artifacts:
        Sum: {exists: true, golden: golden/sum.txt, json-path: {"$.a": 1}, equals: "3"}
      metrics: ["accuracy >= 0.9", "loss < 0.5"]
      ui-metadata: [markdown, table]
      logs: {contains: done, not-contains: [Traceback]}
      cache: second-run-hits
)");
    EXPECT_EQ(suite.name, "add");
    EXPECT_EQ(suite.subject, TestSuite::Subject::Component);
    EXPECT_EQ(suite.subject_file, "/repo/components/add/component.yaml");
    EXPECT_EQ(suite.subject_where, "/repo/components/add/add.kfrun-test.yaml:1:12");
    ASSERT_EQ(suite.image_map.size(), 1u);
    EXPECT_EQ(suite.image_map[0].second, "kfrun-fixtures/python:3");
    ASSERT_EQ(suite.image_map_files.size(), 1u);
    EXPECT_EQ(suite.image_map_files[0], "/repo/components/add/maps/image-map.txt");
    ASSERT_EQ(suite.cases.size(), 1u);
    const TestCase& test_case = suite.cases[0];
    EXPECT_EQ(test_case.name, "adds");
    EXPECT_EQ(test_case.timeout, "2m");
    EXPECT_EQ(test_case.inputs.at("b").value, "1");  // the suite's default
    EXPECT_EQ(test_case.inputs.at("a").value, "2");
    EXPECT_EQ(test_case.inputs.at("data").file, "/repo/components/add/data/in.csv");
    EXPECT_EQ(test_case.inputs.at("config").value, R"({"x":1})");
    EXPECT_EQ(test_case.inputs.at("literal").value, "{file: not a file}");
    const CaseExpectation& expect = test_case.expect;
    EXPECT_EQ(expect.status, "Succeeded");
    EXPECT_EQ(expect.single.phase, "Succeeded");
    EXPECT_EQ(expect.single.exit_code, 0);
    ASSERT_EQ(expect.single.outputs.size(), 2u);
    EXPECT_EQ(expect.single.outputs[0].equals, "3");
    const ValueCheck& text = expect.single.outputs[1];
    EXPECT_EQ(text.regex, "^a");
    EXPECT_EQ(text.contains, (std::vector<std::string>{"b", "c"}));
    EXPECT_EQ(text.json, nlohmann::json({{"k", 1}}));
    EXPECT_EQ(text.number, 3.5);
    EXPECT_EQ(text.tolerance, 0.1);
    ASSERT_EQ(expect.single.artifacts.size(), 1u);
    EXPECT_EQ(expect.single.artifacts[0].exists, true);
    EXPECT_EQ(expect.single.artifacts[0].golden, "/repo/components/add/golden/sum.txt");
    EXPECT_EQ(expect.single.artifacts[0].json_paths.at(0).first, "$.a");
    ASSERT_EQ(expect.single.metrics.size(), 2u);
    EXPECT_EQ(expect.single.metrics[0].name, "accuracy");
    EXPECT_EQ(expect.single.metrics[0].op, ">=");
    EXPECT_EQ(expect.single.metrics[0].value, 0.9);
    EXPECT_EQ(expect.single.metrics[1].where, "/repo/components/add/add.kfrun-test.yaml:22:36");
    EXPECT_EQ(expect.single.ui_metadata, (std::vector<std::string>{"markdown", "table"}));
    ASSERT_TRUE(expect.single.logs);
    EXPECT_EQ(expect.single.logs->not_contains, (std::vector<std::string>{"Traceback"}));
    EXPECT_TRUE(expect.second_run_hits);
}

// A test file found under a folder (a cloned repository's) may name only files of its project:
// `{file: /etc/shadow}` gave the host's file to a step, `golden: ../../../etc/x` with
// --update-golden wrote a host file as root. The project is the nearest folder with `.git`.
TEST(TestFileLoader, PathsStayInTheTestFilesProject) {
    const std::filesystem::path repo = std::filesystem::temp_directory_path() /
                                       ("kfrun-loader-" + std::to_string(::getpid())) / "repo";
    std::filesystem::create_directories(repo / ".git");
    std::filesystem::create_directories(repo / "components" / "add");
    const std::filesystem::path file = repo / "components" / "add" / "add.kfrun-test.yaml";
    const std::string head = "component: component.yaml\n";
    const std::string one_case = "cases:\n  - name: c\n";
    auto suite = load_test_text(head + "image-map-file: ../../fixtures/image-map.txt\n" + one_case +
                                    "    inputs: {data: {file: ../../data/in.csv}}\n"
                                    "    expect: {artifacts: {Sum: {golden: ../../golden/s}}}\n",
                                file);
    EXPECT_TRUE(suite.ok()) << suite.error().to_string();  // up to the repository's top: fine

    for (const std::string& bad :
         {std::string("image-map-file: /etc/passwd\n") + one_case,
          one_case + "    inputs: {data: {file: /etc/shadow}}\n",
          one_case + "    inputs: {data: {file: ../../../../outside}}\n",
          one_case +
              "    expect: {artifacts: {Sum: {golden: ../../../../../../etc/cron.d/x}}}\n"}) {
        auto refused = load_test_text(head + bad, file);
        ASSERT_FALSE(refused.ok()) << bad;
        EXPECT_NE(refused.error().message.find("outside this test file's project"),
                  std::string::npos)
            << refused.error().to_string();
    }
    std::filesystem::remove_all(repo.parent_path());
}

TEST(TestFileLoader, LoadsAPipelineSuiteWithStepsAndRunLevelChecks) {
    TestSuite suite = load_ok(R"(suite: train and evaluate
pipeline: ../train-evaluate.yaml
parameters: {epochs: 30}
cases:
  - name: deploys
    parameters: {threshold: 0.5}
    expect:
      metrics: best-accuracy >= 0.9
      logs: deploying
      steps:
        evaluate: {outputs: {evaluate-passed: "true"}, ui-metadata: roc}
        deploy: {phase: Succeeded}
)");
    EXPECT_EQ(suite.name, "train and evaluate");
    EXPECT_EQ(suite.subject, TestSuite::Subject::Pipeline);
    EXPECT_FALSE(suite.single_step());
    const TestCase& test_case = suite.cases.at(0);
    EXPECT_EQ(test_case.parameters.at("epochs"), "30");
    EXPECT_EQ(test_case.parameters.at("threshold"), "0.5");
    ASSERT_EQ(test_case.expect.steps.size(), 2u);
    EXPECT_EQ(test_case.expect.steps[0].step, "evaluate");
    EXPECT_EQ(test_case.expect.steps[1].phase, "Succeeded");
    EXPECT_EQ(test_case.expect.run_metrics.at(0).name, "best-accuracy");
    EXPECT_EQ(test_case.expect.run_logs->contains, (std::vector<std::string>{"deploying"}));
    EXPECT_TRUE(test_case.expect.expects_outcome());
}

TEST(TestFileLoader, ATaskSuiteIsSingleStep) {
    TestSuite suite = load_ok(R"(pipeline: p.yaml
task: evaluate
cases: [{name: a, inputs: {x: 1}, expect: {outputs: {passed: "true"}}}]
)");
    EXPECT_TRUE(suite.single_step());
    EXPECT_EQ(suite.task, "evaluate");
    EXPECT_FALSE(suite.cases[0].expect.expects_outcome());
}

TEST(TestFileLoader, SuiteNamedKfrunTestTakesItsFolderName) {
    TestSuite suite = load_ok("component: c.yaml\ncases: [{name: a}]\n",
                              "/repo/components/hash/kfrun-test.yaml");
    EXPECT_EQ(suite.name, "hash");
}

TEST(TestFileLoader, UnknownKeyInACaseNamesItsPlaceAndTheKnownKeys) {
    std::string message = load_error(R"(component: c.yaml
cases:
  - name: a
    expects: {status: Succeeded}
)");
    EXPECT_NE(message.find("add.kfrun-test.yaml:4:5"), std::string::npos) << message;
    EXPECT_NE(message.find("unknown key `expects`"), std::string::npos) << message;
    EXPECT_NE(message.find("expect"), std::string::npos) << message;
}

TEST(TestFileLoader, TypoInAnOutputCheckIsAnError) {
    std::string message = load_error(R"(component: c.yaml
cases:
  - name: a
    expect:
      outputs:
        Sum: {equal: 3}
)");
    EXPECT_NE(message.find(":6:15"), std::string::npos) << message;
    EXPECT_NE(message.find("unknown key `equal`"), std::string::npos) << message;
}

TEST(TestFileLoader, MalformedMetricConditionIsAnError) {
    std::string message = load_error(R"(component: c.yaml
cases:
  - name: a
    expect: {metrics: ["accuracy is high"]}
)");
    EXPECT_NE(message.find(":4:24"), std::string::npos) << message;
    EXPECT_NE(message.find("NAME OP NUMBER"), std::string::npos) << message;
}

// `exit-code: 1e105` was converted to int as it was: undefined behaviour (found by
// fuzz_test_file under UBSan). An exit code is a whole number from 0 to 255.
TEST(TestFileLoader, AnExitCodeOutsideAByteIsAnError) {
    for (const char* value : {"1e105", "-1", "256", "1.5", "nan", "1e-300"}) {
        std::string message = load_error(std::string(R"(component: c.yaml
cases:
  - name: a
    expect: {exit-code: )") + value + "}\n");
        EXPECT_NE(message.find(":4:25"), std::string::npos) << value << ": " << message;
        EXPECT_NE(message.find("whole number from 0 to 255"), std::string::npos)
            << value << ": " << message;
    }
    EXPECT_EQ(load_ok("component: c.yaml\ncases:\n  - name: a\n    expect: {exit-code: 255}\n")
                  .cases.front()
                  .expect.single.exit_code,
              255);
}

TEST(TestFileLoader, StepKeysOfAWholePipelineCaseBelongUnderSteps) {
    std::string message = load_error(R"(pipeline: p.yaml
cases:
  - name: a
    expect: {outputs: {x: 1}}
)");
    EXPECT_NE(message.find(":4:14"), std::string::npos) << message;
    EXPECT_NE(message.find("under `steps:"), std::string::npos) << message;
}

TEST(TestFileLoader, StepsAreRefusedForAComponent) {
    std::string message = load_error(R"(component: c.yaml
cases: [{name: a, expect: {steps: {x: {phase: Failed}}}}]
)");
    EXPECT_NE(message.find("`steps` is for whole-pipeline suites"), std::string::npos)
        << message;
}

TEST(TestFileLoader, CacheTakesOnlyTheDocumentedValue) {
    std::string message = load_error(R"(component: c.yaml
cases: [{name: a, expect: {cache: hit}}]
)");
    EXPECT_NE(message.find("second-run-hits"), std::string::npos) << message;
    EXPECT_NE(message.find(":2:35"), std::string::npos) << message;
}

TEST(TestFileLoader, SubjectIsRequiredAndUnique) {
    EXPECT_NE(load_error("cases: [{name: a}]\n").find("names no subject"), std::string::npos);
    EXPECT_NE(load_error("component: a.yaml\npipeline: b.yaml\ncases: [{name: a}]\n")
                  .find("either a `component` or a `pipeline`"),
              std::string::npos);
}

TEST(TestFileLoader, CasesAreRequiredAndNamedUniquely) {
    EXPECT_NE(load_error("component: a.yaml\n").find("needs `cases`"), std::string::npos);
    std::string message = load_error("component: a.yaml\ncases: [{name: a}, {name: a}]\n");
    EXPECT_NE(message.find("two cases are named `a`"), std::string::npos) << message;
    EXPECT_NE(load_error("component: a.yaml\ncases: [{inputs: {}}]\n").find("needs a `name`"),
              std::string::npos);
}

TEST(TestFileLoader, InputsAndParametersMatchTheSubject) {
    // A whole pipeline's `inputs` are its input artifacts: files only.
    EXPECT_NE(load_error("pipeline: p.yaml\ncases: [{name: a, inputs: {x: 1}}]\n")
                  .find("a pipeline's `inputs` are its input artifacts, each {file: PATH}; give "
                        "the value of `x` under `parameters`"),
              std::string::npos);
    EXPECT_NE(load_error("component: c.yaml\ncases: [{name: a, parameters: {x: 1}}]\n")
                  .find("takes `inputs`, not `parameters`"),
              std::string::npos);
}

TEST(TestFileLoader, APipelineCaseTakesItsInputArtifactsAsFiles) {
    TestSuite suite = load_ok(
        "pipeline: p.yaml\ninputs: {data: {file: in/data.csv}}\n"
        "cases: [{name: a, parameters: {n: 3}}, {name: b, inputs: {data: "
        "{file: other.csv}}}]\n");
    ASSERT_EQ(suite.cases.size(), 2u);
    EXPECT_EQ(suite.cases[0].inputs.at("data").file.filename(), "data.csv");
    EXPECT_TRUE(suite.cases[0].inputs.at("data").file.is_absolute());
    EXPECT_EQ(suite.cases[0].parameters.at("n"), "3");
    EXPECT_EQ(suite.cases[1].inputs.at("data").file.filename(), "other.csv");
}

TEST(TestFileLoader, InvalidRegexAndStatusAreErrors) {
    EXPECT_NE(load_error("component: c.yaml\ncases: [{name: a, expect: {outputs: {x: {regex: "
                         "'('}}}}]\n")
                  .find("not a valid regular expression"),
              std::string::npos);
    EXPECT_NE(load_error("component: c.yaml\ncases: [{name: a, expect: {status: Passed}}]\n")
                  .find("Succeeded, Failed or Error"),
              std::string::npos);
}

TEST(TestFileLoader, InvalidYamlNamesLineAndColumn) {
    std::string message = load_error("component: c.yaml\ncases: [{name: a\n");
    EXPECT_NE(message.find("add.kfrun-test.yaml:"), std::string::npos) << message;
    EXPECT_NE(message.find("invalid YAML"), std::string::npos) << message;
}

TEST(TestFileLoader, MissingFileIsAnInputError) {
    auto suite = load_test_file("/nonexistent/x.kfrun-test.yaml");
    ASSERT_FALSE(suite.ok());
    EXPECT_EQ(suite.error().kind, base::ErrorKind::Input);
}

}  // namespace
}  // namespace kfrun::harness
