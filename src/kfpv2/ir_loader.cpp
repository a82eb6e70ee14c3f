#include "kfpv2/ir_loader.hpp"

#include "base/limits.hpp"
#include "base/names.hpp"
#include "kfpv2/ir_documents.hpp"
#include "kfpv2/translation.hpp"
#include "model/typed_value.hpp"
#include "model/yaml_json.hpp"

namespace kfrun::kfpv2 {

using base::Result;

namespace {

// Every executor is a container or an importer; resolver and customJob are refused, as the
// backend's compiler refuses them.
Result<void> check_executors(const Translation& t) {
    const nlohmann::json& executors = member(member(t.spec, "deploymentSpec"), "executors");
    for (const auto& [label, executor] : executors.items()) {
        const std::string rel = "deploymentSpec.executors." + label;
        for (const char* kind : {"resolver", "customJob"}) {
            if (executor.contains(kind)) {
                return t.error(rel + "." + kind,
                               "executor `" + label + "` is a " + kind +
                                   ", which KFP's backend does not run (only container and "
                                   "importer executors)");
            }
        }
        if (!executor.contains("container") && !executor.contains("importer")) {
            return t.error(rel, "executor `" + label + "` has neither container nor importer");
        }
    }
    return base::ok();
}

// The fields of DAG inputs that tasks select (parseJson(string_value)["key"]), carried up
// through the callers that pass the input down unchanged, until a loop item or a constant.
void collect_selections(Translation& t,
                        const std::vector<std::pair<std::string, const nlohmann::json*>>& dags) {
    for (const auto& [key, component] : dags) {
        for (const auto& [task, spec] : member(member(*component, "dag"), "tasks").items()) {
            for (const auto& [name, input] : member(member(spec, "inputs"), "parameters").items()) {
                const std::string source = text_member(input, "componentInputParameter");
                auto field = selector_key(text_member(input, "parameterExpressionSelector"));
                if (!source.empty() && field) {
                    t.subvars[key].insert({source, *field});
                }
            }
        }
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto& [key, component] : dags) {
            for (const auto& [task, spec] : member(member(*component, "dag"), "tasks").items()) {
                auto needs = t.subvars.find(text_member(member(spec, "componentRef"), "name"));
                if (needs == t.subvars.end()) {
                    continue;
                }
                const std::string item =
                    text_member(member(spec, "parameterIterator"), "itemInput");
                for (const auto& [input, field] : std::set(needs->second)) {
                    const nlohmann::json& binding =
                        member(member(member(spec, "inputs"), "parameters"), input.c_str());
                    const std::string source = text_member(binding, "componentInputParameter");
                    if (input == item || source.empty() ||
                        binding.contains("parameterExpressionSelector")) {
                        continue;
                    }
                    changed |= t.subvars[key].insert({source, field}).second;
                }
            }
        }
    }
}

void read_pipeline_config(Translation& t) {
    const nlohmann::json& config = member(t.docs.platform, "pipelineConfig");
    if (!config.is_object()) {
        return;
    }
    const std::string base = t.docs.platform_base + ".pipelineConfig";
    const nlohmann::json& deadline = member(config, "activeDeadlineSeconds");
    if (!deadline.is_null()) {
        std::string seconds =
            deadline.is_string() ? deadline.get<std::string>() : model::canonical_text(deadline);
        if (seconds != "0") {
            t.workflow.active_deadline_seconds = seconds;
        }
    }
    if (config.contains("workspace")) {
        // As the backend's run PVC `<run>-kfp-workspace`: one Docker volume per run, removed
        // with it, mounted at /kfp-workspace in every container task.
        const nlohmann::json& workspace = config["workspace"];
        model::VolumeClaimTemplate claim;
        claim.name = k_workspace_volume;
        claim.storage = text_member(workspace, "size");
        claim.yaml_path = base + ".workspace";
        t.workflow.volume_claim_templates.push_back(std::move(claim));
        for (model::Template& tmpl : t.workflow.templates) {
            if (tmpl.launcher) {
                tmpl.container.volume_mounts.push_back(
                    model::VolumeMount{k_workspace_volume, k_workspace_path, "", false});
            }
        }
        if (workspace.contains("kubernetes")) {
            t.notice(model::Notice::Severity::Ignored, base + ".workspace.kubernetes",
                     "the workspace's PVC settings have no meaning for a Docker volume; ignored");
        }
    }
    for (const char* key :
         {"resourceTtlOnCompletion", "resourceTtlOnSuccess", "resourceTtlOnFailure"}) {
        if (config.contains(key)) {
            t.notice(model::Notice::Severity::Ignored, base + "." + key,
                     "`" + std::string(key) + "` has no meaning on a local Docker daemon; ignored");
        }
    }
}

}  // namespace

Result<model::Workflow> load_ir_text(const std::string& text, const std::string& name) {
    model::Workflow workflow;
    workflow.sources.set_file(name);
    auto documents = read_ir_documents(text, workflow.sources);
    KFRUN_TRY(documents);
    Translation t(*documents, workflow);

    const nlohmann::json& info = member(t.spec, "pipelineInfo");
    t.pipeline_name = text_member(info, "name");
    // As the backend's compiler: the run's name is generated from the last segment of
    // pipelineInfo.name ("namespace/n1/pipeline/hello-world" → "hello-world-xxxxx"), so
    // {{workflow.name}} (the run object name) differs per run; pipelineInfo.name itself
    // scopes artifact URIs and the cache (Launcher::pipeline_name).
    const std::string last_segment = t.pipeline_name.substr(t.pipeline_name.rfind('/') + 1);
    workflow.generate_name = (last_segment.empty() ? "pipeline" : last_segment) + "-";
    if (!base::is_generate_name_prefix(workflow.generate_name)) {
        // The run's name becomes container names and file names: never `../x` or `A B`.
        t.notice(model::Notice::Severity::Unsupported, t.path("pipelineInfo.name"),
                 "pipelineInfo.name `" + t.pipeline_name +
                     "` cannot name a run: its last segment must be " +
                     std::string(base::k_dns1123_subdomain_rule) +
                     " (the KFP SDK writes [a-z0-9-] only)");
        workflow.generate_name = "pipeline-";
    }
    workflow.display_name = text_member(info, "displayName");
    if (workflow.display_name.empty()) {
        workflow.display_name = t.pipeline_name;
    }
    workflow.description = text_member(info, "description");
    if (documents->unwrapped_job) {
        t.notice(model::Notice::Severity::Ignored, documents->spec_base,
                 "this file is a PipelineJob: kfrun runs its `pipelineSpec` (the job's name, "
                 "labels and runtimeConfig are not read)");
    }
    KFRUN_TRY(check_executors(t));
    const std::string root_uri = text_member(t.spec, "defaultPipelineRoot");
    if (!root_uri.empty()) {
        // Not read by the KFP backend either: the run's root comes from its configuration.
        t.notice(model::Notice::Severity::Ignored, t.path("defaultPipelineRoot"),
                 "defaultPipelineRoot `" + root_uri + "` is not used: artifacts live under " +
                     k_pipeline_root + " (the store kfrun keeps on this machine)");
    }

    // Template names: the root DAG, then every DAG component under its own key.
    const nlohmann::json& root = t.spec["root"];
    std::vector<std::pair<std::string, const nlohmann::json*>> dags = {{"", &root}};
    t.dag_templates[""] = t.unique_name("root");
    for (const auto& [key, component] : member(t.spec, "components").items()) {
        if (component.contains("dag")) {
            t.dag_templates[key] = t.unique_name(key);
            dags.emplace_back(key, &component);
        } else if (!component.contains("executorLabel")) {
            return t.error("components." + key,
                           "component `" + key + "` has neither dag nor executorLabel");
        }
    }
    collect_selections(t, dags);

    // Pipeline input parameters become the run's arguments; pipeline input artifacts stay
    // input artifacts of the entry DAG template, supplied by `kfrun run --input-file NAME=PATH`.
    model::Inputs root_inputs = declared_inputs(t, root, "root");
    workflow.arguments.parameters = std::move(root_inputs.parameters);
    workflow.entrypoint = t.dag_templates[""];
    for (const auto& [key, component] : dags) {
        KFRUN_TRY(translate_dag(t, key, *component, key.empty() ? "root" : "components." + key));
    }
    read_pipeline_config(t);
    workflow.index_templates();
    return workflow;
}

Result<model::Workflow> load_ir_file(const std::filesystem::path& file) {
    auto text = model::read_file_at_most(file, base::limits().yaml_bytes, "yaml-bytes");
    KFRUN_TRY(text);
    return load_ir_text(*text, file.string());
}

}  // namespace kfrun::kfpv2
