// KFP v2 pipeline inputs that are not plain parameters, end to end on the real daemon
// (fixtures/kfp-v2/pipeline_inputs.yaml, compiled by the KFP SDK from
// examples/src/v2/pipeline_inputs.py): a pipeline input artifact given with --input-file (a
// file or a directory), and a Secret whose name is a pipeline input (-p) and a ConfigMap whose
// name is a task's output.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

const std::string k_token = "tok-8f3a91c2";  // the secret value: must reach no report file

class KfpV2Inputs : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
        m_secret = kfrun.work_dir() / "secret";
        m_config = kfrun.work_dir() / "config";
        std::filesystem::create_directories(m_secret);
        std::filesystem::create_directories(m_config);
        std::ofstream(m_secret / "token") << k_token;
        std::ofstream(m_config / "greeting") << "hello";
        m_file = kfrun.work_dir() / "data.txt";
        std::ofstream(m_file) << "alpha\nbeta\ngamma\n";
        m_dir = kfrun.work_dir() / "input-dir";
        std::filesystem::create_directories(m_dir / "sub");
        std::ofstream(m_dir / "a.txt") << "one\ntwo\n";
        std::ofstream(m_dir / "sub" / "b.txt") << "three\n";
    }
    static std::string pipeline() {
        return KfrunProcess::fixture("fixtures/kfp-v2/pipeline_inputs.yaml").string();
    }
    std::vector<std::string> objects(const std::string& secret_name = "kfrun-inputs-secret") {
        return {"--secret", secret_name + "=" + m_secret.string(), "--config-map",
                "kfrun-inputs-config=" + m_config.string()};
    }
    static std::vector<std::string> plus(std::vector<std::string> a,
                                         const std::vector<std::string>& b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    }
    static std::string parameter(const KfrunResult& result, const std::string& step,
                                 const std::string& name) {
        const auto& parameters = result.step(step)["outputs"]["parameters"];
        return parameters.contains(name) ? parameters[name].get<std::string>() : "(absent)";
    }

    KfrunProcess kfrun;
    std::filesystem::path m_secret, m_config, m_file, m_dir;
};

TEST_F(KfpV2Inputs, AnInputArtifactFromAFileReachesTheStepAtItsPath) {
    KfrunResult result =
        kfrun.run(pipeline(), plus({"--input-file", "data=" + m_file.string()}, objects()));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(parameter(result, "count-lines", "summary"), "3 lines, first: alpha");
    const auto& inputs = result.step("count-lines")["inputs"]["artifacts"];
    ASSERT_EQ(inputs.size(), 1u) << inputs;
    EXPECT_EQ(inputs[0]["name"], "data");
    EXPECT_EQ(inputs[0]["sha256"], sha256_of("alpha\nbeta\ngamma\n"));
}

TEST_F(KfpV2Inputs, AnInputArtifactFromADirectoryKeepsItsTree) {
    KfrunResult result =
        kfrun.run(pipeline(), plus({"--input-file", "data=" + m_dir.string()}, objects()));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(parameter(result, "count-lines", "summary"), "3 lines, first: one");
}

TEST_F(KfpV2Inputs, AMissingOrUndeclaredInputArtifactIsExit2BeforeAnythingStarts) {
    KfrunResult missing = kfrun.run(pipeline(), objects());
    EXPECT_EQ(missing.exit_code, 2) << missing.output;
    EXPECT_NE(missing.output.find("pipeline input artifact `data` (system.Dataset) is required; "
                                  "give it with --input-file data=PATH"),
              std::string::npos)
        << missing.output;
    EXPECT_TRUE(missing.report.is_null());  // nothing ran, no report

    KfrunResult undeclared =
        kfrun.run(pipeline(), plus({"--input-file", "data=" + m_file.string(), "--input-file",
                                    "model=" + m_file.string()},
                                   objects()));
    EXPECT_EQ(undeclared.exit_code, 2) << undeclared.output;
    EXPECT_NE(undeclared.output.find("--input-file model: error: the pipeline has no input "
                                     "artifact `model`; its input artifacts are: data"),
              std::string::npos)
        << undeclared.output;
}

TEST_F(KfpV2Inputs, ASecretNamedByAPipelineInputIsReadAndNeverReported) {
    KfrunResult result = kfrun.run(
        pipeline(), plus({"--input-file", "data=" + m_file.string(), "-p", "secret_name=db-pass"},
                         objects("db-pass")));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(parameter(result, "use-secret", "seen"),
              "hello: token 12 chars, file 12 chars");  // env TOKEN and the file /secret/token
    EXPECT_EQ(result.output.find(k_token), std::string::npos);
    int files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(result.report_dir)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        ++files;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        EXPECT_EQ(text.str().find(k_token), std::string::npos) << entry.path();
    }
    EXPECT_GT(files, 2);
}

TEST_F(KfpV2Inputs, ASecretNamedByAPipelineInputIsCheckedBeforeAnythingStarts) {
    KfrunResult result = kfrun.run(
        pipeline(), plus({"--input-file", "data=" + m_file.string(), "-p", "secret_name=db-pass"},
                         objects()));  // gives kfrun-inputs-secret, not db-pass
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_NE(result.output.find("Secret `db-pass` is not provided; pass --secret db-pass=DIR"),
              std::string::npos)
        << result.output;
    EXPECT_TRUE(result.report.is_null());
}

TEST_F(KfpV2Inputs, AConfigMapNamedByATaskOutputThatIsMissingFailsThatTask) {
    KfrunResult result =
        kfrun.run(pipeline(), {"--input-file", "data=" + m_file.string(), "--secret",
                               "kfrun-inputs-secret=" + m_secret.string()});
    EXPECT_EQ(result.exit_code, 1) << result.output;
    EXPECT_EQ(result.step("name-maker")["phase"], "Succeeded");
    EXPECT_EQ(result.step("count-lines")["phase"], "Succeeded");
    const auto& use = result.step("use-secret");
    EXPECT_EQ(use["phase"], "Error");
    EXPECT_NE(use["message"].get<std::string>().find(
                  "ConfigMap `kfrun-inputs-config` is not provided; pass --config-map "
                  "kfrun-inputs-config=DIR"),
              std::string::npos)
        << use["message"];
}

// An optional pipeline input artifact (isOptional) feeding an optional component input: left
// out, the task's {{$}} has no entry for it and IfPresent takes Else; given, it is there.
const std::string k_optional = R"Y(pipelineInfo: {name: optional-input}
schemaVersion: 2.1.0
root:
  inputDefinitions:
    artifacts:
      extra:
        artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}
        isOptional: true
  dag:
    tasks:
      show:
        componentRef: {name: comp-show}
        inputs:
          artifacts:
            artifact: {componentInputArtifact: extra}
components:
  comp-show:
    executorLabel: exec-show
    inputDefinitions:
      artifacts:
        artifact:
          artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}
          isOptional: true
    outputDefinitions:
      parameters:
        seen: {parameterType: STRING}
deploymentSpec:
  executors:
    exec-show:
      container:
        image: busybox
        command: [sh, -c, 'if [ "$1" = none ]; then printf "none %s" "$0"; else printf "%s" "$(head -n 1 "$1")"; fi > "$2"']
        args:
        - '{{$}}'
        - '{"IfPresent": {"InputName": "artifact", "Then": ["{{$.inputs.artifacts[''artifact''].path}}"], "Else": ["none"]}}'
        - '{{$.outputs.parameters[''seen''].output_file}}'
)Y";

TEST_F(KfpV2Inputs, AnOmittedOptionalInputArtifactIsNotBound) {
    std::filesystem::path ir = kfrun.work_dir() / "optional.yaml";
    std::ofstream(ir) << k_optional;
    KfrunResult omitted = kfrun.run(ir.string());
    ASSERT_EQ(omitted.exit_code, 0) << omitted.output;
    std::string seen = parameter(omitted, "show", "seen");
    EXPECT_EQ(seen.rfind("none {", 0), 0u) << seen;
    EXPECT_EQ(seen.find("\"artifacts\""), std::string::npos) << seen;  // not in {{$}}
    KfrunResult given = kfrun.run(ir.string(), {"--input-file", "extra=" + m_file.string()});
    ASSERT_EQ(given.exit_code, 0) << given.output;
    EXPECT_EQ(parameter(given, "show", "seen"), "alpha");
}

// The same flag for an Argo (v1) pipeline's entrypoint input artifact, and a whole-pipeline
// `kfrun test` case giving it as `inputs: {NAME: {file: PATH}}`.
const std::string k_argo = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: entry-artifact-}
spec:
  entrypoint: main
  templates:
  - name: main
    inputs:
      artifacts: [{name: data, path: /in/data}]
    dag:
      tasks:
      - name: count
        template: count
        arguments: {artifacts: [{name: data, from: '{{inputs.artifacts.data}}'}]}
  - name: count
    inputs:
      artifacts: [{name: data, path: /in/data}]
    outputs: {parameters: [{name: n, valueFrom: {path: /tmp/n}}]}
    container: {image: busybox, command: [sh, -c, 'wc -l < /in/data | tr -d " " > /tmp/n']}
)";

TEST_F(KfpV2Inputs, AnArgoEntrypointInputArtifactAndATestCaseTakeFilesToo) {
    std::filesystem::path argo = kfrun.work_dir() / "argo.yaml";
    std::ofstream(argo) << k_argo;
    KfrunResult result = kfrun.run(argo.string(), {"--input-file", "data=" + m_file.string()});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(parameter(result, "count", "n"), "3");
    KfrunResult missing = kfrun.run(argo.string());
    EXPECT_EQ(missing.exit_code, 2) << missing.output;
    EXPECT_NE(missing.output.find("pipeline input artifact `data` is required; give it with "
                                  "--input-file data=PATH"),
              std::string::npos)
        << missing.output;

    std::filesystem::path suite = kfrun.work_dir() / "argo.kfrun-test.yaml";
    std::ofstream(suite) << "pipeline: argo.yaml\n"
                            "image-map: {busybox: kfrun-fixtures/busybox:1}\n"
                            "cases:\n"
                            "  - name: three lines\n"
                            "    inputs: {data: {file: data.txt}}\n"
                            "    expect: {steps: {count: {outputs: {n: {number: 3}}}}}\n"
                            "  - name: no file\n"
                            "    expect: {status: Succeeded}\n";
    KfrunResult test = kfrun.exec({"test", "--no-color", "--data-dir", kfrun.data_dir().string(),
                                   "--cache-dir", kfrun.cache_dir().string(), suite.string()});
    EXPECT_EQ(test.exit_code, 1) << test.output;  // the second case is an error
    EXPECT_NE(test.output.find("1 passed"), std::string::npos) << test.output;
    EXPECT_NE(test.output.find("pipeline input artifact `data` is required; give it with "
                               "`inputs: {data: {file: PATH}}` in the case"),
              std::string::npos)
        << test.output;
}

}  // namespace
}  // namespace kfrun::testing
