// One task of a compiled pipeline as its own workflow (suites with `task:`).
#include <gtest/gtest.h>

#include "argo/workflow_loader.hpp"
#include "engine/validator.hpp"
#include "harness/task_workflow.hpp"

namespace kfrun::harness {
namespace {

model::Workflow train_evaluate() {
    auto workflow =
        argo::load_workflow_file(std::string(KFRUN_SOURCE_DIR) + "/examples/train-evaluate.yaml");
    EXPECT_TRUE(workflow.ok());
    return workflow.ok() ? std::move(workflow.value()) : model::Workflow{};
}

TEST(TaskWorkflow, EntrypointIsTheTasksTemplateWithTheCasesInputs) {
    model::Workflow pipeline = train_evaluate();
    TaskInputs inputs;
    inputs.values = {{"train-Output", "[0.5, 0.95]"},
                     {"learning-rates", "[0.1, 1.0]"},
                     {"threshold", "0.9"}};
    inputs.files = {{"make-dataset-dataset", "/data/dataset.csv"}};
    auto task = make_task_workflow(pipeline, "evaluate", inputs);
    ASSERT_TRUE(task.ok()) << task.error().to_string();
    EXPECT_EQ(task->workflow.entrypoint, "evaluate");
    EXPECT_TRUE(task->workflow.on_exit.empty());
    EXPECT_EQ(task->workflow.arguments.parameters.size(), 3u);
    ASSERT_EQ(task->files.size(), 1u);
    EXPECT_EQ(task->files[0].first, "make-dataset-dataset");
    for (const engine::Diagnostic& diagnostic : engine::validate_workflow(task->workflow)) {
        EXPECT_NE(diagnostic.severity, engine::Diagnostic::Severity::Error) << diagnostic.message;
    }
}

TEST(TaskWorkflow, ArtifactGivenAsValueBecomesRawData) {
    TaskInputs inputs;
    inputs.values = {{"train-Output", "[0.5]"},
                     {"learning-rates", "[0.1]"},
                     {"threshold", "0.9"},
                     {"make-dataset-dataset", "1,1,1\n"}};
    auto task = make_task_workflow(train_evaluate(), "evaluate", inputs);
    ASSERT_TRUE(task.ok()) << task.error().to_string();
    const model::Template* tmpl = task->workflow.find_template("evaluate");
    EXPECT_EQ(tmpl->inputs.artifacts.at(0).raw_data, "1,1,1\n");
    EXPECT_TRUE(task->files.empty());
}

TEST(TaskWorkflow, MissingOrUnknownInputsAndTasksAreNamed) {
    model::Workflow pipeline = train_evaluate();
    auto missing = make_task_workflow(pipeline, "deploy", {});
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("needs input parameter `evaluate-best_learning_rate`"),
              std::string::npos)
        << missing.error().message;
    auto unknown = make_task_workflow(pipeline, "deploy", {{{"rate", "1"}}, {}});
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().message.find("no input `rate`; its inputs: "
                                           "evaluate-best_learning_rate"),
              std::string::npos)
        << unknown.error().message;
    auto no_task = make_task_workflow(pipeline, "publish", {});
    ASSERT_FALSE(no_task.ok());
    EXPECT_NE(no_task.error().message.find("no task `publish`; its tasks: "), std::string::npos);
}

}  // namespace
}  // namespace kfrun::harness
