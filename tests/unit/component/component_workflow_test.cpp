// A component run compiled as KFP v1 compiles a single-step pipeline: placeholders resolved
// against the inputs given (if/isPresent/concat, defaults, optional inputs), KFP's names and
// paths, and the known outputs.
#include <gtest/gtest.h>

#include "component/component_loader.hpp"
#include "component/component_workflow.hpp"

namespace kfrun::component {
namespace {

using Strings = std::vector<std::string>;

ComponentSpec conformance(const std::string& file) {
    auto spec = load_component_file(std::string(KFRUN_SOURCE_DIR) +
                                    "/fixtures/conformance/components/" + file);
    EXPECT_TRUE(spec.ok()) << (spec.ok() ? "" : spec.error().to_string());
    return spec.ok() ? std::move(spec.value()) : ComponentSpec{};
}

ComponentWorkflow build_ok(const ComponentSpec& spec, ComponentArguments arguments) {
    auto built = build_component_workflow(spec, arguments);
    EXPECT_TRUE(built.ok()) << (built.ok() ? "" : built.error().to_string());
    return built.ok() ? std::move(built.value()) : ComponentWorkflow{};
}

std::string build_error(const ComponentSpec& spec, ComponentArguments arguments) {
    auto built = build_component_workflow(spec, arguments);
    EXPECT_FALSE(built.ok()) << "expected an error";
    if (built.ok()) {
        return "";
    }
    EXPECT_EQ(built.error().kind, base::ErrorKind::Input);
    return built.error().to_string();
}

const model::Template& only_template(const ComponentWorkflow& run) {
    EXPECT_EQ(run.workflow.templates.size(), 1u);
    return run.workflow.templates.front();
}

std::string argument(const model::Workflow& workflow, const std::string& name) {
    const model::Parameter* parameter = model::find_by_name(workflow.arguments.parameters, name);
    return parameter != nullptr && parameter->value ? *parameter->value : "<absent>";
}

TEST(ComponentWorkflow, ConcatJoinsValueAndLiteral) {
    ComponentWorkflow run =
        build_ok(conformance("concat_placeholder_component.yaml"), {{{"input_prefix", "pre-"}}, {}});
    const model::Template& tmpl = only_template(run);
    EXPECT_EQ(tmpl.name, "component-with-concat-placeholder");
    EXPECT_EQ(run.workflow.entrypoint, tmpl.name);
    EXPECT_EQ(tmpl.container.image, "gcr.io/my-project/my-image");
    EXPECT_EQ(tmpl.container.args,
              (Strings{"--arg0", "{{inputs.parameters.input-prefix}}some value"}));
    ASSERT_EQ(tmpl.inputs.parameters.size(), 1u);
    EXPECT_EQ(tmpl.inputs.parameters[0].name, "input-prefix");
    EXPECT_EQ(argument(run.workflow, "input-prefix"), "pre-");
}

TEST(ComponentWorkflow, IfIsPresentTakesElseWhenOptionalInputsAreMissing) {
    ComponentSpec spec = conformance("if_placeholder_component.yaml");
    ComponentWorkflow run = build_ok(spec, {{{"required_input", "r"}}, {}});
    EXPECT_EQ(only_template(run).container.args,
              (Strings{"--arg0", "{{inputs.parameters.required-input}}", "--arg3",
                       "default value"}));
    EXPECT_EQ(only_template(run).inputs.parameters.size(), 1u);
}

TEST(ComponentWorkflow, IfIsPresentTakesThenWhenOptionalInputsAreGiven) {
    ComponentSpec spec = conformance("if_placeholder_component.yaml");
    ComponentWorkflow run = build_ok(
        spec, {{{"required_input", "r"}, {"optional_input_1", "o1"}, {"optional_input_2", "o2"}},
               {}});
    EXPECT_EQ(only_template(run).container.args,
              (Strings{"--arg0", "{{inputs.parameters.required-input}}", "--arg1",
                       "{{inputs.parameters.optional-input-1}}", "--arg2",
                       "{{inputs.parameters.optional-input-2}}"}));
    EXPECT_EQ(argument(run.workflow, "optional-input-2"), "o2");
}

TEST(ComponentWorkflow, DefaultsApplyAndInputPathBecomesAnArtifact) {
    ComponentSpec spec = conformance("basics__Calculate_hash__component.yaml");
    ComponentWorkflow run = build_ok(spec, {{}, {{"Data", "/data/file.txt"}}});
    const model::Template& tmpl = only_template(run);
    EXPECT_EQ(tmpl.name, "calculate-data-hash");
    EXPECT_EQ(argument(run.workflow, "hash-algorithm"), "SHA256");
    ASSERT_EQ(tmpl.container.command.size(), 6u);
    EXPECT_EQ(tmpl.container.command[3], "/tmp/inputs/Data/data");
    EXPECT_EQ(tmpl.container.command[4], "{{inputs.parameters.hash-algorithm}}");
    EXPECT_EQ(tmpl.container.command[5], "/tmp/outputs/Hash/data");
    ASSERT_EQ(tmpl.inputs.artifacts.size(), 1u);
    EXPECT_EQ(tmpl.inputs.artifacts[0].name, "data");
    EXPECT_EQ(tmpl.inputs.artifacts[0].path, "/tmp/inputs/Data/data");
    EXPECT_FALSE(tmpl.inputs.artifacts[0].raw_data);
    ASSERT_EQ(run.files.size(), 1u);
    EXPECT_EQ(run.files[0].artifact, "data");
    EXPECT_EQ(run.files[0].file, "/data/file.txt");
    // An untyped output: an artifact only (it could be a directory).
    ASSERT_EQ(tmpl.outputs.artifacts.size(), 1u);
    EXPECT_EQ(tmpl.outputs.artifacts[0].name, "calculate-data-hash-Hash");
    EXPECT_EQ(tmpl.outputs.artifacts[0].path, "/tmp/outputs/Hash/data");
    EXPECT_FALSE(tmpl.outputs.artifacts[0].optional);
    EXPECT_TRUE(tmpl.outputs.parameters.empty());
    const ComponentOutput* hash = run.find_output("Hash");
    ASSERT_NE(hash, nullptr);
    EXPECT_EQ(hash->artifact, "calculate-data-hash-Hash");
    EXPECT_EQ(hash->parameter, "");
}

TEST(ComponentWorkflow, ValueForAnInputPathIsRawData) {
    ComponentSpec spec = conformance("basics__Calculate_hash__component.yaml");
    ComponentWorkflow run = build_ok(spec, {{{"Data", "hello"}, {"Hash algorithm", "MD5"}}, {}});
    const model::Template& tmpl = only_template(run);
    ASSERT_EQ(tmpl.inputs.artifacts.size(), 1u);
    EXPECT_EQ(tmpl.inputs.artifacts[0].raw_data, "hello");
    EXPECT_TRUE(run.files.empty());
    EXPECT_EQ(argument(run.workflow, "hash-algorithm"), "MD5");
}

TEST(ComponentWorkflow, TypedOutputsAreAlsoOutputParameters) {
    ComponentSpec spec = conformance("json__Build_dict__component.yaml");
    ComponentWorkflow run = build_ok(spec, {});
    const model::Template& tmpl = only_template(run);
    // Every input optional and absent: every `if` expands to nothing.
    EXPECT_EQ(tmpl.container.args, (Strings{"----output-paths", "/tmp/outputs/Output/data"}));
    ASSERT_EQ(tmpl.outputs.parameters.size(), 1u);
    EXPECT_EQ(tmpl.outputs.parameters[0].name, "build-dict-Output");
    EXPECT_EQ(tmpl.outputs.parameters[0].from_path, "/tmp/outputs/Output/data");
    EXPECT_EQ(run.find_output("Output")->parameter, "build-dict-Output");
}

TEST(ComponentWorkflow, KfpSpecialOutputsKeepTheirFixedNamesAndAreOptional) {
    ComponentSpec spec = conformance("local__confusion_matrix__component.yaml");
    ComponentWorkflow run = build_ok(spec, {{{"Predictions", "p"}, {"Output dir", "o"}}, {}});
    const model::Template& tmpl = only_template(run);
    ASSERT_EQ(tmpl.outputs.artifacts.size(), 2u);
    EXPECT_EQ(tmpl.outputs.artifacts[0].name, "mlpipeline-ui-metadata");
    EXPECT_EQ(tmpl.outputs.artifacts[0].path, "/tmp/outputs/MLPipeline_UI_metadata/data");
    EXPECT_TRUE(tmpl.outputs.artifacts[0].optional);
    EXPECT_EQ(tmpl.outputs.artifacts[1].name, "mlpipeline-metrics");
    EXPECT_TRUE(tmpl.outputs.parameters.empty());
    // `Target lambda` defaults to '' and is still passed.
    EXPECT_EQ(argument(run.workflow, "target-lambda"), "");
}

TEST(ComponentWorkflow, FileOutputsKeepTheirFixedPath) {
    ComponentSpec spec = conformance("presto__query__component.yaml");
    ComponentArguments arguments;
    for (const char* name : {"host", "catalog", "schema", "query", "user", "pwd", "output"}) {
        arguments.values[name] = "v";
    }
    ComponentWorkflow run = build_ok(spec, arguments);
    const model::Template& tmpl = only_template(run);
    ASSERT_EQ(tmpl.outputs.artifacts.size(), 1u);
    EXPECT_EQ(tmpl.outputs.artifacts[0].name, "presto-query-output");
    EXPECT_EQ(tmpl.outputs.artifacts[0].path, "/output.txt");
}

TEST(ComponentWorkflow, MissingRequiredInputNamesTheInputAndItsDeclaration) {
    std::string message =
        build_error(conformance("basics__Calculate_hash__component.yaml"), {});
    EXPECT_NE(message.find("input `Data`"), std::string::npos) << message;
    EXPECT_NE(message.find("basics__Calculate_hash__component.yaml:3:3 (inputs[0])"),
              std::string::npos)
        << message;
}

TEST(ComponentWorkflow, UnknownInputListsTheKnownOnes) {
    std::string message = build_error(conformance("concat_placeholder_component.yaml"),
                                      {{{"input_prefix", "a"}, {"prefix", "b"}}, {}});
    EXPECT_NE(message.find("no input `prefix`"), std::string::npos) << message;
    EXPECT_NE(message.find("input_prefix"), std::string::npos) << message;
}

TEST(ComponentWorkflow, FileForAValueInputIsAnError) {
    std::string message = build_error(conformance("concat_placeholder_component.yaml"),
                                      {{}, {{"input_prefix", "/x"}}});
    EXPECT_NE(message.find("used as a value"), std::string::npos) << message;
}

TEST(ComponentWorkflow, UriPlaceholdersAreRefusedWithTheReason) {
    std::string message = build_error(
        conformance("fancy_trainer_component.yaml"),
        {{{"optimizer", "sgd"}, {"n_epochs", "1"}}, {{"examples", "/data"}}});
    EXPECT_NE(message.find("inputUri"), std::string::npos) << message;
    EXPECT_NE(message.find("v2-compatible"), std::string::npos) << message;
    EXPECT_NE(message.find("fancy_trainer_component.yaml:22:25"), std::string::npos) << message;
}

ComponentSpec inline_spec(const std::string& args) {
    auto spec = load_component_text(R"(name: Inline
inputs:
- {name: flag, type: Boolean, optional: true}
- {name: text, type: String, optional: true, default: hello}
- {name: opt, optional: true}
outputs:
- {name: out, type: String}
implementation:
  container:
    image: busybox
    env: {MODE: test}
    args: )" + args + "\n",
                                    "inline.yaml");
    EXPECT_TRUE(spec.ok()) << (spec.ok() ? "" : spec.error().to_string());
    return spec.ok() ? std::move(spec.value()) : ComponentSpec{};
}

TEST(ComponentWorkflow, ConditionUsesTheRealValueOfAnInput) {
    ComponentSpec spec = inline_spec("[{if: {cond: {inputValue: flag}, then: [yes], else: [no]}}]");
    EXPECT_EQ(only_template(build_ok(spec, {{{"flag", "True"}}, {}})).container.args,
              (Strings{"yes"}));
    EXPECT_EQ(only_template(build_ok(spec, {{{"flag", "false"}}, {}})).container.args,
              (Strings{"no"}));
    // Absent optional input: None, which is false.
    EXPECT_EQ(only_template(build_ok(spec, {})).container.args, (Strings{"no"}));
    std::string message = build_error(spec, {{{"flag", "maybe"}}, {}});
    EXPECT_NE(message.find("not a boolean"), std::string::npos) << message;
}

TEST(ComponentWorkflow, LiteralConditionsAndIsPresentAsAnArgument) {
    ComponentSpec spec = inline_spec(
        "[{if: {cond: true, then: [a]}}, {if: {cond: 'False', then: [b]}}, {isPresent: opt}, "
        "{isPresent: text}]");
    // `text` has a default, so it is present (KFP 1.8 passes defaults).
    EXPECT_EQ(only_template(build_ok(spec, {})).container.args,
              (Strings{"a", "False", "True"}));
}

TEST(ComponentWorkflow, AbsentOptionalValueExpandsToNothingEvenInsideConcat) {
    ComponentSpec spec = inline_spec("[--x, {inputValue: opt}, {concat: [a, {inputValue: opt}, b]}]");
    EXPECT_EQ(only_template(build_ok(spec, {})).container.args, (Strings{"--x", "ab"}));
}

TEST(ComponentWorkflow, EnvLabelsAndNamesAreSet) {
    ComponentSpec spec = inline_spec("[{outputPath: out}]");
    ComponentWorkflow run = build_ok(spec, {});
    const model::Template& tmpl = only_template(run);
    ASSERT_EQ(tmpl.container.env.size(), 1u);
    EXPECT_EQ(tmpl.container.env[0].name, "MODE");
    EXPECT_EQ(tmpl.container.env[0].value, "test");
    EXPECT_EQ(tmpl.labels.at("pipelines.kubeflow.org/enable_caching"), "true");
    EXPECT_EQ(run.workflow.name, "inline");
    EXPECT_EQ(run.workflow.display_name, "Inline");
    EXPECT_EQ(run.workflow.sources.file(), "inline.yaml");
    EXPECT_EQ(tmpl.outputs.parameters.at(0).name, "inline-out");
}

TEST(ComponentWorkflow, VolatileComponentsAreNeverReusedFromTheCache) {
    ComponentSpec spec = conformance("diagnostics__diagnose_me__component.yaml");
    ComponentArguments arguments;
    for (const char* name : {"bucket", "execution_mode", "project_id", "target_apis"}) {
        arguments.values[name] = "v";
    }
    ComponentWorkflow run = build_ok(spec, arguments);
    EXPECT_EQ(only_template(run).annotations.at("pipelines.kubeflow.org/max_cache_staleness"),
              "P0D");
}

}  // namespace
}  // namespace kfrun::component
