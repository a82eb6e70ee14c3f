#include "argo/workflow_loader.hpp"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "argo/package_reader.hpp"
#include "argo/template_loader.hpp"
#include "argo/yaml_reader.hpp"
#include "base/json_depth.hpp"
#include "base/json_fields.hpp"
#include "model/yaml_documents.hpp"

namespace kfrun::argo {

using base::Result;

namespace {

const std::set<std::string> k_spec_known = {
    "entrypoint", "arguments", "templates", "onExit", "volumes", "volumeClaimTemplates",
    "parallelism", "activeDeadlineSeconds", "retryStrategy", "serviceAccountName",
    "securityContext", "hostNetwork"};

const std::set<std::string> k_spec_ignored = {
    "nodeSelector",  "tolerations",   "affinity",        "imagePullSecrets",
    "podGC",         "ttlStrategy",   "ttlSecondsAfterFinished", "podMetadata",
    "dnsPolicy",       "dnsConfig",
    "priority",      "priorityClassName", "podPriorityClassName", "podPriority",
    "schedulerName", "executor",      "podSpecPatch",    "podDisruptionBudget",
    "artifactRepositoryRef", "archiveLogs", "hostAliases", "automountServiceAccountToken",
    "workflowMetadata", "metrics",    "synchronization", "volumeClaimGC",
    "artifactGC",    "podPriority",   "shutdown"};

// The kind of document, to give a helpful message when it is not an Argo Workflow.
Result<void> check_document_kind(const YAML::Node& root, YamlReader& reader) {
    if (!root.IsMap()) {
        return reader.error("", "the pipeline file is not a YAML mapping");
    }
    if (root["pipelineInfo"] && root["root"]) {
        return reader.error("",
                            "this is a KFP v2 pipeline (IR PipelineSpec), not an Argo "
                            "Workflow: load it with the KFP v2 front end (kfpv2::load_ir_file, "
                            "as `kfrun run` does)");
    }
    if (root["implementation"] && (root["inputs"] || root["outputs"] || root["name"])) {
        return reader.error("", "this is a KFP component spec, not a pipeline; run it with "
                                "`kfrun run-component`");
    }
    std::string api_version = root["apiVersion"] ? root["apiVersion"].Scalar() : "";
    std::string kind = root["kind"] ? root["kind"].Scalar() : "";
    if (api_version.rfind("argoproj.io/", 0) != 0) {
        return reader.error("apiVersion", "expected `apiVersion: argoproj.io/v1alpha1` (an Argo "
                                          "Workflow, as the KFP v1 compiler writes), found `" +
                                              api_version + "`");
    }
    if (kind != "Workflow" && kind != "WorkflowTemplate" && kind != "ClusterWorkflowTemplate") {
        return reader.error("kind", "expected `kind: Workflow`, found `" + kind + "`");
    }
    return base::ok();
}

void read_kfp_pipeline_spec(model::Workflow& workflow) {
    auto it = workflow.annotations.find("pipelines.kubeflow.org/pipeline_spec");
    if (it == workflow.annotations.end()) {
        return;
    }
    if (!base::json_depth_within_limit(it->second)) {
        return;
    }
    // The pipeline's own text: a name or description of another type is ignored, as JSON that
    // does not parse is (value() threw on them).
    nlohmann::json spec = nlohmann::json::parse(it->second, nullptr, false);
    if (spec.is_object()) {
        workflow.display_name = base::json_fields::string_of(spec, "name");
        workflow.description = base::json_fields::string_of(spec, "description");
    }
}

}  // namespace

Result<model::Workflow> load_workflow_text(const std::string& text, const std::string& file_name) {
    model::Workflow workflow;
    workflow.sources.set_file(file_name);
    YamlReader reader(workflow.sources, workflow.notices);

    KFRUN_TRY(model::check_yaml_text_size(text.size(), file_name));
    auto loaded = model::load_yaml_documents(text, file_name);
    KFRUN_TRY(loaded);
    std::vector<YAML::Node> documents = std::move(*loaded);
    if (documents.empty() || documents.front().IsNull()) {
        return reader.error("", "the pipeline file is empty");
    }
    const YAML::Node& root = documents.front();
    KFRUN_TRY(check_document_kind(root, reader));

    try {
        if (YAML::Node metadata = root["metadata"]; metadata && metadata.IsMap()) {
            workflow.name = reader.scalar_or(metadata, "name", "metadata");
            workflow.generate_name = reader.scalar_or(metadata, "generateName", "metadata");
            workflow.labels = reader.string_map(metadata, "labels", "metadata");
            workflow.annotations = reader.string_map(metadata, "annotations", "metadata");
        }
        read_kfp_pipeline_spec(workflow);

        YAML::Node spec = root["spec"];
        if (!spec || !spec.IsMap()) {
            return reader.error("spec", "the workflow has no `spec`");
        }
        reader.mark(spec, "spec");
        workflow.entrypoint = reader.scalar_or(spec, "entrypoint", "spec");
        workflow.on_exit = reader.scalar_or(spec, "onExit", "spec");
        workflow.service_account = reader.scalar_or(spec, "serviceAccountName", "spec");
        workflow.parallelism = reader.scalar(spec, "parallelism", "spec");
        workflow.active_deadline_seconds = reader.scalar(spec, "activeDeadlineSeconds", "spec");

        TemplateLoader loader(reader);
        auto arguments = loader.load_arguments(spec["arguments"], "spec.arguments");
        KFRUN_TRY(arguments);
        workflow.arguments = std::move(arguments.value());
        auto volumes = loader.load_volumes(spec["volumes"], "spec.volumes");
        KFRUN_TRY(volumes);
        workflow.volumes = std::move(volumes.value());
        if (YAML::Node claims = spec["volumeClaimTemplates"]; claims && claims.IsSequence()) {
            for (std::size_t i = 0; i < claims.size(); ++i) {
                std::string p = "spec.volumeClaimTemplates[" + std::to_string(i) + "]";
                reader.mark(claims[i], p);
                model::VolumeClaimTemplate claim;
                claim.yaml_path = p;
                if (claims[i]["metadata"]) {
                    claim.name = reader.scalar_or(claims[i]["metadata"], "name", p + ".metadata");
                }
                YAML::Node requests = claims[i]["spec"]["resources"]["requests"];
                if (requests && requests.IsMap()) {
                    claim.storage = reader.scalar_or(requests, "storage", p);
                }
                workflow.volume_claim_templates.push_back(std::move(claim));
            }
        }
        auto pod_security =
            loader.load_security_context(spec["securityContext"], "spec.securityContext", false);
        KFRUN_TRY(pod_security);
        workflow.pod_security = std::move(pod_security.value());
        workflow.host_network = reader.boolean(spec, "hostNetwork", "spec");
        if (YAML::Node retry = spec["retryStrategy"]; retry && retry.IsMap()) {
            auto strategy = loader.load_retry(retry, "spec.retryStrategy");
            KFRUN_TRY(strategy);
            workflow.retry_strategy = std::move(strategy.value());
        }

        YAML::Node templates = spec["templates"];
        if (!templates || !templates.IsSequence() || templates.size() == 0) {
            return reader.error("spec.templates", "the workflow defines no `templates`");
        }
        for (std::size_t i = 0; i < templates.size(); ++i) {
            auto tmpl = loader.load_template(templates[i], "spec.templates[" + std::to_string(i) +
                                                               "]");
            KFRUN_TRY(tmpl);
            workflow.templates.push_back(std::move(tmpl.value()));
        }
        workflow.index_templates();
        reader.check_keys(spec, "spec", k_spec_known, k_spec_ignored);
    } catch (const YAML::Exception& e) {
        std::string where = file_name;
        if (e.mark.line >= 0) {
            where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
        }
        return base::make_error(base::ErrorKind::Input, "unexpected YAML structure: " + e.msg,
                                where);
    }
    return workflow;
}

Result<model::Workflow> load_workflow_file(const std::filesystem::path& file) {
    auto text = read_pipeline_text(file);
    KFRUN_TRY(text);
    return load_workflow_text(text->text, text->display_name);
}

}  // namespace kfrun::argo
