// A task's constant arguments by the callee's declared type (checklist rows 16–17): a number fed
// to a STRING input is its text; a string fed to a NUMBER_INTEGER input fails the task as the
// backend's driver does ("type mismatch"), so it is kept as JSON text no number parses.
#include <gtest/gtest.h>

#include "kfpv2/ir_loader.hpp"

namespace {

std::string ir(const std::string& constant) {
    return "pipelineInfo: {name: p}\n"
           "schemaVersion: 2.1.0\n"
           "root:\n"
           "  dag:\n"
           "    tasks:\n"
           "      a:\n"
           "        componentRef: {name: comp-a}\n"
           "        inputs:\n"
           "          parameters:\n"
           "            n: {runtimeValue: {constant: " +
           constant +
           "}}\n"
           "            s: {runtimeValue: {constant: 3}}\n"
           "components:\n"
           "  comp-a:\n"
           "    executorLabel: exec-a\n"
           "    inputDefinitions:\n"
           "      parameters:\n"
           "        n: {parameterType: NUMBER_INTEGER}\n"
           "        s: {parameterType: STRING}\n"
           "deploymentSpec:\n"
           "  executors:\n"
           "    exec-a:\n"
           "      container: {image: busybox, command: [echo]}\n";
}

std::string argument(const kfrun::model::Workflow& workflow, const std::string& name) {
    for (const auto& tmpl : workflow.templates) {
        for (const auto& task : tmpl.dag.tasks) {
            for (const auto& parameter : task.arguments.parameters) {
                if (parameter.name == name && parameter.value) {
                    return *parameter.value;
                }
            }
        }
    }
    return "(absent)";
}

TEST(TypedConstants, Row16_ANumberFedToAStringInputIsItsText) {
    auto workflow = kfrun::kfpv2::load_ir_text(ir("3"), "p.yaml");
    ASSERT_TRUE(workflow.ok()) << workflow.error().to_string();
    EXPECT_EQ(argument(*workflow, "s"), "3");
    EXPECT_EQ(argument(*workflow, "n"), "3");
}

TEST(TypedConstants, Row17_AStringFedToAnIntegerInputStaysAStringThatNoNumberParses) {
    auto workflow = kfrun::kfpv2::load_ir_text(ir("'3'"), "p.yaml");
    ASSERT_TRUE(workflow.ok()) << workflow.error().to_string();
    EXPECT_EQ(argument(*workflow, "n"), "\"3\"");
}

}  // namespace
