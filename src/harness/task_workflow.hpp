#pragma once
// One task of a compiled pipeline as a workflow of its own, for a suite with `task:`: the
// task's template becomes the entrypoint, its input parameters the workflow's parameters, and
// its input artifacts come from the case (a value as raw data, a file through the store). The
// exit handler is dropped; the rest of the pipeline stays (a DAG task may call other templates).
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "model/workflow.hpp"

namespace kfrun::harness {

struct TaskInputs {
    std::map<std::string, std::string> values;
    std::map<std::string, std::filesystem::path> files;
};

struct TaskWorkflow {
    model::Workflow workflow;
    std::string template_name;
    // Input artifacts given as files: artifact name → host path (the caller stores them and
    // passes them as engine::RunOptions::input_artifacts).
    std::vector<std::pair<std::string, std::filesystem::path>> files;
};

// `task` names a DAG task or steps entry (or, failing that, a template). Input errors list
// what the task has or needs.
base::Result<TaskWorkflow> make_task_workflow(const model::Workflow& pipeline,
                                              const std::string& task, const TaskInputs& inputs);

}  // namespace kfrun::harness
