// `kfrun test` as a component author runs it: the example test files pass; a wrong expectation
// fails with expected vs actual, a diff and a JUnit <failure>; a malformed test file is named
// with its line and the other suites still run; `cache: second-run-hits` and `--update-golden`
// do what they say; -k selects cases.
#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

const std::string k_hello_sha256 =
    "a5bcce03458af771bb59df14afdf99f58b4c802e3414db525f790075d2940e87";

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

// The number in attribute `name="N"` of the first element that has it.
int xml_count(const std::string& xml, const std::string& name) {
    std::smatch match;
    if (std::regex_search(xml, match, std::regex(" " + name + "=\"([0-9]+)\""))) {
        return std::stoi(match[1]);
    }
    return -1;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class KfrunTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
    }

    // `kfrun test ARGS…` with this test's own data and cache directories.
    KfrunResult kfrun_test(const std::vector<std::string>& args) {
        std::vector<std::string> full = {"test",        "--no-color",
                                         "--data-dir",  m_kfrun.data_dir().string(),
                                         "--cache-dir", m_kfrun.cache_dir().string()};
        full.insert(full.end(), args.begin(), args.end());
        return m_kfrun.exec(full);
    }

    // A copy of examples/components/NAME in this test's directory (tests may write into it).
    std::filesystem::path copy_example(const std::string& name) {
        std::filesystem::path to = m_kfrun.work_dir() / name;
        std::filesystem::copy(KfrunProcess::fixture("examples/components/" + name), to,
                              std::filesystem::copy_options::recursive);
        return to;
    }

    std::filesystem::path junit() const { return m_kfrun.work_dir() / "out" / "junit.xml"; }

    KfrunProcess m_kfrun;
};

TEST_F(KfrunTest, TheExampleTestsPass) {
    const mode_t umask_before = ::umask(022);  // the usual one, under which it was 0644
    KfrunResult result = kfrun_test(
        {KfrunProcess::fixture("examples").string(), "--junit", junit().string(), "-j", "2"});
    ::umask(umask_before);
    EXPECT_EQ(result.exit_code, 0) << result.output;
    std::string xml = read_text(junit());
    // Step messages and log tails: 0600 whatever the umask, as the report folder's files.
    EXPECT_EQ(std::filesystem::status(junit()).permissions(), std::filesystem::perms(0600));
    EXPECT_GE(xml_count(xml, "tests"), 11) << xml;  // the components' cases and the pipeline's
    EXPECT_EQ(xml_count(xml, "failures"), 0) << xml;
    EXPECT_EQ(xml_count(xml, "errors"), 0) << xml;
    EXPECT_FALSE(contains(xml, "<failure")) << xml;
    // The final table lists the cases; the totals line says they passed.
    EXPECT_TRUE(
        std::regex_search(result.output, std::regex("\ncalculate-hash +sha256 of a file +passed")))
        << result.output;
    EXPECT_TRUE(std::regex_search(result.output,
                                  std::regex("\ntrain-evaluate +trains, evaluates and deploys "
                                             "+passed")))
        << result.output;
    EXPECT_TRUE(std::regex_search(result.output, std::regex("\\n([0-9]+) cases: \\1 passed")))
        << result.output;
}

TEST_F(KfrunTest, AWrongExpectationFailsWithADiffAndAJUnitFailure) {
    std::filesystem::path dir = copy_example("calculate-hash");
    write_text(dir / "golden" / "hello.sha256", "0000-wrong-hash\n");
    write_text(dir / "calculate-hash.kfrun-test.yaml", R"Y(component: component.yaml
image-map: {alpine: kfrun-fixtures/busybox:1}
cases:
  - name: wrong golden
    inputs: {Data: {file: data/hello.txt}}
    expect:
      artifacts:
        Hash: {golden: golden/hello.sha256}
  - name: wrong value
    inputs: {Data: {file: data/hello.txt}, Hash algorithm: MD5}
    expect:
      outputs:
        Hash: 1234
)Y");
    KfrunResult result = kfrun_test({dir.string(), "--junit", junit().string()});
    EXPECT_EQ(result.exit_code, 1) << result.output;
    // Expected vs actual with a unified diff, pointing at the line of the expectation.
    EXPECT_TRUE(contains(result.output, "-0000-wrong-hash")) << result.output;
    EXPECT_TRUE(contains(result.output, "+" + k_hello_sha256)) << result.output;
    EXPECT_TRUE(contains(result.output, "calculate-hash.kfrun-test.yaml:8:")) << result.output;
    EXPECT_TRUE(contains(result.output, "1234")) << result.output;
    EXPECT_TRUE(contains(result.output, "fc2f7c5a81cebf9730789c2266403292")) << result.output;
    EXPECT_TRUE(contains(result.output, "2 cases: 0 passed, 2 failed")) << result.output;
    std::string xml = read_text(junit());
    EXPECT_EQ(xml_count(xml, "failures"), 2) << xml;
    EXPECT_TRUE(contains(xml, "<failure")) << xml;
    EXPECT_TRUE(contains(xml, "+" + k_hello_sha256)) << xml;
}

TEST_F(KfrunTest, AMalformedTestFileIsNamedWithItsLineAndTheOtherSuitesRun) {
    std::filesystem::path dir = copy_example("calculate-hash");
    write_text(dir / "calculate-hash.kfrun-test.yaml", R"Y(component: component.yaml
image-map: {alpine: kfrun-fixtures/busybox:1}
cases:
  - name: sha256
    inputs: {Data: {file: data/hello.txt}}
    expect: {outputs: {Hash: )Y" + k_hello_sha256 + R"Y(}}
)Y");
    write_text(dir / "broken.kfrun-test.yaml", R"Y(component: component.yaml
cases:
  - name: typo
    inputs: {Data: {file: data/hello.txt}}
    expcet:
      outputs: {Hash: x}
)Y");
    write_text(dir / "bad-yaml.kfrun-test.yaml", "component: component.yaml\ncases: [\n");
    KfrunResult result = kfrun_test({dir.string(), "--junit", junit().string()});
    EXPECT_EQ(result.exit_code, 1) << result.output;
    EXPECT_TRUE(contains(result.output, "broken.kfrun-test.yaml:5:5")) << result.output;
    EXPECT_TRUE(contains(result.output, "expcet")) << result.output;
    EXPECT_TRUE(contains(result.output, "bad-yaml.kfrun-test.yaml:")) << result.output;
    EXPECT_TRUE(std::regex_search(result.output, std::regex("calculate-hash +sha256 +passed")))
        << result.output;
    EXPECT_TRUE(contains(result.output, "1 case: 1 passed")) << result.output;
    EXPECT_TRUE(contains(result.output, "2 malformed test files")) << result.output;
    std::string xml = read_text(junit());
    EXPECT_EQ(xml_count(xml, "failures"), 0) << xml;
    EXPECT_TRUE(contains(xml, "<error")) << xml;
    EXPECT_TRUE(contains(xml, "broken.kfrun-test.yaml:5:5")) << xml;
}

TEST_F(KfrunTest, SecondRunHitsPassesForACacheableComponentAndFailsForAVolatileOne) {
    std::filesystem::path dir = m_kfrun.work_dir() / "cache";
    const std::string component = R"Y(name: Stamp
metadata:
  annotations: {volatile_component: "VOLATILE"}
inputs: [{name: Text, type: String}]
outputs: [{name: Out, type: String}]
implementation:
  container:
    image: busybox
    command: [sh, -c, 'mkdir -p "$(dirname "$1")" && echo "$0" > "$1"', {inputValue: Text},
              {outputPath: Out}]
)Y";
    write_text(dir / "stable" / "component.yaml",
               std::regex_replace(component, std::regex("VOLATILE"), "false"));
    write_text(dir / "volatile" / "component.yaml",
               std::regex_replace(component, std::regex("VOLATILE"), "true"));
    const std::string test = R"Y(component: component.yaml
image-map: {busybox: kfrun-fixtures/busybox:1}
cases:
  - name: twice
    inputs: {Text: hello}
    expect:
      outputs: {Out: hello}
      cache: second-run-hits
)Y";
    write_text(dir / "stable" / "kfrun-test.yaml", test);
    write_text(dir / "volatile" / "kfrun-test.yaml", test);
    KfrunResult result = kfrun_test({dir.string(), "--junit", junit().string()});
    EXPECT_EQ(result.exit_code, 1) << result.output;
    EXPECT_TRUE(std::regex_search(result.output, std::regex("stable +twice +passed")))
        << result.output;
    EXPECT_TRUE(std::regex_search(result.output, std::regex("volatile +twice +FAILED")))
        << result.output;
    EXPECT_TRUE(contains(result.output, "steps ran again on the second run")) << result.output;
}

TEST_F(KfrunTest, UpdateGoldenRewritesTheGoldenFileAndThenTheCasePasses) {
    std::filesystem::path dir = copy_example("calculate-hash");
    std::filesystem::path golden = dir / "golden" / "hello.sha256";
    write_text(golden, "stale\n");
    KfrunResult updated = kfrun_test({dir.string(), "-k", "sha256 of a file", "--update-golden"});
    EXPECT_EQ(updated.exit_code, 0) << updated.output;
    EXPECT_EQ(read_text(golden), k_hello_sha256 + "\n");
    EXPECT_TRUE(contains(updated.output, "updated " + golden.string())) << updated.output;

    std::filesystem::remove(golden);
    KfrunResult created = kfrun_test({dir.string(), "-k", "sha256 of a file", "--update-golden"});
    EXPECT_EQ(created.exit_code, 0) << created.output;
    EXPECT_EQ(read_text(golden), k_hello_sha256 + "\n");

    KfrunResult checked = kfrun_test({dir.string(), "-k", "sha256 of a file"});
    EXPECT_EQ(checked.exit_code, 0) << checked.output;
}

TEST_F(KfrunTest, MinusKSelectsCasesAndSaysWhenNoneMatches) {
    std::filesystem::path dir = copy_example("calculate-hash");
    KfrunResult one = kfrun_test({dir.string(), "-k", "MD5", "--junit", junit().string()});
    EXPECT_EQ(one.exit_code, 0) << one.output;
    std::string xml = read_text(junit());
    EXPECT_EQ(xml_count(xml, "tests"), 1) << xml;
    EXPECT_TRUE(contains(xml, "md5 on request")) << xml;

    KfrunResult none = kfrun_test({dir.string(), "-k", "no-such-case"});
    EXPECT_EQ(none.exit_code, 2) << none.output;
    EXPECT_TRUE(contains(none.output, "no case matches")) << none.output;
}

TEST_F(KfrunTest, NoTestFilesIsAnErrorThatNamesThePattern) {
    std::filesystem::create_directories(m_kfrun.work_dir() / "empty");
    KfrunResult result = kfrun_test({(m_kfrun.work_dir() / "empty").string()});
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_TRUE(contains(result.output, "*.kfrun-test.yaml")) << result.output;
}

TEST_F(KfrunTest, APipelineSuiteChecksStepsAndOneTask) {
    std::filesystem::path dir = m_kfrun.work_dir() / "pipeline";
    write_text(dir / "pipeline.yaml", R"Y(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: two-steps-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: word, value: hi}]}
  templates:
  - name: main
    inputs: {parameters: [{name: word}]}
    dag:
      tasks:
      - {name: shout, template: shout, arguments: {parameters: [{name: word, value: '{{inputs.parameters.word}}'}]}}
      - name: count
        template: count
        dependencies: [shout]
        arguments: {parameters: [{name: text, value: '{{tasks.shout.outputs.parameters.loud}}'}]}
  - name: shout
    inputs: {parameters: [{name: word}]}
    outputs: {parameters: [{name: loud, valueFrom: {path: /tmp/loud}}]}
    container: {image: busybox, command: [sh, -c, 'echo "{{inputs.parameters.word}}!" | tr a-z A-Z > /tmp/loud']}
  - name: count
    inputs: {parameters: [{name: text}]}
    outputs: {parameters: [{name: n, valueFrom: {path: /tmp/n}}]}
    container: {image: busybox, command: [sh, -c, 'printf %s "{{inputs.parameters.text}}" | wc -c > /tmp/n']}
)Y");
    write_text(dir / "pipeline.kfrun-test.yaml", R"Y(pipeline: pipeline.yaml
image-map: {busybox: kfrun-fixtures/busybox:1}
cases:
  - name: default word
    expect:
      steps:
        shout: {outputs: {loud: HI!}}
        count: {outputs: {n: {number: 3}}}
  - name: another word
    parameters: {word: hello}
    expect:
      steps:
        count: {outputs: {n: {number: 6}}}
)Y");
    write_text(dir / "count.kfrun-test.yaml", R"Y(pipeline: pipeline.yaml
task: count
image-map: {busybox: kfrun-fixtures/busybox:1}
cases:
  - name: counts alone
    inputs: {text: abcd}
    expect: {outputs: {n: {number: 4}}}
)Y");
    KfrunResult result = kfrun_test({dir.string()});
    EXPECT_EQ(result.exit_code, 0) << result.output;
    EXPECT_TRUE(contains(result.output, "3 cases: 3 passed")) << result.output;
}

}  // namespace
}  // namespace kfrun::testing
