#pragma once
// A two-task KFP v2 pipeline as the IR front end makes it (launcher templates, typed inputs and
// outputs), built on an Argo skeleton loaded from YAML: producer `p` (output parameter `y`,
// output artifact `m`) → consumer `c` (input parameter `x` from y, input artifact `a` from m).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/workflow.hpp"
#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

namespace kfrun::test_support {

inline constexpr const char* k_producer_task_root = "/minio/kfrun/v2/artifacts/demo/p";

inline model::Template& template_named(model::Workflow& workflow, const std::string& name) {
    for (model::Template& tmpl : workflow.templates) {
        if (tmpl.name == name) {
            return tmpl;
        }
    }
    throw std::runtime_error("no template " + name);
}

// Turns a loaded container template into a launcher template of pipeline `demo`.
inline void make_launcher(model::Template& tmpl, std::vector<std::string> command,
                          std::vector<std::string> args, const std::string& task) {
    model::Launcher launcher;
    launcher.command = std::move(command);
    launcher.args = std::move(args);
    launcher.pipeline_name = "demo";
    launcher.pipeline_root = "minio://kfrun/v2/artifacts";
    launcher.component_name = "comp-" + task;
    launcher.task_name = task;
    tmpl.launcher = std::move(launcher);
    tmpl.container.command.clear();
    tmpl.container.args.clear();
    for (model::Artifact& artifact : tmpl.inputs.artifacts) {
        artifact.path.clear();
        if (artifact.schema_title.empty()) {
            artifact.schema_title = "system.Artifact";
            artifact.schema_version = "0.0.1";
        }
    }
    for (model::Artifact& artifact : tmpl.outputs.artifacts) {
        artifact.path.clear();
        if (artifact.schema_title.empty()) {
            artifact.schema_title = "system.Artifact";
            artifact.schema_version = "0.0.1";
        }
    }
    for (model::Parameter& parameter : tmpl.inputs.parameters) {
        if (parameter.type.empty()) {
            parameter.type = "STRING";
        }
    }
    for (model::Parameter& parameter : tmpl.outputs.parameters) {
        if (parameter.type.empty()) {
            parameter.type = "STRING";
        }
    }
}

// p → c. `y_type` types p's output y and c's input x.
inline model::Workflow producer_consumer(EngineHarness& h, const std::string& y_type,
                                         std::vector<std::string> consumer_args) {
    model::Workflow wf = h.load(workflow_yaml(R"(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: p, template: prod}
      - name: c
        template: cons
        dependencies: [p]
        arguments:
          parameters: [{name: x, value: "{{tasks.p.outputs.parameters.y}}"}]
          artifacts: [{name: a, from: "{{tasks.p.outputs.artifacts.m}}"}]
  - name: prod
    container: {image: busybox}
    outputs:
      parameters: [{name: y, valueFrom: {path: /tmp/kfp/outputs/y}}]
      artifacts: [{name: m, path: /unused/m}]
  - name: cons
    inputs:
      parameters: [{name: x}]
      artifacts: [{name: a, path: /unused/a}]
    container: {image: busybox}
)"));
    model::Template& prod = template_named(wf, "prod");
    prod.outputs.parameters[0].type = y_type;
    prod.outputs.artifacts[0].schema_title = "system.Model";
    prod.outputs.artifacts[0].schema_version = "0.0.1";
    make_launcher(prod, {"sh", "-c"},
                  {"produce", "{{$.outputs.parameters['y'].output_file}}",
                   "{{$.outputs.artifacts['m'].path}}"},
                  "p");
    model::Template& cons = template_named(wf, "cons");
    cons.inputs.parameters[0].type = y_type;
    make_launcher(cons, {"consume"}, std::move(consumer_args), "c");
    return wf;
}

inline nlohmann::json executor_input_of(const engine::StepSpec& spec, std::size_t index) {
    return nlohmann::json::parse(spec.command.at(index));
}

}  // namespace kfrun::test_support
