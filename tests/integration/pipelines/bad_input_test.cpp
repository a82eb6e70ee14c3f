// Bad input gets a clear message with its place and exit code 2, and starts and writes nothing.
#include <fstream>

#include <gtest/gtest.h>

#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

bool path_exists(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

std::string write_file(const KfrunProcess& kfrun, const std::string& name,
                       const std::string& text) {
    std::filesystem::path path = kfrun.work_dir() / name;
    std::ofstream(path) << text;
    return path.string();
}

const char* k_valid = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: bad-input-}
spec:
  entrypoint: main
  arguments:
    parameters: [{name: required}]
  templates:
  - name: main
    inputs: {parameters: [{name: required}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.required}}"]}
)";

TEST(BadInput, AMissingParameterIsRefusedBeforeAnythingIsWritten) {
    KfrunProcess kfrun;
    KfrunResult result = kfrun.run(write_file(kfrun, "p.yaml", k_valid));
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_NE(result.output.find("`required` has no value"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("p.yaml:7:"), std::string::npos) << result.output;
    EXPECT_FALSE(path_exists(kfrun.data_dir() / "store"));
    EXPECT_FALSE(path_exists(result.report_dir));
}

TEST(BadInput, AnUnknownParameterIsRefused) {
    KfrunProcess kfrun;
    KfrunResult result = kfrun.run(write_file(kfrun, "p.yaml", k_valid),
                                   {"-p", "required=x", "-p", "typo=1"});
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_NE(result.output.find("unknown parameter `typo`"), std::string::npos) << result.output;
    EXPECT_FALSE(path_exists(kfrun.data_dir() / "store"));
}

TEST(BadInput, AYamlSyntaxErrorNamesLineAndColumn) {
    KfrunProcess kfrun;
    std::string broken = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  templates: [\n";
    KfrunResult result = kfrun.run(write_file(kfrun, "broken.yaml", broken));
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_NE(result.output.find("broken.yaml:"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("invalid YAML"), std::string::npos) << result.output;
    EXPECT_FALSE(path_exists(kfrun.data_dir() / "store"));
}

TEST(BadInput, AnUnknownPlaceholderIsReportedWithItsPath) {
    KfrunProcess kfrun;
    std::string text = k_valid;
    text.replace(text.find("{{inputs.parameters.required}}"), 30, "{{inputs.parameters.requird}}");
    KfrunResult result = kfrun.run(write_file(kfrun, "typo.yaml", text), {"-p", "required=x"});
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_NE(result.output.find("typo.yaml:11:"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("spec.templates[0].container.command[1]"), std::string::npos)
        << result.output;
    EXPECT_NE(result.output.find("requird"), std::string::npos) << result.output;
    EXPECT_FALSE(path_exists(kfrun.data_dir() / "store"));
}

TEST(BadInput, ValidateReportsEveryConformanceFileEitherValidOrWithAReason) {
    KfrunProcess kfrun;
    std::filesystem::path dir = KfrunProcess::fixture("fixtures/conformance/argo-v1");
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".yaml") {
            continue;
        }
        KfrunResult result = kfrun.exec({"validate", "--no-color", entry.path().string()});
        EXPECT_TRUE(result.exit_code == 0 || result.exit_code == 2) << entry.path();
        if (result.exit_code == 2) {
            // A refusal names the place and the reason.
            EXPECT_NE(result.output.find("error: "), std::string::npos) << result.output;
            EXPECT_NE(result.output.find(entry.path().filename().string() + ":"),
                      std::string::npos)
                << result.output;
        }
    }
}

TEST(BadInput, SecretsFileKeysThatAreNotFileNamesAreRefused) {
    // Keys become files under the run's secrets folder: `../x` or `/etc/x` would write
    // outside it (as root). Kubernetes' rule for Secret keys applies.
    for (const auto& [yaml, shown] : std::vector<std::pair<std::string, std::string>>{
             {"creds: {\"../escaped\": v}\n", "key `../escaped`"},
             {"creds: {/etc/kfrun-escaped: v}\n", "key `/etc/kfrun-escaped`"},
             {"creds: {\"..\": v}\n", "key `..`"},
             {"creds: {\"a\\nb\": v}\n", "key `a\\x0ab`"},
             {"\"../up\": {k: v}\n", "secret name `../up`"}}) {
        SCOPED_TRACE(yaml);
        KfrunProcess kfrun;
        std::string secrets = write_file(kfrun, "secrets.yaml", yaml);
        KfrunResult result = kfrun.run(write_file(kfrun, "p.yaml", k_valid),
                                       {"-p", "required=x", "--secrets-file", secrets});
        EXPECT_EQ(result.exit_code, 2) << result.output;
        EXPECT_NE(result.output.find(shown + " is not a valid key"), std::string::npos)
            << result.output;
        EXPECT_NE(result.output.find("secrets.yaml"), std::string::npos) << result.output;
        EXPECT_FALSE(path_exists(kfrun.data_dir() / "escaped"));
        EXPECT_FALSE(path_exists("/etc/kfrun-escaped"));
        EXPECT_FALSE(path_exists(kfrun.data_dir() / "store"));
    }
}

}  // namespace
}  // namespace kfrun::testing
