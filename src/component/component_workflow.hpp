#pragma once
// ComponentWorkflow: a component and the arguments of one run, compiled the way the KFP v1
// compiler compiles a single-step pipeline — one container template (the entrypoint) whose
// inputs are the pipeline's parameters and artifacts, with KFP's names and paths:
//   {inputValue: X}  → workflow parameter and template input parameter sanitize_k8s_name(X)
//   {inputPath: X}   → input artifact sanitize_k8s_name(X) at /tmp/inputs/<file name X>/data
//                      (a value becomes raw data, a host file is passed by the caller)
//   {outputPath: Y}  → output artifact <template>-<Y> at /tmp/outputs/<file name Y>/data, also an
//                      output parameter when Y has a parameter type (String, Integer, ...)
//   MLPipeline UI metadata / MLPipeline Metrics → artifacts mlpipeline-ui-metadata /
//                      mlpipeline-metrics (optional, as KFP's API server makes them)
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "component/component_spec.hpp"
#include "model/workflow.hpp"

namespace kfrun::component {

struct ComponentArguments {
    std::map<std::string, std::string> values;           // --input NAME=VALUE
    std::map<std::string, std::filesystem::path> files;  // --input-file NAME=PATH (not read here)
};

// An input given as a host file: the caller stores it and passes it as the entry template's
// artifact argument `artifact` (engine::RunOptions::input_artifacts).
struct ComponentInputFile {
    std::string input;
    std::string artifact;
    std::filesystem::path file;
};

// Where a component output ends up in the run's report.
struct ComponentOutput {
    std::string output;     // the component's name for it ("Hash")
    std::string artifact;   // the report's output artifact ("calculate-data-hash-Hash")
    std::string parameter;  // the report's output parameter, or empty
    std::string path;       // in the container
};

struct ComponentWorkflow {
    model::Workflow workflow;
    std::vector<ComponentInputFile> files;
    std::vector<ComponentOutput> outputs;

    const ComponentOutput* find_output(const std::string& name) const;
};

// Input errors name the place: an unknown input, a required input without a value, a value for
// an input used as a path given as both, a placeholder kfrun cannot honour.
base::Result<ComponentWorkflow> build_component_workflow(const ComponentSpec& spec,
                                                         const ComponentArguments& arguments);

}  // namespace kfrun::component
