// Loading component specs: the structure KFP defines, and clear refusals with file:line:col.
#include <gtest/gtest.h>

#include "component/component_loader.hpp"

namespace kfrun::component {
namespace {

using Kind = CommandPart::Kind;

ComponentSpec load_ok(const std::string& text) {
    auto spec = load_component_text(text, "component.yaml");
    EXPECT_TRUE(spec.ok()) << (spec.ok() ? "" : spec.error().to_string());
    return spec.ok() ? std::move(spec.value()) : ComponentSpec{};
}

std::string load_error(const std::string& text) {
    auto spec = load_component_text(text, "component.yaml");
    EXPECT_FALSE(spec.ok()) << "expected an error";
    return spec.ok() ? "" : spec.error().to_string();
}

TEST(ComponentLoader, ReadsInterfaceAndContainer) {
    ComponentSpec spec = load_ok(R"(name: Add numbers
description: Adds two numbers.
metadata:
  annotations: {author: someone}
  labels: {team: ml}
inputs:
- {name: a, type: Integer}
- {name: b, type: Integer, default: '1', optional: true}
outputs:
- {name: Sum, type: Integer}
implementation:
  container:
    image: python:3.9
    command: [python3, -c, 'print(1)']
    args: [--a, {inputValue: a}, --out, {outputPath: Sum}]
    env: {MODE: fast}
)");
    EXPECT_EQ(spec.name, "Add numbers");
    EXPECT_EQ(spec.description, "Adds two numbers.");
    ASSERT_EQ(spec.inputs.size(), 2u);
    EXPECT_EQ(spec.inputs[0].type, "Integer");
    EXPECT_FALSE(spec.inputs[0].default_value);
    EXPECT_EQ(spec.inputs[1].default_value, "1");
    EXPECT_TRUE(spec.inputs[1].optional);
    ASSERT_EQ(spec.outputs.size(), 1u);
    EXPECT_EQ(spec.container.image, "python:3.9");
    ASSERT_EQ(spec.container.args.size(), 4u);
    EXPECT_EQ(spec.container.args[1].kind, Kind::InputValue);
    EXPECT_EQ(spec.container.args[1].text, "a");
    EXPECT_EQ(spec.container.args[3].kind, Kind::OutputPath);
    EXPECT_EQ(spec.container.env.size(), 1u);
    EXPECT_EQ(spec.annotations.at("author"), "someone");
    EXPECT_EQ(spec.labels.at("team"), "ml");
    EXPECT_EQ(spec.where("inputs[1]"), "component.yaml:8:3 (inputs[1])");
}

TEST(ComponentLoader, ReadsNestedIfConcatAndIsPresent) {
    ComponentSpec spec = load_ok(R"(name: x
inputs: [{name: a, optional: true}]
implementation:
  container:
    image: busybox
    args:
    - if:
        cond: {isPresent: a}
        then: [--a, {concat: [{inputValue: a}, '.txt']}]
        else: --none
)");
    ASSERT_EQ(spec.container.args.size(), 1u);
    const CommandPart& part = spec.container.args[0];
    EXPECT_EQ(part.kind, Kind::If);
    ASSERT_EQ(part.items.size(), 1u);
    EXPECT_EQ(part.items[0].kind, Kind::IsPresent);
    ASSERT_EQ(part.then_parts.size(), 2u);
    EXPECT_EQ(part.then_parts[1].kind, Kind::Concat);
    EXPECT_EQ(part.then_parts[1].items.size(), 2u);
    EXPECT_TRUE(part.has_else);
    ASSERT_EQ(part.else_parts.size(), 1u);
    EXPECT_EQ(part.else_parts[0].text, "--none");
}

TEST(ComponentLoader, ScalarsReadAsKfpPrintsThem) {
    ComponentSpec spec = load_ok(R"(name: x
implementation:
  container:
    image: busybox
    args: [7, 0.5, true, 'true', null]
)");
    ASSERT_EQ(spec.container.args.size(), 5u);
    EXPECT_EQ(spec.container.args[0].text, "7");
    EXPECT_EQ(spec.container.args[1].text, "0.5");
    EXPECT_EQ(spec.container.args[2].text, "True");  // Python's str(True)
    EXPECT_EQ(spec.container.args[3].text, "true");  // quoted: a string
    EXPECT_EQ(spec.container.args[4].kind, Kind::Skip);
}

TEST(ComponentLoader, PlaceholderNamingAnUndeclaredInputIsAnErrorWithItsPlace) {
    std::string message = load_error(R"(name: x
inputs: [{name: a}]
implementation:
  container:
    image: busybox
    args: [--b, {inputValue: b}]
)");
    EXPECT_NE(message.find("component.yaml:6:17"), std::string::npos) << message;
    EXPECT_NE(message.find("input `b`"), std::string::npos) << message;
}

TEST(ComponentLoader, PlaceholderNamingAnUndeclaredOutputIsAnError) {
    std::string message = load_error(R"(name: x
implementation:
  container:
    image: busybox
    args: [{outputPath: result}]
)");
    EXPECT_NE(message.find("output `result`"), std::string::npos) << message;
    EXPECT_NE(message.find("component.yaml:5:12"), std::string::npos) << message;
}

TEST(ComponentLoader, UnknownPlaceholderIsAnError) {
    std::string message = load_error(R"(name: x
implementation:
  container:
    image: busybox
    args: [{inputFile: a}]
)");
    EXPECT_NE(message.find("unknown placeholder `inputFile`"), std::string::npos) << message;
}

TEST(ComponentLoader, DuplicateInputIsAnError) {
    std::string message = load_error(R"(name: x
inputs: [{name: a}, {name: a}]
implementation: {container: {image: busybox}}
)");
    EXPECT_NE(message.find("declared twice"), std::string::npos) << message;
    EXPECT_NE(message.find("component.yaml:2:21"), std::string::npos) << message;
}

TEST(ComponentLoader, GraphComponentsAreRefusedWithAWayForward) {
    std::string message = load_error(R"(name: x
implementation:
  graph:
    tasks: {}
)");
    EXPECT_NE(message.find("graph components are not supported"), std::string::npos) << message;
    EXPECT_NE(message.find("kfrun run"), std::string::npos) << message;
}

TEST(ComponentLoader, CompiledPipelineIsRefusedPointingToRun) {
    std::string message = load_error(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec: {entrypoint: x}
)");
    EXPECT_NE(message.find("kfrun run"), std::string::npos) << message;
}

TEST(ComponentLoader, InvalidYamlNamesLineAndColumn) {
    std::string message = load_error("name: x\ninputs: [a\n");
    EXPECT_NE(message.find("component.yaml:"), std::string::npos) << message;
    EXPECT_NE(message.find("invalid YAML"), std::string::npos) << message;
}

TEST(ComponentLoader, ContainerNeedsAnImage) {
    std::string message = load_error("name: x\nimplementation: {container: {command: [a]}}\n");
    EXPECT_NE(message.find("needs an `image`"), std::string::npos) << message;
}

TEST(ComponentLoader, MissingFileIsAnInputError) {
    auto spec = load_component_file("/nonexistent/component.yaml");
    ASSERT_FALSE(spec.ok());
    EXPECT_EQ(spec.error().kind, base::ErrorKind::Input);
}

}  // namespace
}  // namespace kfrun::component
