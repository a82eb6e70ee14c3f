// Output parameters, outputs.result and exit codes (argo-semantics.md §1, checklist rows 1-9).
#include <gtest/gtest.h>

#include "engine/output_collector.hpp"
#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using namespace kfrun;
using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::workflow_yaml;

namespace {

// produce → consume; produce declares the output parameters in `outputs`.
std::string producer_consumer(const std::string& outputs, const std::string& consume_arg = "x") {
    return workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: produce, template: produce}
      - name: consume
        template: consume
        dependencies: [produce]
        arguments: {parameters: [{name: v, value: ')" +
                         consume_arg + R"('}]}
  - name: produce
    container: {image: busybox}
    outputs:
      parameters:
)" + outputs + R"(
  - name: consume
    inputs: {parameters: [{name: v}]}
    container: {image: busybox, args: ['{{inputs.parameters.v}}']}
)");
}

}  // namespace

TEST(OutputParameters, TrimExactlyOneTrailingNewline) {  // rows 1, 2
    EngineHarness h;
    h.runtime().on("produce", FakeStep()
                                  .file("/tmp/a", "hello\n")
                                  .file("/tmp/b", "hello\n\n")
                                  .file("/tmp/c", "a\r\n")
                                  .file("/tmp/d", "  spaced  \n"));
    auto r = h.run(producer_consumer(R"(
      - {name: a, valueFrom: {path: /tmp/a}}
      - {name: b, valueFrom: {path: /tmp/b}}
      - {name: c, valueFrom: {path: /tmp/c}}
      - {name: d, valueFrom: {path: /tmp/d}})"));
    EXPECT_EQ(r.output("wf.produce", "a"), "hello");
    EXPECT_EQ(r.output("wf.produce", "b"), "hello\n");
    EXPECT_EQ(r.output("wf.produce", "c"), "a\r");
    EXPECT_EQ(r.output("wf.produce", "d"), "  spaced  ");
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
}

TEST(OutputParameters, EmptyFileGivesAnEmptyValueNotTheDefault) {  // row 3
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/a", ""));
    auto r = h.run(producer_consumer("      - {name: a, valueFrom: {path: /tmp/a, default: x}}"));
    EXPECT_EQ(r.output("wf.produce", "a"), "");
}

TEST(OutputParameters, MissingFileUsesTheDefaultTrimmedOfOneNewline) {  // row 4
    EngineHarness h;
    auto r =
        h.run(producer_consumer("      - {name: a, valueFrom: {path: /tmp/a, default: \"x\\n\"}}"));
    EXPECT_EQ(r.output("wf.produce", "a"), "x");
    EXPECT_EQ(r.phase("wf.produce"), NodePhase::Succeeded);
}

TEST(OutputParameters, MissingFileAfterExitZeroIsErrorAndOmitsDependants) {  // row 5
    EngineHarness h;
    auto r = h.run(producer_consumer("      - {name: a, valueFrom: {path: /tmp/a}}"));
    EXPECT_EQ(r.phase("wf.produce"), NodePhase::Error) << r.describe();
    EXPECT_EQ(r.phase("wf.consume"), NodePhase::Omitted);
    EXPECT_EQ(r.state.phase, NodePhase::Error);
    EXPECT_EQ(h.runtime().count("consume"), 0);
}

TEST(OutputParameters, MissingFileAfterANonZeroExitIsFailedWithTheExitMessage) {  // row 6
    EngineHarness h;
    h.runtime().on("produce", FakeStep().exit(3));
    auto r = h.run(producer_consumer("      - {name: a, valueFrom: {path: /tmp/a}}"));
    EXPECT_EQ(r.phase("wf.produce"), NodePhase::Failed);
    EXPECT_EQ(r.node("wf.produce").message, "Error (exit code 3)");
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
}

TEST(OutputParameters, AreRecordedWhenTheStepFails) {  // row 7
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/a", "written\n").exit(1));
    auto r = h.run(producer_consumer("      - {name: a, valueFrom: {path: /tmp/a}}"));
    EXPECT_EQ(r.phase("wf.produce"), NodePhase::Failed);
    EXPECT_EQ(r.output("wf.produce", "a"), "written");
}

TEST(OutputParameters, ReachTheConsumerThroughTasksOutputs) {
    EngineHarness h;
    h.runtime().on("produce", FakeStep().file("/tmp/a", "value-1\n"));
    auto r = h.run(producer_consumer("      - {name: a, valueFrom: {path: /tmp/a}}",
                                     "<{{tasks.produce.outputs.parameters.a}}>"));
    EXPECT_EQ(h.runtime().spec("consume").args, std::vector<std::string>{"<value-1>"});
}

TEST(OutputResult, IsStdoutOnlyWithOneNewlineTrimmed) {  // row 8
    EngineHarness h;
    h.runtime().on("produce", FakeStep().out("x\n").err("e"));
    auto r = h.run(
        producer_consumer("      - {name: unused, value: u}", "{{tasks.produce.outputs.result}}"));
    EXPECT_EQ(h.runtime().spec("consume").args, std::vector<std::string>{"x"});
    EXPECT_EQ(r.node("wf.produce").outputs.result.value_or("<none>"), "x");
}

namespace {

// `size` bytes of text whose every suffix is distinct (so a wrong cut is visible).
std::string numbered_text(std::size_t size) {
    std::string text;
    for (int i = 0; text.size() < size; ++i) {
        text += std::to_string(i) + ",";
    }
    text.resize(size);
    return text;
}

}  // namespace

TEST(OutputResult, KeepsTheLast256KiBOfALongStdout) {  // row 9
    EngineHarness h;
    std::string stdout_text = numbered_text(300 * 1024);
    h.runtime().on("produce", FakeStep().out(stdout_text));
    auto r = h.run(producer_consumer("      - {name: unused, value: u}"));
    std::string expected = stdout_text.substr(stdout_text.size() - 256 * 1024);
    std::string actual = r.node("wf.produce").outputs.result.value_or("");
    EXPECT_EQ(actual.size(), expected.size());
    EXPECT_TRUE(actual == expected);
}

TEST(OutputResult, TrimsTheNewlineBeforeKeepingTheLast256KiB) {  // row 9, Argo's order
    // Argo removes the trailing "\n" first, then keeps the last 256 KiB: the result is
    // 262144 bytes ending in the last character before the newline.
    EngineHarness h;
    std::string body = numbered_text(300 * 1024);
    h.runtime().on("produce", FakeStep().out(body + "\n"));
    auto r = h.run(producer_consumer("      - {name: unused, value: u}"));
    std::string expected = body.substr(body.size() - 256 * 1024);
    std::string actual = r.node("wf.produce").outputs.result.value_or("");
    EXPECT_EQ(actual.size(), 256u * 1024u);
    EXPECT_TRUE(actual == expected) << "first bytes: '" << actual.substr(0, 20) << "' expected '"
                                    << expected.substr(0, 20) << "'";
}

TEST(OutputResult, ExitCodeIsAvailableAsTasksExitCode) {
    EngineHarness h;
    h.runtime().on("produce", FakeStep().exit(3));
    auto yaml = producer_consumer("      - {name: unused, value: u}", "{{tasks.produce.exitCode}}");
    yaml = yaml.replace(yaml.find("template: produce}"), 18,
                        "template: produce, continueOn: {failed: true}}");
    auto r = h.run(yaml);
    EXPECT_EQ(h.runtime().spec("consume").args, std::vector<std::string>{"3"});
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded) << r.describe();
}

TEST(TrimOneNewline, RemovesOnlyOneNewline) {
    EXPECT_EQ(engine::trim_one_newline("a\n\n"), "a\n");
    EXPECT_EQ(engine::trim_one_newline("a\r\n"), "a\r");
    EXPECT_EQ(engine::trim_one_newline("\n"), "");
    EXPECT_EQ(engine::trim_one_newline(""), "");
    EXPECT_EQ(engine::trim_one_newline(" a "), " a ");
}
