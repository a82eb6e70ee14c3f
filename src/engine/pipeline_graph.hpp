#pragma once
// PipelineGraph: the shape of a workflow before anything runs — every task of the entrypoint
// (and of the exit handler), the DAG and steps templates they call expanded below them, and the
// edges between sibling tasks. This is what `kfrun graph` draws and `kfrun list` lists; it reads
// the model only, so loops and conditions appear once, annotated, not expanded.
#include <string>
#include <vector>

#include "model/workflow.hpp"

namespace kfrun::engine {

struct GraphTask {
    std::string id;            // unique: the task names from the root joined by '/'
    std::string name;          // the task's name in its DAG (or step group)
    std::string display_name;  // KFP's task_display_name annotation, else the name
    std::string template_name;
    model::Template::Kind kind = model::Template::Kind::Unsupported;
    std::string image;                      // container and script templates: as written
    std::string when;                       // the condition, as written
    std::string loop;                       // "withItems (3)", "withParam …", "withSequence …"
    std::vector<std::string> dependencies;  // ids of sibling tasks this one waits for
    std::vector<GraphTask> children;        // the tasks of the DAG/steps template it calls
    bool recursive = false;  // calls a template above it: drawn once, not expanded again
    std::string yaml_path;
};

struct PipelineGraph {
    std::string name;
    GraphTask root;  // the entrypoint (a pseudo-task named after it)
    bool has_exit_handler = false;
    GraphTask exit_handler;  // spec.onExit, when has_exit_handler
};

PipelineGraph describe_pipeline(const model::Workflow& workflow, const std::string& name);

// Depth-first, parents before children, siblings in dependency order (ties in YAML order).
std::vector<const GraphTask*> flatten(const GraphTask& root);

// Every leaf template (container, script, resource) a graph reaches, by template name, once.
std::vector<const GraphTask*> leaf_tasks(const PipelineGraph& graph);

}  // namespace kfrun::engine
