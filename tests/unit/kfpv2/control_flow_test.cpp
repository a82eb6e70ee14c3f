// IR control flow → model: depends, conditions, loops, Collected/OneOf outputs, exit handlers,
// retries (checklist rows 53, 56, 57, 58, 60, 61, 62, 63, 65, 66, 68, 69).
#include "ir_test_support.hpp"

using namespace kfrun::kfpv2::testing;
using kfrun::model::Notice;

namespace {

// A component `comp-<name>` running `sh -c echo` with STRING input `x` and output `y`.
std::string echo_component(const std::string& name) {
    return "  comp-" + name + ":\n    executorLabel: exec-" + name +
           "\n    inputDefinitions:\n      parameters:\n        x: {parameterType: STRING, "
           "isOptional: true}\n    outputDefinitions:\n      parameters:\n        y: "
           "{parameterType: STRING}\n";
}

std::string echo_executor(const std::string& name) {
    return "    exec-" + name + ":\n      container: {image: busybox, command: [sh, -c, echo]}\n";
}

// root DAG tasks (indented 6), extra components (indented 2), executors for `names`.
std::string pipeline(const std::string& root_tasks, const std::string& components,
                     const std::vector<std::string>& names, const std::string& root_extra = "") {
    std::string yaml = "pipelineInfo: {name: p}\nschemaVersion: 2.1.0\nroot:\n" + root_extra +
                       "  dag:\n    tasks:\n" + root_tasks + "components:\n" + components;
    for (const std::string& name : names) {
        yaml += echo_component(name);
    }
    yaml += "deploymentSpec:\n  executors:\n";
    for (const std::string& name : names) {
        yaml += echo_executor(name);
    }
    return yaml;
}

std::string task(const std::string& name, const std::string& component,
                 const std::string& extra = "") {
    return "      " + name + ":\n        componentRef: {name: comp-" + component +
           "}\n        taskInfo: {name: " + name + "}\n" + extra;
}

}  // namespace

TEST(IrControlFlow, Rows56And57DependentTasksAndProducersBecomeDepends) {
    auto workflow = load_ok(pipeline(
        task("a", "a") +
            task("b", "b",
                 "        inputs:\n          parameters:\n            x: {taskOutputParameter: "
                 "{producerTask: a, outputParameterKey: y}}\n") +
            task("c", "c", "        dependentTasks: [b, a]\n"),
        "", {"a", "b", "c"}));
    const auto& root = template_named(workflow, "root");
    EXPECT_EQ(task_named(root, "a").depends, "");
    EXPECT_EQ(task_named(root, "b").depends, "a.Succeeded");
    EXPECT_EQ(argument(task_named(root, "b"), "x"), "{{tasks.a.outputs.parameters.y}}");
    EXPECT_EQ(task_named(root, "c").depends, "a.Succeeded && b.Succeeded");
}

TEST(IrControlFlow, Row53AConditionIsCarriedVerbatimToTheTaskCall) {
    const std::string condition = "inputs.parameter_values['pipelinechannel--s'] == 'heads'";
    auto workflow = load_ok(
        pipeline(task("a", "a") +
                     task("condition-1", "condition-1",
                          "        dependentTasks: [a]\n"
                          "        inputs:\n          parameters:\n            pipelinechannel--s: "
                          "{taskOutputParameter: {producerTask: a, outputParameterKey: y}}\n"
                          "        triggerPolicy:\n          condition: \"" +
                              condition + "\"\n"),
                 "  comp-condition-1:\n    dag:\n      tasks:\n" +
                     std::string("        b:\n          componentRef: {name: comp-b}\n"
                                 "          inputs:\n            parameters:\n              x: "
                                 "{componentInputParameter: pipelinechannel--s}\n") +
                     "    inputDefinitions:\n      parameters:\n        pipelinechannel--s: "
                     "{parameterType: STRING}\n",
                 {"a", "b"}));
    const auto& call = task_named(template_named(workflow, "root"), "condition-1");
    EXPECT_EQ(call.condition, condition);
    EXPECT_EQ(call.template_name, "comp-condition-1");
    EXPECT_EQ(call.depends, "a.Succeeded");
    EXPECT_EQ(argument(call, "pipelinechannel--s"), "{{tasks.a.outputs.parameters.y}}");
    const auto& group = template_named(workflow, "comp-condition-1");
    EXPECT_EQ(argument(task_named(group, "b"), "x"), "{{inputs.parameters.pipelinechannel--s}}");
}

namespace {

// A loop for-loop-2 over `items` (YAML of ItemsSpec) whose body task `b` reads field `k` of
// the item; `policy` is spliced into the loop task.
std::string loop_pipeline(const std::string& items, const std::string& policy = "",
                          const std::string& root_inputs = "") {
    return pipeline(
        task("a", "a") +
            task("for-loop-2", "for-loop-2",
                 "        inputs:\n          parameters:\n            pipelinechannel--list: "
                 "{taskOutputParameter: {producerTask: a, outputParameterKey: y}}\n"
                 "        parameterIterator:\n          itemInput: pipelinechannel--item\n"
                 "          items: " +
                     items + "\n" + policy),
        "  comp-for-loop-2:\n    dag:\n      tasks:\n"
        "        b:\n          componentRef: {name: comp-b}\n"
        "          inputs:\n            parameters:\n              x:\n"
        "                componentInputParameter: pipelinechannel--item\n"
        "                parameterExpressionSelector: parseJson(string_value)[\"k\"]\n"
        "        c:\n          componentRef: {name: comp-c}\n"
        "          inputs:\n            parameters:\n              x: "
        "{componentInputParameter: pipelinechannel--item}\n"
        "    inputDefinitions:\n      parameters:\n"
        "        pipelinechannel--item: {parameterType: STRING}\n"
        "        pipelinechannel--list: {parameterType: LIST}\n"
        "    outputDefinitions:\n      parameters:\n"
        "        pipelinechannel--b-y: {parameterType: LIST}\n"
        "  comp-for-loop-2-unused: {dag: {tasks: {}}}\n",
        {"a", "b", "c"}, root_inputs);
}

}  // namespace

TEST(IrControlFlow, Row58ARawIteratorBecomesWithItemsAndTheItemInputIsItem) {
    auto workflow = load_ok(loop_pipeline("{raw: '[{\"k\": 1}, {\"k\": 2}, {\"k\": 3}]'}"));
    const auto& loop = task_named(template_named(workflow, "root"), "for-loop-2");
    ASSERT_TRUE(loop.with_items.has_value());
    EXPECT_EQ(*loop.with_items, nlohmann::json::parse(R"([{"k":1},{"k":2},{"k":3}])"));
    EXPECT_EQ(argument(loop, "pipelinechannel--item"), "{{item}}");
    // The body's selector reads field k: a subvar input bound to {{item.k}}.
    EXPECT_EQ(argument(loop, "pipelinechannel--item-subvar-k"), "{{item.k}}");
    const auto& body = template_named(workflow, "comp-for-loop-2");
    EXPECT_NE(kfrun::model::find_by_name(body.inputs.parameters, "pipelinechannel--item-subvar-k"),
              nullptr);
    EXPECT_EQ(argument(task_named(body, "b"), "x"),
              "{{inputs.parameters.pipelinechannel--item-subvar-k}}");
    EXPECT_EQ(argument(task_named(body, "c"), "x"), "{{inputs.parameters.pipelinechannel--item}}");
}

TEST(IrControlFlow, AnInputParameterIteratorBecomesWithParam) {
    auto workflow = load_ok(loop_pipeline("{inputParameter: pipelinechannel--list}"));
    const auto& loop = task_named(template_named(workflow, "root"), "for-loop-2");
    EXPECT_FALSE(loop.with_items.has_value());
    EXPECT_EQ(loop.with_param, "{{tasks.a.outputs.parameters.y}}");
    EXPECT_EQ(loop.depends, "a.Succeeded");
}

TEST(IrControlFlow, Row60ParallelismLimitWrapsTheLoopInADagWithParallelism) {
    auto workflow = load_ok(loop_pipeline("{inputParameter: pipelinechannel--list}",
                                          "        iteratorPolicy: {parallelismLimit: 2}\n"));
    const auto& outer = task_named(template_named(workflow, "root"), "for-loop-2");
    EXPECT_FALSE(outer.is_loop());
    EXPECT_EQ(outer.depends, "a.Succeeded");
    EXPECT_EQ(argument(outer, "kfrun-loop-items"), "{{tasks.a.outputs.parameters.y}}");
    const auto& wrapper = template_named(workflow, outer.template_name);
    EXPECT_EQ(wrapper.parallelism.value_or(""), "2");
    ASSERT_EQ(wrapper.dag.tasks.size(), 1u);
    const auto& inner = wrapper.dag.tasks.front();
    EXPECT_EQ(inner.template_name, "comp-for-loop-2");
    EXPECT_EQ(inner.with_param, "{{inputs.parameters.kfrun-loop-items}}");
    EXPECT_EQ(argument(inner, "pipelinechannel--item"), "{{item}}");
    EXPECT_EQ(argument(inner, "pipelinechannel--list"),
              "{{inputs.parameters.pipelinechannel--list}}");
    // The loop's outputs (Collected) come back out of the wrapper.
    const auto* collected =
        kfrun::model::find_by_name(wrapper.outputs.parameters, "pipelinechannel--b-y");
    ASSERT_NE(collected, nullptr);
    EXPECT_EQ(collected->from_parameter.value_or(""),
              "{{tasks.for-loop-2.outputs.parameters.pipelinechannel--b-y}}");
}

TEST(IrControlFlow, Row61AnArtifactIteratorIsRejected) {
    auto error = load_error(
        pipeline(task("for-loop-1", "a",
                      "        artifactIterator:\n          itemInput: x\n          items: "
                      "{inputArtifact: y}\n"),
                 "", {"a"}));
    EXPECT_NE(error.message.find("artifact iterator not implemented yet"), std::string::npos);
    EXPECT_NE(error.where.find("(root.dag.tasks.for-loop-1.artifactIterator)"), std::string::npos)
        << error.where;
}

TEST(IrControlFlow, Rows62And63CollectedAndOneOfDagOutputs) {
    std::string yaml = pipeline(task("a", "a") + task("b", "b"), "", {"a", "b"},
                                "  outputDefinitions:\n    parameters:\n"
                                "      one: {parameterType: STRING}\n"
                                "      collected: {parameterType: LIST}\n");
    yaml.replace(
        yaml.find("components:\n"), 12,
        "    outputs:\n      parameters:\n"
        "        collected: {valueFromParameter: {producerSubtask: a, outputParameterKey: y}}\n"
        "        one:\n          valueFromOneof:\n            parameterSelectors:\n"
        "            - {producerSubtask: b, outputParameterKey: y}\n"
        "            - {producerSubtask: a, outputParameterKey: y}\n"
        "      artifacts:\n        art:\n          artifactSelectors:\n"
        "          - {producerSubtask: b, outputArtifactKey: m}\n"
        "          - {producerSubtask: a, outputArtifactKey: m}\n"
        "components:\n");
    auto outputs = load_ok(yaml);
    const auto& root = template_named(outputs, "root");
    const auto* collected = kfrun::model::find_by_name(root.outputs.parameters, "collected");
    ASSERT_NE(collected, nullptr);
    EXPECT_EQ(collected->type, "LIST");
    EXPECT_EQ(collected->from_parameter.value_or(""), "{{tasks.a.outputs.parameters.y}}");
    const auto* one = kfrun::model::find_by_name(root.outputs.parameters, "one");
    ASSERT_NE(one, nullptr);
    EXPECT_EQ(one->from_first_of, (std::vector<std::string>{"{{tasks.b.outputs.parameters.y}}",
                                                            "{{tasks.a.outputs.parameters.y}}"}));
    const auto* art = kfrun::model::find_by_name(root.outputs.artifacts, "art");
    ASSERT_NE(art, nullptr);
    EXPECT_EQ(art->from_first_of, (std::vector<std::string>{"{{tasks.b.outputs.artifacts.m}}",
                                                            "{{tasks.a.outputs.artifacts.m}}"}));
}

TEST(IrControlFlow, Rows65And66TheExitTaskRunsAfterAnyEndAndGetsTheFinalStatus) {
    std::string yaml = pipeline(
        task("exit-handler-1", "exit-handler-1") +
            task("notify", "notify",
                 "        dependentTasks: [exit-handler-1]\n"
                 "        inputs:\n          parameters:\n            status: {taskFinalStatus: "
                 "{producerTask: exit-handler-1}}\n"
                 "        triggerPolicy: {strategy: ALL_UPSTREAM_TASKS_COMPLETED}\n"),
        "  comp-exit-handler-1:\n    dag:\n      tasks:\n"
        "        a:\n          componentRef: {name: comp-a}\n"
        "  comp-notify:\n    executorLabel: exec-notify\n    inputDefinitions:\n"
        "      parameters:\n        status: {parameterType: TASK_FINAL_STATUS}\n",
        {"a"});
    yaml += "    exec-notify:\n      container: {image: busybox, command: [sh, -c, echo]}\n";
    auto workflow = load_ok(yaml);
    const auto& notify = task_named(template_named(workflow, "root"), "notify");
    EXPECT_EQ(notify.depends,
              "(exit-handler-1.Succeeded || exit-handler-1.Failed || exit-handler-1.Errored || "
              "exit-handler-1.Skipped || exit-handler-1.Omitted)");
    EXPECT_EQ(argument(notify, "status"),
              R"({"error":{},"pipelineJobResourceName":"{{workflow.name}}",)"
              R"("pipelineTaskName":"exit-handler-1","state":"{{tasks.exit-handler-1.status}}"})");
    const auto* status = kfrun::model::find_by_name(
        template_named(workflow, notify.template_name).inputs.parameters, "status");
    ASSERT_NE(status, nullptr);
    EXPECT_EQ(status->type, "TASK_FINAL_STATUS");
}

TEST(IrControlFlow, Row68ARetryPolicyOnAContainerTaskBecomesAnArgoRetryStrategy) {
    auto workflow = load_ok(pipeline(
        task("a", "a",
             "        retryPolicy: {maxRetryCount: 2, backoffDuration: 1.5s, backoffFactor: 2.0, "
             "backoffMaxDuration: 3600s}\n"),
        "", {"a"}));
    const auto& tmpl = template_named(workflow, "a");
    ASSERT_TRUE(tmpl.retry_strategy.has_value());
    EXPECT_EQ(tmpl.retry_strategy->limit.value_or(""), "2");
    EXPECT_EQ(tmpl.retry_strategy->retry_policy, "Always");
    ASSERT_TRUE(tmpl.retry_strategy->backoff.has_value());
    EXPECT_EQ(tmpl.retry_strategy->backoff->duration, "1");  // whole seconds, as the backend
    EXPECT_EQ(tmpl.retry_strategy->backoff->factor, "2");
    EXPECT_EQ(tmpl.retry_strategy->backoff->max_duration, "3600");
}

// The IR's durations are hostile bytes: 1e300s and NaN made the cast to whole seconds undefined
// (found in review); they become the longest a Go duration holds, and 0.
TEST(IrControlFlow, ARetryBackoffBeyondAnyDurationIsBounded) {
    auto workflow =
        load_ok(pipeline(task("a", "a",
                              "        retryPolicy: {maxRetryCount: 1, backoffDuration: 1e300s, "
                              "backoffMaxDuration: nans}\n"),
                         "", {"a"}));
    const auto& backoff = template_named(workflow, "a").retry_strategy->backoff;
    ASSERT_TRUE(backoff.has_value());
    EXPECT_EQ(backoff->duration, "9223372036");
    EXPECT_EQ(backoff->max_duration, "0");
}

TEST(IrControlFlow, Row69ARetryPolicyOnADagTaskIsIgnoredWithANotice) {
    auto workflow =
        load_ok(pipeline(task("group", "group", "        retryPolicy: {maxRetryCount: 2}\n"),
                         "  comp-group:\n    dag:\n      tasks:\n        a:\n          "
                         "componentRef: {name: comp-a}\n",
                         {"a"}));
    EXPECT_TRUE(
        has_notice(workflow, Notice::Severity::Ignored, "root.dag.tasks.group.retryPolicy"));
    for (const auto& tmpl : workflow.templates) {
        EXPECT_FALSE(tmpl.retry_strategy.has_value()) << tmpl.name;
    }
}

TEST(IrControlFlow, AFieldOfALoopItemPassedThroughAConditionGroupIsTracedToTheItem) {
    // for-loop-2 (item pipelinechannel--item) → condition-3 receives the item as
    // pipelinechannel--it → task b selects field k: condition-3 gets a subvar input bound by
    // the loop body to its own subvar, which the loop binds to {{item.k}}.
    auto workflow = load_ok(
        pipeline(task("for-loop-2", "for-loop-2",
                      "        parameterIterator:\n          itemInput: pipelinechannel--item\n"
                      "          items: {raw: '[{\"k\": \"x\"}]'}\n"),
                 "  comp-for-loop-2:\n    dag:\n      tasks:\n"
                 "        condition-3:\n          componentRef: {name: comp-condition-3}\n"
                 "          inputs:\n            parameters:\n              pipelinechannel--it: "
                 "{componentInputParameter: pipelinechannel--item}\n"
                 "    inputDefinitions:\n      parameters:\n"
                 "        pipelinechannel--item: {parameterType: STRUCT}\n"
                 "  comp-condition-3:\n    dag:\n      tasks:\n"
                 "        b:\n          componentRef: {name: comp-b}\n"
                 "          inputs:\n            parameters:\n              x:\n"
                 "                componentInputParameter: pipelinechannel--it\n"
                 "                parameterExpressionSelector: parseJson(string_value)[\"k\"]\n"
                 "    inputDefinitions:\n      parameters:\n"
                 "        pipelinechannel--it: {parameterType: STRUCT}\n",
                 {"b"}));
    const auto& loop = task_named(template_named(workflow, "root"), "for-loop-2");
    EXPECT_EQ(argument(loop, "pipelinechannel--item-subvar-k"), "{{item.k}}");
    const auto& body = template_named(workflow, "comp-for-loop-2");
    EXPECT_EQ(argument(task_named(body, "condition-3"), "pipelinechannel--it-subvar-k"),
              "{{inputs.parameters.pipelinechannel--item-subvar-k}}");
    const auto& group = template_named(workflow, "comp-condition-3");
    EXPECT_EQ(argument(task_named(group, "b"), "x"),
              "{{inputs.parameters.pipelinechannel--it-subvar-k}}");
}

TEST(IrControlFlow, AnUnsupportedSelectorIsNamedAtItsPath) {
    auto workflow = load_ok(pipeline(
        task("a", "a",
             "        inputs:\n          parameters:\n            x:\n"
             "              taskOutputParameter: {producerTask: b, outputParameterKey: y}\n"
             "              parameterExpressionSelector: size(string_value)\n") +
            task("b", "b"),
        "", {"a", "b"}));
    EXPECT_TRUE(has_notice(workflow, Notice::Severity::Unsupported,
                           "root.dag.tasks.a.inputs.parameters.x.parameterExpressionSelector"));
}
