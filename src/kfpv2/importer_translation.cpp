// An importer task (deploymentSpec.executors.X.importer) as a model Importer template: no
// container; the engine reads the URI (a constant, or the task input `runtimeParameter` names)
// and records the one output artifact `artifact` with the importer's typeSchema and metadata.
// As on the backend, the URI input must come from a pipeline or DAG input, not a task output,
// and the metadata is kept as written (its placeholders are not resolved). downloadToWorkspace
// is not copied into the workspace: consumers get the artifact at its usual path.
#include "kfpv2/translation.hpp"

namespace kfrun::kfpv2 {

base::Result<std::string> translate_importer_task(Translation& t, const std::string& task,
                                                  const nlohmann::json& task_spec,
                                                  const std::string& rel,
                                                  const std::string& component_key,
                                                  const std::string& executor_label) {
    const nlohmann::json& callee = t.component(component_key);
    const std::string callee_rel = "components." + component_key;
    const std::string spec_rel = "deploymentSpec.executors." + executor_label + ".importer";
    const nlohmann::json& spec = member(t.executor(executor_label), "importer");

    model::Template tmpl;
    tmpl.kind = model::Template::Kind::Importer;
    tmpl.name = t.unique_name(task);
    tmpl.yaml_path = t.path(spec_rel);
    tmpl.inputs = declared_inputs(t, callee, callee_rel);
    tmpl.outputs = declared_outputs(t, callee, callee_rel, false);
    if (tmpl.outputs.artifacts.size() != 1 || !tmpl.outputs.parameters.empty()) {
        return t.error(callee_rel + ".outputDefinitions",
                       "an importer component declares exactly one output artifact");
    }

    const nlohmann::json& uri = member(spec, "artifactUri");
    tmpl.importer.yaml_path = t.path(spec_rel + ".artifactUri");
    const std::string runtime = text_member(uri, "runtimeParameter");
    const nlohmann::json& constant = member(uri, "constant");
    const nlohmann::json& old_constant = member(member(uri, "constantValue"), "stringValue");
    if (!runtime.empty()) {
        if (model::find_by_name(tmpl.inputs.parameters, runtime) == nullptr) {
            return t.error(
                spec_rel + ".artifactUri.runtimeParameter",
                "runtimeParameter `" + runtime + "` is not an input of `" + component_key + "`");
        }
        const nlohmann::json& bound =
            member(member(member(task_spec, "inputs"), "parameters"), runtime.c_str());
        if (bound.contains("taskOutputParameter")) {
            return t.error(rel + ".inputs.parameters." + runtime,
                           "the importer's URI comes from a task output, which the KFP backend's "
                           "importer does not accept (only a constant or a pipeline input)");
        }
        tmpl.importer.uri = "{{inputs.parameters." + runtime + "}}";
    } else if (constant.is_string() || old_constant.is_string()) {
        tmpl.importer.uri =
            constant.is_string() ? constant.get<std::string>() : old_constant.get<std::string>();
        if (tmpl.importer.uri.find("{{") != std::string::npos) {
            return t.error(spec_rel + ".artifactUri.constant",
                           "an importer URI may not contain `{{`");
        }
    } else {
        return t.error(spec_rel + ".artifactUri",
                       "the importer's artifactUri is neither a string constant nor a "
                       "runtimeParameter");
    }
    if (member(spec, "downloadToWorkspace").is_boolean() &&
        member(spec, "downloadToWorkspace").get<bool>()) {
        t.notice(model::Notice::Severity::Ignored, t.path(spec_rel + ".downloadToWorkspace"),
                 "downloadToWorkspace: consumers find the artifact at its usual path (its URI's "
                 "/gcs/, /s3/ or /minio/ path), not under /kfp-workspace/.artifacts");
    }

    model::Artifact& artifact = tmpl.outputs.artifacts.front();
    const nlohmann::json& type = member(spec, "typeSchema");
    if (!text_member(type, "schemaTitle").empty()) {
        artifact.schema_title = text_member(type, "schemaTitle");
        artifact.schema_version = text_member(type, "schemaVersion");
    }
    const nlohmann::json& metadata = member(spec, "metadata");
    if (metadata.is_object()) {
        artifact.metadata = metadata;
    }
    if (member(spec, "reimport").is_boolean()) {
        t.notice(model::Notice::Severity::Ignored, t.path(spec_rel + ".reimport"),
                 "reimport has no effect locally: an imported artifact is identified by its "
                 "URI, content and metadata");
    }
    std::string name = tmpl.name;
    t.workflow.templates.push_back(std::move(tmpl));
    return name;
}

}  // namespace kfrun::kfpv2
