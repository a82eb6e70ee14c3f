// The debugging loop end to end (issue 8): draw the graph before any run, run with a broken
// middle step, fix it, re-run just that step with `--only` (its upstream outputs come from the
// failed run), then `resume` the failed run; and a project's .kfrun.yaml supplying the flags.
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

// a → b → c → d → e, and `side` beside them; b reads a's artifact; c's command is given.
std::string pipeline(const std::string& c_command) {
    std::string text = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: chain-}
spec:
  entrypoint: chain
  arguments: {parameters: [{name: seed, value: "7"}]}
  templates:
  - name: chain
    inputs: {parameters: [{name: seed}]}
    dag:
      tasks:
      - {name: a, template: a, arguments: {parameters: [{name: seed, value: "{{inputs.parameters.seed}}"}]}}
      - {name: b, template: b, dependencies: [a], arguments: {artifacts: [{name: data, from: "{{tasks.a.outputs.artifacts.a-data}}"}]}}
      - {name: c, template: c, dependencies: [b], arguments: {parameters: [{name: n, value: "{{tasks.b.outputs.parameters.b-n}}"}]}}
      - {name: d, template: d, dependencies: [c], arguments: {parameters: [{name: n, value: "{{tasks.c.outputs.parameters.c-n}}"}]}}
      - {name: e, template: e, dependencies: [d, side], arguments: {parameters: [{name: n, value: "{{tasks.d.outputs.parameters.d-n}}"}]}}
      - {name: side, template: side}
  - name: a
    inputs: {parameters: [{name: seed}]}
    container: {image: busybox, command: [sh, -c, 'mkdir -p /out && echo {{inputs.parameters.seed}} > /out/data']}
    outputs: {artifacts: [{name: a-data, path: /out/data}]}
  - name: b
    inputs: {artifacts: [{name: data, path: /in/data}]}
    container: {image: busybox, command: [sh, -c, 'mkdir -p /out && expr $(cat /in/data) + 1 > /out/n']}
    outputs: {parameters: [{name: b-n, valueFrom: {path: /out/n}}]}
  - name: c
    inputs: {parameters: [{name: n}]}
    container: {image: busybox, command: [sh, -c, 'C_COMMAND']}
    outputs: {parameters: [{name: c-n, valueFrom: {path: /out/n}}]}
  - name: d
    inputs: {parameters: [{name: n}]}
    container: {image: busybox, command: [sh, -c, 'mkdir -p /out && expr {{inputs.parameters.n}} + 100 > /out/n']}
    outputs: {parameters: [{name: d-n, valueFrom: {path: /out/n}}]}
  - name: e
    inputs: {parameters: [{name: n}]}
    container: {image: busybox, command: [sh, -c, 'echo final {{inputs.parameters.n}}']}
  - name: side
    container: {image: busybox, command: [sh, -c, 'echo side']}
)";
    text.replace(text.find("C_COMMAND"), 9, c_command);
    return text;
}

const char* k_broken = "echo broken; exit 3";
const char* k_fixed = "mkdir -p /out && expr {{inputs.parameters.n}} + 1000 > /out/n";

class DebugLoop : public ::testing::Test {
protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
        file = (kfrun.work_dir() / "pipeline.yaml").string();
    }
    void write(const std::string& text) { std::ofstream(file) << text; }
    // The steps of a report that ran a container in that run (not reused, not from the cache).
    static std::vector<std::string> ran(const KfrunResult& result) {
        std::vector<std::string> names;
        for (const auto& step : result.report["steps"]) {
            if (step.contains("container") && step.value("cache", "") != "reused" &&
                step.value("cache", "") != "hit") {
                names.push_back(step.value("name", ""));
            }
        }
        return names;
    }

    KfrunProcess kfrun;
    std::string file;
};

TEST_F(DebugLoop, GraphDrawsThePipelineBeforeAnythingRuns) {
    write(pipeline(k_broken));
    KfrunResult graph = kfrun.exec({"graph", file, "--no-color"});
    ASSERT_EQ(graph.exit_code, 0) << graph.output;
    EXPECT_NE(graph.output.find("├── b  ← a"), std::string::npos) << graph.output;
    EXPECT_NE(graph.output.find("e  ← d, side"), std::string::npos) << graph.output;
    KfrunResult mermaid = kfrun.exec({"graph", file, "--format", "mermaid"});
    EXPECT_NE(mermaid.output.find("flowchart TD"), std::string::npos) << mermaid.output;
    KfrunResult bad = kfrun.exec({"graph", file, "--format", "png"});
    EXPECT_EQ(bad.exit_code, 2) << bad.output;
    EXPECT_FALSE(std::filesystem::exists(kfrun.data_dir() / "runs"));
}

TEST_F(DebugLoop, BreakFixOnlyTheStepThenResume) {
    write(pipeline(k_broken));
    KfrunResult failed = kfrun.run(file);
    ASSERT_EQ(failed.exit_code, 1) << failed.output;
    EXPECT_EQ(failed.step("c")["phase"], "Failed");
    EXPECT_EQ(failed.step("d")["phase"], "Omitted");
    std::string failed_id = failed.report["runId"];

    write(pipeline(k_fixed));
    KfrunResult only = kfrun.run(file, {"--only", "c"});
    ASSERT_EQ(only.exit_code, 0) << only.output;
    EXPECT_EQ(ran(only), std::vector<std::string>{"c"}) << only.output;
    EXPECT_EQ(only.step("b")["cache"], "reused");
    EXPECT_EQ(only.step("b")["reusedFromRun"], failed_id);
    EXPECT_EQ(only.step("c")["outputs"]["parameters"]["c-n"], "1008") << only.step("c").dump();
    EXPECT_EQ(only.step("d")["phase"], "Omitted");

    // --only of a step whose upstream never succeeded: a clear error naming it, suggesting --from.
    KfrunResult orphan = kfrun.run(file, {"--only", "e", "--reuse-run", failed_id});
    EXPECT_NE(orphan.exit_code, 0) << orphan.output;
    EXPECT_NE(orphan.output.find("upstream step `d`"), std::string::npos) << orphan.output;
    EXPECT_NE(orphan.output.find("--from d"), std::string::npos) << orphan.output;

    KfrunResult resumed = kfrun.exec({"resume", failed_id.substr(0, 8), "--no-color", "--data-dir",
                                      kfrun.data_dir().string(), "--cache-dir",
                                      kfrun.cache_dir().string()});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_NE(resumed.output.find("final 1108"), std::string::npos) << resumed.output;
    EXPECT_NE(resumed.output.find("a                            Succeeded reused"),
              std::string::npos)
        << resumed.output;
    KfrunResult shown = kfrun.exec({"runs", "list", "-o", "json", "--data-dir",
                                    kfrun.data_dir().string()});
    auto runs = nlohmann::json::parse(shown.output, nullptr, false);
    ASSERT_TRUE(runs.is_array()) << shown.output;
    EXPECT_EQ(runs.front()["status"], "Succeeded") << runs.dump(1);
    EXPECT_EQ(runs.front()["resumedFrom"], failed_id) << runs.dump(1);
}

TEST_F(DebugLoop, OnlyRunsTheStepEvenWhenTheCacheHasIt) {
    write(pipeline(k_fixed));
    ASSERT_EQ(kfrun.run(file).exit_code, 0);
    KfrunResult only = kfrun.run(file, {"--only", "d"});
    ASSERT_EQ(only.exit_code, 0) << only.output;
    EXPECT_EQ(ran(only), std::vector<std::string>{"d"}) << only.output;
    EXPECT_EQ(only.step("c")["cache"], "reused");
    // e's earlier result came from d's earlier output: not reused.
    EXPECT_EQ(only.step("e")["phase"], "Omitted");
}

TEST_F(DebugLoop, AProjectConfigFileSuppliesDefaultFlags) {
    write(pipeline(k_fixed));
    std::filesystem::path config = kfrun.work_dir() / "kfrun-config.yaml";
    std::ofstream(config) << "image-map-file: "
                          << KfrunProcess::fixture("fixtures/image-map.txt").string() << "\n"
                          << "parallelism: 3\nrun:\n  experiment: from-config\n";
    ::setenv("KFRUN_CONFIG", config.c_str(), 1);
    std::vector<std::string> common = {"--no-color", "--data-dir", kfrun.data_dir().string(),
                                       "--cache-dir", kfrun.cache_dir().string()};
    std::vector<std::string> args = {"run", file, "--parallelism", "2"};
    args.insert(args.end(), common.begin(), common.end());
    KfrunResult run = kfrun.exec(args);
    EXPECT_EQ(run.exit_code, 0) << run.output;  // the image map came from the file
    EXPECT_NE(run.output.find("parallelism 2"), std::string::npos) << run.output;  // flag wins
    KfrunResult listed = kfrun.exec({"runs", "list", "--experiment", "from-config", "-o", "json",
                                     "--data-dir", kfrun.data_dir().string()});
    auto runs = nlohmann::json::parse(listed.output, nullptr, false);
    EXPECT_EQ(runs.size(), 1u) << listed.output;
    KfrunResult shown = kfrun.exec({"config", "-o", "json"});
    auto settings = nlohmann::json::parse(shown.output, nullptr, false);
    ASSERT_TRUE(settings.is_object()) << shown.output;
    EXPECT_EQ(settings["configFile"], config.string());
    bool found = false;
    for (const auto& setting : settings["settings"]) {
        if (setting["setting"] == "parallelism") {
            found = true;
            EXPECT_EQ(setting["values"][0], "3");
            EXPECT_EQ(setting["from"], "kfrun-config.yaml:2");
        }
    }
    EXPECT_TRUE(found) << shown.output;

    std::ofstream(config) << "parallelism: 3\nparalelism: 4\n";
    KfrunResult typo = kfrun.exec({"validate", file});
    EXPECT_EQ(typo.exit_code, 2) << typo.output;
    EXPECT_NE(typo.output.find("kfrun-config.yaml:2: unknown setting `paralelism`"),
              std::string::npos)
        << typo.output;
    ::unsetenv("KFRUN_CONFIG");
}

}  // namespace
}  // namespace kfrun::testing
