// The IR documents: schema version, strict fields (checklist rows 1, 2, 4, 5), PipelineJob
// files, names that resolve, and file:line:col on every error.
#include "ir_test_support.hpp"
#include "kfpv2/ir_documents.hpp"

using namespace kfrun::kfpv2::testing;
using kfrun::model::Notice;

namespace {

std::string replace(std::string text, const std::string& from, const std::string& to) {
    std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) {
        text.replace(at, from.size(), to);
    }
    return text;
}

}  // namespace

TEST(IrDocuments, ALoadedPipelineIsNamedAfterPipelineInfo) {
    auto workflow = load_ok(replace(one_task_ir(), "  name: p\n",
                                    "  name: p\n  displayName: My P\n  description: d\n"));
    EXPECT_EQ(workflow.generate_name, "p-");  // a fresh run name each run, as the backend
    EXPECT_EQ(workflow.display_name, "My P");
    EXPECT_EQ(workflow.description, "d");
    EXPECT_EQ(workflow.entrypoint, "root");
    EXPECT_EQ(template_named(workflow, "root").kind, kfrun::model::Template::Kind::Dag);
}

// The run is named after the last segment of pipelineInfo.name; one that is no Kubernetes name
// (a path, capitals) is refused at its place, not turned into container and file names.
TEST(IrDocuments, APipelineNameThatCannotNameARunIsRefused) {
    for (const char* name : {"a/..", "My Pipeline", "p/.hidden", "tmp/x\\ny"}) {
        auto workflow =
            load_ok(replace(one_task_ir(), "  name: p\n", std::string("  name: '") + name + "'\n"));
        EXPECT_TRUE(has_notice(workflow, Notice::Severity::Unsupported, "pipelineInfo.name"))
            << name;
        EXPECT_EQ(workflow.generate_name, "pipeline-") << name;
    }
    auto nested = load_ok(
        replace(one_task_ir(), "  name: p\n", "  name: namespace/n1/pipeline/hello-world\n"));
    EXPECT_EQ(nested.generate_name, "hello-world-");
    EXPECT_EQ(
        load_ok(replace(one_task_ir(), "  name: p\n", "  name: ../../../tmp/x\n")).generate_name,
        "x-");  // only the last segment names the run
    EXPECT_FALSE(has_notice(nested, Notice::Severity::Unsupported, "pipelineInfo.name"));
}

TEST(IrDocuments, Row1SchemaVersion200IsRejectedAsTheApiServerDoes) {
    auto error = load_error(replace(one_task_ir(), "2.1.0", "2.0.0"));
    EXPECT_EQ(error.kind, kfrun::base::ErrorKind::Input);
    EXPECT_NE(error.message.find("KFP only supports schema version 2.1.0"), std::string::npos);
    EXPECT_EQ(error.where, "inline.yaml:3:1 (schemaVersion)");
}

TEST(IrDocuments, Row2AnUnknownFieldIsAnErrorNamingItsPathAndLine) {
    auto error = load_error(replace(one_task_ir(), "root:\n", "root:\n  foo: 1\n"));
    EXPECT_NE(error.message.find("unknown field `foo` in ComponentSpec"), std::string::npos)
        << error.message;
    EXPECT_EQ(error.where, "inline.yaml:6:3 (root.foo)");

    auto nested = load_error(replace(one_task_ir(), "        taskInfo: {name: a}\n",
                                     "        taskInfo: {name: a, color: red}\n"));
    EXPECT_NE(nested.where.find("(root.dag.tasks.a.taskInfo.color)"), std::string::npos)
        << nested.where;
}

TEST(IrDocuments, SnakeCaseFieldNamesAreAcceptedAsProtojsonDoes) {
    std::string yaml = replace(one_task_ir(), "executorLabel: exec-a", "executor_label: exec-a");
    yaml = replace(yaml, "componentRef: {name: comp-a}", "component_ref: {name: comp-a}");
    auto workflow = load_ok(yaml);
    EXPECT_EQ(task_named(template_named(workflow, "root"), "a").template_name, "a");
}

TEST(IrDocuments, Row4TwoPipelineSpecsAreRejected) {
    auto error = load_error(one_task_ir() + "---\n" + one_task_ir());
    EXPECT_NE(error.message.find("multiple pipeline specs"), std::string::npos) << error.message;
}

TEST(IrDocuments, TwoPlatformDocumentsAreRejected) {
    const std::string platform = "---\nplatforms:\n  kubernetes:\n    deploymentSpec: {}\n";
    auto error = load_error(one_task_ir() + platform + platform);
    EXPECT_NE(error.message.find("multiple platform specs"), std::string::npos) << error.message;
}

TEST(IrDocuments, Row5ResolverAndCustomJobExecutorsAreRejectedAtTheirPath) {
    auto resolver = load_error(one_task_ir("", "", "    exec-r:\n      resolver: {}\n"));
    EXPECT_NE(resolver.where.find("(deploymentSpec.executors.exec-r.resolver)"), std::string::npos)
        << resolver.where;
    EXPECT_NE(resolver.message.find("resolver"), std::string::npos);
    auto job = load_error(one_task_ir("", "", "    exec-j:\n      customJob: {customJob: {}}\n"));
    EXPECT_NE(job.where.find("(deploymentSpec.executors.exec-j.customJob)"), std::string::npos)
        << job.where;
}

TEST(IrDocuments, NamesThatResolveToNothingAreErrorsAtTheirPath) {
    auto component = load_error(replace(one_task_ir(), "{name: comp-a}", "{name: comp-zz}"));
    EXPECT_NE(component.message.find("componentRef `comp-zz`"), std::string::npos);
    EXPECT_NE(component.where.find("(root.dag.tasks.a.componentRef.name)"), std::string::npos);

    auto executor = load_error(replace(one_task_ir(), "executorLabel: exec-a", "executorLabel: x"));
    EXPECT_NE(executor.message.find("executorLabel `x`"), std::string::npos);
    EXPECT_NE(executor.where.find("(components.comp-a.executorLabel)"), std::string::npos);

    auto producer =
        load_error(one_task_ir("        inputs:\n          parameters:\n            x:\n           "
                               "   taskOutputParameter: "
                               "{producerTask: ghost, outputParameterKey: y}\n"));
    EXPECT_NE(producer.message.find("producer task `ghost`"), std::string::npos);
    EXPECT_NE(producer.where.find(
                  "(root.dag.tasks.a.inputs.parameters.x.taskOutputParameter.producerTask)"),
              std::string::npos)
        << producer.where;

    auto dependent = load_error(one_task_ir("        dependentTasks: [ghost]\n"));
    EXPECT_NE(dependent.where.find("(root.dag.tasks.a.dependentTasks[0])"), std::string::npos);
}

TEST(IrDocuments, APipelineJobFileIsUnwrappedAndSaysSo) {
    std::string job = "pipelineSpec:\n";
    std::string spec = one_task_ir();
    std::size_t start = 0;
    while (start < spec.size()) {
        std::size_t end = spec.find('\n', start);
        job += "  " + spec.substr(start, end - start + 1);
        start = end + 1;
    }
    auto workflow = load_ok(job);
    EXPECT_EQ(workflow.display_name, "p");
    EXPECT_TRUE(has_notice(workflow, Notice::Severity::Ignored, "pipelineSpec"));
    auto error = load_error(replace(job, "2.1.0", "2.0.0"));
    EXPECT_NE(error.where.find("(pipelineSpec.schemaVersion)"), std::string::npos) << error.where;
}

TEST(IrDocuments, DetectsIrText) {
    EXPECT_TRUE(kfrun::kfpv2::is_ir_text(one_task_ir()));
    EXPECT_TRUE(kfrun::kfpv2::is_ir_text("pipelineSpec:\n  root: {}\n"));
    EXPECT_FALSE(kfrun::kfpv2::is_ir_text("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"));
    EXPECT_FALSE(kfrun::kfpv2::is_ir_text("name: c\nimplementation: {container: {image: x}}\n"));
    EXPECT_FALSE(kfrun::kfpv2::is_ir_text("a: [unclosed\n"));
}

// A name goes into the path of everything below it (the source map, the model's places): one of
// 32 MB over a thousand parameters was tens of GB (found by a hostile review, issue 16).
TEST(IrDocuments, ANameLongerThanAKubernetesNameIsRefused) {
    const std::string long_name = "comp-" + std::string(300, 'a');
    auto error = load_error(replace(replace(one_task_ir(), "comp-a:\n", long_name + ":\n"),
                                    "componentRef: {name: comp-a}",
                                    "componentRef: {name: " + long_name + "}"));
    EXPECT_NE(error.message.find("a name of 305 bytes"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("at most 253 bytes"), std::string::npos) << error.message;
    const std::string fits = "comp-" + std::string(248, 'a');
    load_ok(replace(replace(one_task_ir(), "comp-a:\n", fits + ":\n"),
                    "componentRef: {name: comp-a}", "componentRef: {name: " + fits + "}"));
}
