#pragma once
// Translation: the state shared while an IR PipelineSpec becomes a model::Workflow — the
// documents, the workflow being built, template names, loop items — and the helpers every
// part uses (YAML paths, errors, notices). Internal to src/kfpv2.
#include <map>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "kfpv2/ir_documents.hpp"
#include "model/workflow.hpp"

namespace kfrun::kfpv2 {

inline constexpr const char* k_pipeline_root = "minio://kfrun/v2/artifacts";
inline constexpr const char* k_output_parameter_dir = "/tmp/kfp/outputs/";
// pipelineConfig.workspace: one volume per run, mounted here in every container task.
inline constexpr const char* k_workspace_path = "/kfp-workspace";
inline constexpr const char* k_workspace_volume = "kfp-workspace";

// The JSON member `key` of `object`, or null.
const nlohmann::json& member(const nlohmann::json& object, const char* key);
// A string member, or "".
std::string text_member(const nlohmann::json& object, const char* key);

struct Translation {
    Translation(const IrDocuments& documents, model::Workflow& workflow)
        : docs(documents), spec(documents.spec), workflow(workflow) {}

    const IrDocuments& docs;
    const nlohmann::json& spec;
    model::Workflow& workflow;
    std::string pipeline_name;
    std::set<std::string> used_names;                  // template names taken
    std::map<std::string, std::string> dag_templates;  // component key → template name
    // Fields of struct inputs that tasks select with parseJson(string_value)["key"]: per DAG
    // component, (input, key) pairs. Each becomes an extra input `<input>-subvar-<key>` of the
    // component's template, bound by its callers to `{{item.key}}` (a loop item) or to their
    // own subvar input (the item passed down through condition groups).
    std::map<std::string, std::set<std::pair<std::string, std::string>>> subvars;

    // The spec-relative path `rel` as a YAML path of the file ("pipelineSpec.root..." when
    // the spec was wrapped in a PipelineJob).
    std::string path(const std::string& rel) const;
    base::Error error(const std::string& rel, std::string message) const;
    // Platform paths are absolute ("platforms.kubernetes....").
    void notice(model::Notice::Severity severity, const std::string& absolute_path,
                std::string message);
    std::string unique_name(const std::string& wanted);

    const nlohmann::json& component(const std::string& name) const;           // null when absent
    const nlohmann::json& executor(const std::string& label) const;           // null when absent
    const nlohmann::json& platform_executor(const std::string& label) const;  // null if none
};

std::string join_path(const std::string& path, const std::string& key);
// A DAG component's name in messages: its key, or "root".
inline std::string dag_name(const std::string& component_key) {
    return component_key.empty() ? std::string("root") : component_key;
}

// The name `{{$.inputs.parameters['x']}}` holds, when `text` is exactly that placeholder.
std::optional<std::string> whole_input_placeholder(const std::string& text);

// --- the parts (one file each) ---------------------------------------------------------------

// Typed declarations (dag_io.cpp).
model::Inputs declared_inputs(const Translation& t, const nlohmann::json& component,
                              const std::string& rel);
model::Outputs declared_outputs(const Translation& t, const nlohmann::json& component,
                                const std::string& rel, bool container);

// A DAG component as a Dag template (dag_translation.cpp).
base::Result<void> translate_dag(Translation& t, const std::string& component_key,
                                 const nlohmann::json& component, const std::string& rel);

// A task's inputs as call arguments; producers found are added to `upstream`
// (task_arguments.cpp).
struct DagScope {
    const nlohmann::json* component = nullptr;  // the DAG component the task is in
    std::string component_key;
    const nlohmann::json* tasks = nullptr;  // its dag.tasks
};
// `bound`: every task input parameter's Argo expression, by name (also those the callee does
// not declare, which only feed f-strings and iterators).
base::Result<void> bind_task_inputs(Translation& t, const DagScope& dag, const std::string& task,
                                    const nlohmann::json& task_spec, const std::string& rel,
                                    const nlohmann::json& callee, model::TaskCall& call,
                                    std::set<std::string>& upstream,
                                    std::map<std::string, std::string>& bound);
// The key of a selector `parseJson(string_value)["key"]`, or nullopt.
std::optional<std::string> selector_key(const std::string& selector);

// A container task's own template (container_translation.cpp); returns its name. `bound`: the
// task's input bindings (bind_task_inputs), for image and resource placeholders naming an input
// the component does not declare (`pipelinechannel--x`, which the driver resolves too).
base::Result<std::string> translate_container_task(
    Translation& t, const std::string& task, const nlohmann::json& task_spec,
    const std::string& rel, const std::string& component_key, const nlohmann::json& executor,
    const std::string& executor_label, model::TaskCall& call, std::set<std::string>& upstream,
    const std::map<std::string, std::string>& bound);

// An importer task's own Importer template (importer_translation.cpp); returns its name.
base::Result<std::string> translate_importer_task(Translation& t, const std::string& task,
                                                  const nlohmann::json& task_spec,
                                                  const std::string& rel,
                                                  const std::string& component_key,
                                                  const std::string& executor_label);

// The platform document's settings for an executor label on a container template
// (platform_translation.cpp). Task-output names become hidden inputs bound on `call`.
base::Result<void> apply_platform(Translation& t, const std::string& executor_label,
                                  model::Template& tmpl, model::TaskCall& call,
                                  std::set<std::string>& upstream);

// CreatePVC / DeletePVC (image argostub/createpvc, argostub/deletepvc) as resource templates
// (pvc_tasks.cpp). Returns the template name, or nullopt when the executor is not one.
std::optional<base::Result<std::string>> translate_pvc_task(Translation& t, const std::string& task,
                                                            const std::string& rel,
                                                            const std::string& component_key,
                                                            const nlohmann::json& executor,
                                                            const model::TaskCall& call);

}  // namespace kfrun::kfpv2
