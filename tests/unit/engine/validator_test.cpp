// validate_workflow: what is refused before anything runs, and where it is reported.
#include <gtest/gtest.h>

#include "engine/validator.hpp"
#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::Diagnostic;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::workflow_yaml;

namespace {

std::vector<Diagnostic> errors_of(const std::string& yaml) {
    EngineHarness h;
    std::vector<Diagnostic> errors;
    for (const Diagnostic& diagnostic : h.validate(yaml)) {
        if (diagnostic.severity == Diagnostic::Severity::Error) {
            errors.push_back(diagnostic);
        }
    }
    return errors;
}

// The one error whose message contains `needle`; fails the test (listing all) otherwise.
Diagnostic error_containing(const std::vector<Diagnostic>& errors, const std::string& needle) {
    for (const Diagnostic& error : errors) {
        if (error.message.find(needle) != std::string::npos) {
            return error;
        }
    }
    ADD_FAILURE() << "no error mentions '" << needle << "'; errors:\n"
                  << kfrun::test_support::describe(errors);
    return {};
}

// "inline.yaml:LINE:COL" of the first occurrence of `text` in `yaml` (1-based, as editors count).
std::string position_of(const std::string& yaml, const std::string& text) {
    std::size_t offset = yaml.find(text);
    EXPECT_NE(offset, std::string::npos) << text;
    std::size_t line_start = yaml.rfind('\n', offset);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    std::size_t line = 1 + std::count(yaml.begin(), yaml.begin() + offset, '\n');
    return "inline.yaml:" + std::to_string(line) + ":" + std::to_string(offset - line_start + 1);
}

std::string dag(const std::string& tasks, const std::string& more_templates = "") {
    return workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
)" + tasks + R"(
  - name: step
    inputs: {parameters: [{name: v, value: x}]}
    container: {image: busybox, args: ['{{inputs.parameters.v}}']}
    outputs: {parameters: [{name: out, valueFrom: {path: /tmp/out}}]}
)" + more_templates);
}

}  // namespace

TEST(Validator, AcceptsAWellFormedPipeline) {
    auto errors = errors_of(dag(R"(
      - {name: a, template: step}
      - name: b
        template: step
        dependencies: [a]
        arguments: {parameters: [{name: v, value: '{{tasks.a.outputs.parameters.out}}'}]}
      - {name: c, template: step, depends: 'a && b.Succeeded', when: '{{tasks.a.outputs.parameters.out}} > 1'}
      - name: d
        template: step
        dependencies: [c]
        withItems: [1, 2]
        arguments: {parameters: [{name: v, value: '{{item}}'}]})"));
    EXPECT_TRUE(errors.empty()) << kfrun::test_support::describe(errors);
}

// The run's name becomes container, volume and spec file names: `../../tmp/x` wrote a step's
// spec file to /tmp as root before the name was checked as the API server checks it.
TEST(Validator, RefusesAWorkflowNameKubernetesWouldRefuse) {
    const std::string body =
        "  entrypoint: step\n  templates:\n  - name: step\n"
        "    container: {image: busybox}\n";
    auto error = error_containing(errors_of(workflow_yaml(body, "../../tmp/x")), "metadata.name");
    EXPECT_NE(error.where.find("(metadata.name)"), std::string::npos) << error.where;
    EXPECT_NE(error.message.find("RFC 1123"), std::string::npos) << error.message;

    std::string generated = workflow_yaml(body, "x");
    generated.replace(generated.find("  name: x"), 9, "  generateName: Bad/Name-");
    error_containing(errors_of(generated), "metadata.generateName");

    EXPECT_TRUE(errors_of(workflow_yaml(body, "my-pipeline.v1")).empty());
    generated = workflow_yaml(body, "x");
    generated.replace(generated.find("  name: x"), 9, "  generateName: my-pipeline-");
    EXPECT_TRUE(errors_of(generated).empty());
}

TEST(Validator, NamesAnUnknownTemplateWhereItIsCalled) {
    const std::string yaml = dag("      - {name: a, template: nowhere}");
    auto error = error_containing(errors_of(yaml), "nowhere");
    EXPECT_EQ(error.where.rfind(position_of(yaml, "nowhere"), 0), 0u) << error.where;
}

TEST(Validator, NamesTheTasksOfACycle) {
    auto errors = errors_of(dag(R"(
      - {name: a, template: step, dependencies: [c]}
      - {name: b, template: step, dependencies: [a]}
      - {name: c, template: step, dependencies: [b]})"));
    auto error = error_containing(errors, "cycle");
    // Whichever task the walk starts from and whichever way it reads the edges ("needs" or
    // "is needed by"), the message closes the cycle through all three tasks.
    bool named = false;
    for (const char* cycle : {"a -> b -> c -> a", "b -> c -> a -> b", "c -> a -> b -> c",
                              "a -> c -> b -> a", "c -> b -> a -> c", "b -> a -> c -> b"}) {
        named = named || error.message.find(cycle) != std::string::npos;
    }
    EXPECT_TRUE(named) << error.message;
}

TEST(Validator, RefusesADependencyOnAMissingTask) {
    auto errors = errors_of(dag("      - {name: a, template: step, dependencies: [ghost]}"));
    error_containing(errors, "ghost");
    errors = errors_of(dag("      - {name: a, template: step, depends: 'ghost.Succeeded'}"));
    error_containing(errors, "ghost");
}

TEST(Validator, ReportsAnUnknownPlaceholderAtItsLineAndColumn) {
    const std::string yaml = workflow_yaml(R"(
  entrypoint: step
  templates:
  - name: step
    inputs: {parameters: [{name: v, value: x}]}
    container:
      image: busybox
      args:
      - echo
      - say {{inputs.parameters.nope}}
)");
    auto error = error_containing(errors_of(yaml), "{{inputs.parameters.nope}}");
    EXPECT_EQ(error.where.rfind(position_of(yaml, "say {{inputs") + " ", 0), 0u) << error.where;
    EXPECT_NE(error.where.find("spec.templates[0].container.args[1]"), std::string::npos);
}

TEST(Validator, ReportsAPlaceholderInAWhenAtItsLineAndColumn) {
    const std::string yaml = dag(R"(
      - name: a
        template: step
        when: '{{workflow.parameters.missing}} == 1')");
    auto error = error_containing(errors_of(yaml), "missing");
    EXPECT_EQ(error.where.rfind(position_of(yaml, "'{{workflow.parameters.missing") + " ", 0), 0u)
        << error.where;
}

TEST(Validator, RefusesAReferenceToATaskThatDoesNotExist) {
    auto errors = errors_of(dag(R"(
      - name: a
        template: step
        arguments: {parameters: [{name: v, value: '{{tasks.ghost.outputs.parameters.out}}'}]})"));
    error_containing(errors, "no task or step `ghost`");
}

TEST(Validator, RefusesAnUndeclaredOutputOfAnExistingTask) {
    auto errors = errors_of(dag(R"(
      - {name: a, template: step}
      - name: b
        template: step
        dependencies: [a]
        arguments: {parameters: [{name: v, value: '{{tasks.a.outputs.parameters.nope}}'}]})"));
    error_containing(errors, "declares no output parameter `nope`");
}

TEST(Validator, RefusesItemOutsideALoop) {
    auto errors = errors_of(dag(R"(
      - name: a
        template: step
        arguments: {parameters: [{name: v, value: '{{item}}'}]})"));
    error_containing(errors, "outside a loop");
}

TEST(Validator, RefusesAMalformedWhen) {
    auto errors = errors_of(dag("      - {name: a, template: step, when: '(1 == 1'}"));
    error_containing(errors, "Invalid 'when' expression");
    errors = errors_of(dag("      - {name: a, template: step, when: '{{workflow.name}} =='}"));
    error_containing(errors, "Invalid 'when' expression");
}

TEST(Validator, RefusesDependsTogetherWithDependencies) {
    auto errors = errors_of(dag(R"(
      - {name: a, template: step}
      - {name: b, template: step, dependencies: [a], depends: a})"));
    error_containing(errors, "both `depends` and `dependencies`");
}

TEST(Validator, RefusesV2CompatiblePipelines) {
    auto errors = errors_of(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: wf
  annotations: {pipelines.kubeflow.org/v2_pipeline: "true"}
spec:
  entrypoint: step
  templates:
  - name: step
    container: {image: busybox}
)");
    error_containing(errors, "v2-compatible");
}

TEST(Validator, RefusesOtherMistakes) {
    auto errors = errors_of(workflow_yaml(R"(
  entrypoint: nowhere
  onExit: gone
  templates:
  - name: main
    activeDeadlineSeconds: 5
    dag:
      tasks:
      - {name: 1st, template: step}
      - {name: b, template: step, arguments: {parameters: [{name: v, value: '{{steps.x.outputs.result}}'}]}}
  - name: step
    inputs: {parameters: [{name: v, value: x}]}
    container: {image: busybox, args: ['{{=inputs.parameters.v}}']}
  - name: step
    container: {image: busybox}
)"));
    error_containing(errors, "entrypoint `nowhere`");
    error_containing(errors, "onExit `gone`");
    error_containing(errors, "only valid for leaf templates");
    error_containing(errors, "must not start with a digit");
    error_containing(errors, "{{steps.*}} is used in a DAG");
    error_containing(errors, "expression tags");
    error_containing(errors, "used twice");
}

TEST(Validator, UnknownFieldsAreErrorsAndIgnoredOnesAreInfo) {
    EngineHarness h;
    auto diagnostics = h.validate(workflow_yaml(R"(
  entrypoint: step
  nodeSelector: {disk: ssd}
  templates:
  - name: step
    tolerations: []
    frobnicate: true
    container: {image: busybox}
)"));
    bool frobnicate_error = false;
    bool node_selector_info = false;
    for (const Diagnostic& diagnostic : diagnostics) {
        frobnicate_error =
            frobnicate_error || (diagnostic.severity == Diagnostic::Severity::Error &&
                                 diagnostic.message.find("frobnicate") != std::string::npos);
        node_selector_info =
            node_selector_info || (diagnostic.severity == Diagnostic::Severity::Info &&
                                   diagnostic.message.find("nodeSelector") != std::string::npos);
        EXPECT_EQ(diagnostic.message.find("tolerations") != std::string::npos &&
                      diagnostic.severity == Diagnostic::Severity::Error,
                  false);
    }
    EXPECT_TRUE(frobnicate_error) << kfrun::test_support::describe(diagnostics);
    EXPECT_TRUE(node_selector_info) << kfrun::test_support::describe(diagnostics);
}

// Issue 16 finding 14: what Argo refuses at submission, kfrun refuses before anything runs.
TEST(Validator, RefusesADagTaskThatDoesNotSupplyARequiredInput) {
    const std::string yaml = workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: ok, template: echo, arguments: {parameters: [{name: msg, value: hi}]}}
      - {name: forgot, template: echo}
      - {name: defaulted, template: echo-default}
      - {name: empty, template: echo, arguments: {parameters: [{name: msg, value: ''}]}}
  - name: echo
    inputs: {parameters: [{name: msg}]}
    container: {image: busybox, args: ['{{inputs.parameters.msg}}']}
  - name: echo-default
    inputs: {parameters: [{name: msg, default: hello}]}
    container: {image: busybox, args: ['{{inputs.parameters.msg}}']}
)");
    auto errors = errors_of(yaml);
    ASSERT_EQ(errors.size(), 1u) << kfrun::test_support::describe(errors);
    EXPECT_EQ(errors[0].message,
              "`forgot` calls template `echo` without its input parameter `msg`, which has no "
              "default (Argo: inputs.parameters.msg was not supplied)");
    EXPECT_NE(errors[0].where.find(position_of(yaml, "{name: forgot")), std::string::npos)
        << errors[0].where;
}

TEST(Validator, RefusesAStepThatDoesNotSupplyARequiredInput) {
    auto errors = errors_of(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: first, template: echo, arguments: {parameters: [{name: other, value: x}]}}
  - name: echo
    inputs: {parameters: [{name: msg}]}
    container: {image: busybox, args: ['{{inputs.parameters.msg}}']}
)"));
    error_containing(errors, "`first` calls template `echo` without its input parameter `msg`");
}

TEST(Validator, RefusesAContainerOutputParameterWithAnEmptyValueFrom) {
    auto errors = errors_of(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox}
    outputs:
      parameters:
      - {name: fine, valueFrom: {path: /tmp/a}}
      - {name: fixed, value: constant}
      - {name: nowhere, valueFrom: {}}
)"));
    ASSERT_EQ(errors.size(), 1u) << kfrun::test_support::describe(errors);
    EXPECT_EQ(errors[0].message, "output parameter `nowhere` of container template `main`: "
                                 "valueFrom.path must be specified (or a `value`)");
}

TEST(Validator, WarnsOfAnUnterminatedPlaceholderButAcceptsIt) {
    EngineHarness h;
    auto diagnostics = h.validate(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox, args: ['echo {{workflow.name', 'fine {{workflow.name}}']}
)"));
    ASSERT_EQ(diagnostics.size(), 1u) << kfrun::test_support::describe(diagnostics);
    EXPECT_EQ(diagnostics[0].severity, Diagnostic::Severity::Warning);
    EXPECT_NE(diagnostics[0].message.find("unterminated `{{` (in `{{workflow.name`)"),
              std::string::npos)
        << diagnostics[0].message;
}

TEST(Validator, AnUnterminatedPlaceholderRunsLiterallyAsInArgo) {
    EngineHarness h;
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox, args: ['echo {{workflow.name', '{{workflow.name}} {{']}
)"));
    ASSERT_EQ(r.state.phase, kfrun::engine::NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.runtime().spec("wf").args,
              (std::vector<std::string>{"echo {{workflow.name", "wf {{"}));
}
