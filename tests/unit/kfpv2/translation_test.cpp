// IR → model for container tasks: launcher fields, typed inputs/outputs, resources, root
// inputs, constants (checklist rows 6, 7, 8, 12, 19, 20, 32, 75, 77).
#include "ir_test_support.hpp"

using namespace kfrun::kfpv2::testing;
using kfrun::model::Notice;

namespace {

const std::string k_typed_component = R"(components:
  comp-a:
    executorLabel: exec-a
    inputDefinitions:
      parameters:
        n: {parameterType: NUMBER_INTEGER, defaultValue: 100.0, isOptional: true}
        s: {parameterType: STRING}
        maybe: {parameterType: STRING, isOptional: true}
      artifacts:
        data:
          artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}
          isArtifactList: true
          isOptional: true
    outputDefinitions:
      parameters:
        y: {parameterType: NUMBER_DOUBLE}
      artifacts:
        model:
          artifactType: {schemaTitle: system.Model, schemaVersion: 0.0.1}
          metadata: {framework: torch}
)";

}  // namespace

TEST(IrTranslation, AContainerTaskGetsItsOwnTemplateWithTheLauncher) {
    auto workflow =
        load_ok(one_task_ir("        cachingOptions: {enableCache: true}\n",
                            "        args: ['{{$}}', --n, \"{{$.inputs.parameters['n']}}\"]\n"));
    const auto& call = task_named(template_named(workflow, "root"), "a");
    const auto& tmpl = template_named(workflow, call.template_name);
    EXPECT_EQ(tmpl.kind, kfrun::model::Template::Kind::Container);
    ASSERT_TRUE(tmpl.launcher.has_value());
    EXPECT_EQ(tmpl.launcher->command, (std::vector<std::string>{"sh", "-c", "echo"}));
    EXPECT_EQ(tmpl.launcher->args,
              (std::vector<std::string>{"{{$}}", "--n", "{{$.inputs.parameters['n']}}"}));
    EXPECT_EQ(tmpl.launcher->pipeline_name, "p");
    EXPECT_EQ(tmpl.launcher->pipeline_root, "minio://kfrun/v2/artifacts");
    EXPECT_EQ(tmpl.launcher->component_name, "comp-a");
    EXPECT_EQ(tmpl.launcher->task_name, "a");
    EXPECT_TRUE(tmpl.launcher->enable_cache);
    EXPECT_TRUE(tmpl.container.command.empty());
    EXPECT_TRUE(tmpl.container.args.empty());
    EXPECT_EQ(tmpl.container.image, "busybox");
}

TEST(IrTranslation, TwoTasksOfOneComponentGetTwoTemplates) {
    std::string yaml = one_task_ir(
        "      b:\n        componentRef: {name: comp-a}\n"
        "        taskInfo: {name: b}\n");
    auto workflow = load_ok(yaml);
    const auto& root = template_named(workflow, "root");
    EXPECT_NE(task_named(root, "a").template_name, task_named(root, "b").template_name);
}

TEST(IrTranslation, Row6AnArgsOnlyExecutorKeepsItsArgvAsWritten) {
    std::string yaml = one_task_ir();
    yaml.replace(yaml.find("        command: [sh, -c, echo]\n"), 32, "        args: [--x, '1']\n");
    auto workflow = load_ok(yaml);
    const auto& tmpl = template_named(workflow, "a");
    ASSERT_TRUE(tmpl.launcher.has_value());
    EXPECT_TRUE(tmpl.launcher->command.empty());
    EXPECT_EQ(tmpl.launcher->args, (std::vector<std::string>{"--x", "1"}));
}

TEST(IrTranslation, TypedInputsAndOutputsAreDeclared) {
    std::string yaml = one_task_ir("", "", "");
    yaml.replace(yaml.find("components:\n  comp-a:\n    executorLabel: exec-a\n"), 47,
                 k_typed_component);
    auto workflow = load_ok(yaml);
    const auto& tmpl = template_named(workflow, "a");
    const auto* n = kfrun::model::find_by_name(tmpl.inputs.parameters, "n");
    ASSERT_NE(n, nullptr);
    EXPECT_EQ(n->type, "NUMBER_INTEGER");
    EXPECT_TRUE(n->optional);
    EXPECT_EQ(n->default_value.value_or(""), "100");  // canonical text of 100.0
    const auto* s = kfrun::model::find_by_name(tmpl.inputs.parameters, "s");
    ASSERT_NE(s, nullptr);
    EXPECT_FALSE(s->optional);
    EXPECT_FALSE(s->default_value.has_value());
    const auto* data = kfrun::model::find_by_name(tmpl.inputs.artifacts, "data");
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(data->schema_title, "system.Dataset");
    EXPECT_EQ(data->schema_version, "0.0.1");
    EXPECT_TRUE(data->is_list);
    EXPECT_TRUE(data->optional);
    const auto* y = kfrun::model::find_by_name(tmpl.outputs.parameters, "y");
    ASSERT_NE(y, nullptr);
    EXPECT_EQ(y->type, "NUMBER_DOUBLE");
    EXPECT_EQ(y->from_path.value_or(""), "/tmp/kfp/outputs/y");
    const auto* model = kfrun::model::find_by_name(tmpl.outputs.artifacts, "model");
    ASSERT_NE(model, nullptr);
    EXPECT_EQ(model->schema_title, "system.Model");
    EXPECT_EQ(model->metadata, nlohmann::json({{"framework", "torch"}}));
    EXPECT_TRUE(model->path.empty());
}

TEST(IrTranslation, Row12RootInputsBecomeTypedWorkflowArguments) {
    std::string yaml = one_task_ir();
    yaml.replace(
        yaml.find("root:\n"), 6,
        "root:\n  inputDefinitions:\n    parameters:\n"
        "      rate: {parameterType: NUMBER_DOUBLE, defaultValue: 1234567.5, isOptional: true}\n"
        "      tags: {parameterType: LIST, defaultValue: [b, a]}\n"
        "      conf: {parameterType: STRUCT, defaultValue: {z: 1, a: true}}\n"
        "      name: {parameterType: STRING}\n"
        "      opt: {parameterType: STRING, isOptional: true}\n");
    auto workflow = load_ok(yaml);
    const auto& arguments = workflow.arguments.parameters;
    ASSERT_EQ(arguments.size(), 5u);
    auto find = [&](const std::string& name) {
        const auto* parameter = kfrun::model::find_by_name(arguments, name);
        EXPECT_NE(parameter, nullptr) << name;
        return parameter != nullptr ? *parameter : kfrun::model::Parameter();
    };
    EXPECT_EQ(find("rate").type, "NUMBER_DOUBLE");
    EXPECT_EQ(find("rate").default_value.value_or(""), "1.2345675e+06");
    EXPECT_EQ(find("tags").default_value.value_or(""), R"(["b","a"])");
    EXPECT_EQ(find("conf").default_value.value_or(""), R"({"a":true,"z":1})");
    EXPECT_FALSE(find("name").default_value.has_value());
    EXPECT_FALSE(find("name").optional);
    EXPECT_TRUE(find("opt").optional);
    EXPECT_FALSE(find("opt").default_value.has_value());
}

TEST(IrTranslation, Row7TheMemoryStringWinsOverTheDeprecatedDouble) {
    auto workflow = load_ok(one_task_ir(
        "",
        "        resources: {resourceMemoryLimit: 14Gi, memoryLimit: 15.0, cpuLimit: 2.0, "
        "resourceCpuRequest: 500m}\n"));
    const auto& resources = template_named(workflow, "a").container.resources;
    EXPECT_EQ(resources.limits.at("memory"), "14Gi");
    EXPECT_EQ(resources.limits.at("cpu"), "2");
    EXPECT_EQ(resources.requests.at("cpu"), "500m");
    auto doubles = load_ok(one_task_ir("", "        resources: {memoryLimit: 15.0}\n"));
    EXPECT_EQ(template_named(doubles, "a").container.resources.limits.at("memory"), "15G");
}

TEST(IrTranslation, Row8AGpuAcceleratorBecomesAnNvidiaGpuLimit) {
    auto workflow = load_ok(
        one_task_ir("",
                    "        resources:\n          accelerator: {resourceType: nvidia.com/gpu, "
                    "resourceCount: '1'}\n"));
    EXPECT_EQ(template_named(workflow, "a").container.resources.limits.at("nvidia.com/gpu"), "1");
    auto tpu = load_ok(one_task_ir(
        "",
        "        resources:\n          accelerator: {resourceType: TPU_V3, resourceCount: '8'}\n"));
    EXPECT_EQ(template_named(tpu, "a").container.resources.limits.count("TPU_V3"), 0u);
    EXPECT_TRUE(has_notice(tpu, Notice::Severity::Ignored, "resources.accelerator"));
}

TEST(IrTranslation, AnImagePlaceholderAndEnvAreTranslated) {
    std::string yaml = one_task_ir(
        "        inputs:\n          parameters:\n            img: {runtimeValue: {constant: "
        "alpine}}\n",
        "        env:\n        - {name: A, value: b}\n");
    yaml.replace(yaml.find("        image: busybox\n"), 23,
                 "        image: \"{{$.inputs.parameters['img']}}\"\n");
    yaml.replace(yaml.find("    executorLabel: exec-a\n"), 26,
                 "    executorLabel: exec-a\n    inputDefinitions:\n      parameters:\n"
                 "        img: {parameterType: STRING}\n");
    auto workflow = load_ok(yaml);
    const auto& tmpl = template_named(workflow, "a");
    EXPECT_EQ(tmpl.container.image, "{{inputs.parameters.img}}");
    ASSERT_EQ(tmpl.container.env.size(), 1u);
    EXPECT_EQ(tmpl.container.env[0].name, "A");
    EXPECT_EQ(tmpl.container.env[0].value, "b");
    EXPECT_EQ(argument(task_named(template_named(workflow, "root"), "a"), "img"), "alpine");
}

namespace {

// comp-a declares every parameter in `names` as STRING; task a binds them as `bindings`.
std::string constants_ir(const std::vector<std::string>& names, const std::string& bindings) {
    std::string yaml = one_task_ir("        inputs:\n          parameters:\n" + bindings);
    std::string declarations =
        "    executorLabel: exec-a\n    inputDefinitions:\n      parameters:\n";
    for (const std::string& name : names) {
        declarations += "        " + name + ": {parameterType: STRING}\n";
    }
    yaml.replace(yaml.find("    executorLabel: exec-a\n"), 26, declarations);
    return yaml;
}

}  // namespace

TEST(IrTranslation, Rows19And20PipelinePlaceholdersOnlyWhenTheWholeConstant) {
    auto workflow = load_ok(constants_ir(
        {"uuid", "prefixed", "job", "resource", "task", "created", "scheduled", "task_uuid"},
        "            uuid: {runtimeValue: {constant: '{{$.pipeline_job_uuid}}'}}\n"
        "            prefixed: {runtimeValue: {constant: 'x-{{$.pipeline_job_uuid}}'}}\n"
        "            job: {runtimeValue: {constant: '{{$.pipeline_job_name}}'}}\n"
        "            resource: {runtimeValue: {constant: '{{$.pipeline_job_resource_name}}'}}\n"
        "            task: {runtimeValue: {constant: '{{$.pipeline_task_name}}'}}\n"
        "            created: {runtimeValue: {constant: '{{$.pipeline_job_create_time_utc}}'}}\n"
        "            scheduled: {runtimeValue: {constant: "
        "'{{$.pipeline_job_schedule_time_utc}}'}}\n"
        "            task_uuid: {runtimeValue: {constant: '{{$.pipeline_task_uuid}}'}}\n"));
    const auto& call = task_named(template_named(workflow, "root"), "a");
    EXPECT_EQ(argument(call, "uuid"), "{{workflow.uid}}");
    EXPECT_EQ(argument(call, "prefixed"), "x-{{$.pipeline_job_uuid}}");  // stays literal
    EXPECT_EQ(argument(call, "job"), "{{workflow.name}}");
    EXPECT_EQ(argument(call, "resource"), "{{workflow.name}}");
    EXPECT_EQ(argument(call, "task"), "a");
    EXPECT_EQ(argument(call, "created"), "{{workflow.creationTimestamp}}");
    EXPECT_EQ(argument(call, "scheduled"), "{{workflow.creationTimestamp}}");
    // Row 20: the parent DAG's execution ID has no Argo variable; passed as written for the
    // engine's launcher to resolve.
    EXPECT_EQ(argument(call, "task_uuid"), "{{$.pipeline_task_uuid}}");
}

TEST(IrTranslation, ConstantsTravelAsCanonicalText) {
    auto workflow =
        load_ok(constants_ir({"n", "f", "b", "l", "s"},
                             "            n: {runtimeValue: {constant: 3.0}}\n"
                             "            f: {runtimeValue: {constant: 1.0e-05}}\n"
                             "            b: {runtimeValue: {constant: true}}\n"
                             "            l: {runtimeValue: {constant: [1, 2]}}\n"
                             "            s: {runtimeValue: {constant: {b: 1, a: 2}}}\n"));
    const auto& call = task_named(template_named(workflow, "root"), "a");
    EXPECT_EQ(argument(call, "n"), "3");
    EXPECT_EQ(argument(call, "f"), "1e-05");
    EXPECT_EQ(argument(call, "b"), "true");
    EXPECT_EQ(argument(call, "l"), "[1,2]");
    EXPECT_EQ(argument(call, "s"), R"({"a":2,"b":1})");
}

TEST(IrTranslation, Row32AnFStringConstantUsesWhatTheTaskBindsItsPlaceholderTo) {
    std::string yaml = constants_ir({"text"},
                                    "            pipelinechannel--x: {componentInputParameter: x}\n"
                                    "            text: {runtimeValue: {constant: "
                                    "\"a-{{$.inputs.parameters['pipelinechannel--x']}}\"}}\n");
    yaml.replace(yaml.find("root:\n"), 6,
                 "root:\n  inputDefinitions:\n    parameters:\n      x: {parameterType: STRING}\n");
    auto workflow = load_ok(yaml);
    const auto& call = task_named(template_named(workflow, "root"), "a");
    EXPECT_EQ(argument(call, "text"), "a-{{inputs.parameters.x}}");
    // The pipelinechannel input only feeds the f-string: comp-a does not declare it.
    EXPECT_EQ(kfrun::model::find_by_name(call.arguments.parameters, "pipelinechannel--x"), nullptr);
}

TEST(IrTranslation, Rows75And77CachingOptions) {
    auto none = load_ok(one_task_ir("        cachingOptions: {}\n"));
    ASSERT_TRUE(template_named(none, "a").launcher.has_value());
    EXPECT_FALSE(template_named(none, "a").launcher->enable_cache);
    EXPECT_TRUE(template_named(none, "a").launcher->cache_key.empty());
    auto keyed = load_ok(one_task_ir("        cachingOptions: {enableCache: true, cacheKey: k}\n"));
    EXPECT_TRUE(template_named(keyed, "a").launcher->enable_cache);
    EXPECT_EQ(template_named(keyed, "a").launcher->cache_key, "k");
}

TEST(IrTranslation, ATaskConfigInputDefaultsToAnEmptyStruct) {
    std::string yaml = one_task_ir();
    yaml.replace(yaml.find("    executorLabel: exec-a\n"), 26,
                 "    executorLabel: exec-a\n    inputDefinitions:\n      parameters:\n"
                 "        config: {parameterType: TASK_CONFIG}\n");
    auto workflow = load_ok(yaml);
    const auto* config =
        kfrun::model::find_by_name(template_named(workflow, "a").inputs.parameters, "config");
    ASSERT_NE(config, nullptr);
    EXPECT_EQ(config->default_value.value_or(""), "{}");  // no Kubernetes settings here
}
