#include "engine/validator.hpp"

#include <set>

#include "base/names.hpp"
#include "base/time.hpp"
#include "engine/workflow_validator.hpp"

namespace kfrun::engine {

std::vector<Diagnostic> WorkflowValidator::run() {
    check_notices();
    check_top_level();
    std::set<std::string> seen;
    for (const model::Template& tmpl : m_workflow.templates) {
        if (!seen.insert(tmpl.name).second) {
            error(tmpl.yaml_path, "template name `" + tmpl.name + "` is used twice");
        }
        check_template(tmpl);
    }
    return std::move(m_diagnostics);
}

void WorkflowValidator::add(Severity severity, const std::string& path, std::string message) {
    std::string where = m_workflow.sources.describe(path);
    if (!m_reported.insert(where + "\n" + message).second) {
        return;  // the same finding at the same place once
    }
    m_diagnostics.push_back(Diagnostic{severity, std::move(where), std::move(message)});
}

void WorkflowValidator::error(const std::string& path, std::string message) {
    add(Severity::Error, path, std::move(message));
}

void WorkflowValidator::warning(const std::string& path, std::string message) {
    add(Severity::Warning, path, std::move(message));
}

void WorkflowValidator::check_notices() {
    std::set<std::string> ignored_keys;
    for (const model::Notice& notice : m_workflow.notices) {
        if (notice.severity == model::Notice::Severity::Unsupported) {
            error(notice.yaml_path, notice.message);
        } else {
            // List each ignored field once per name, not once per template.
            std::string key = notice.yaml_path.substr(notice.yaml_path.rfind('.') + 1);
            if (ignored_keys.insert(key).second) {
                add(Severity::Info, notice.yaml_path, notice.message);
            }
        }
    }
}

void WorkflowValidator::check_top_level() {
    if (m_workflow.active_deadline_seconds) {
        // Kubernetes' int64 seconds: "1h" is refused, not read as 1.
        auto seconds = base::parse_k8s_int64(*m_workflow.active_deadline_seconds);
        if (!seconds || *seconds <= 0) {
            error("spec.activeDeadlineSeconds",
                  "activeDeadlineSeconds must be a positive whole number of seconds (an "
                  "int64), not `" +
                      *m_workflow.active_deadline_seconds + "`");
        }
    }
    // As the API server: the name becomes container, volume and file names of the run.
    if (!m_workflow.name.empty() && !base::is_dns1123_subdomain(m_workflow.name)) {
        error("metadata.name", "metadata.name `" + m_workflow.name + "` must be " +
                                   std::string(base::k_dns1123_subdomain_rule));
    }
    if (!m_workflow.generate_name.empty() &&
        !base::is_generate_name_prefix(m_workflow.generate_name)) {
        error("metadata.generateName",
              "metadata.generateName `" + m_workflow.generate_name + "` must be " +
                  std::string(base::k_dns1123_subdomain_rule) + ", but for a trailing '-'");
    }
    if (m_workflow.entrypoint.empty()) {
        error("spec", "the workflow has no `entrypoint`");
    } else if (m_workflow.find_template(m_workflow.entrypoint) == nullptr) {
        error("spec.entrypoint",
              "entrypoint `" + m_workflow.entrypoint + "` names no template of this workflow");
    }
    if (!m_workflow.on_exit.empty() && m_workflow.find_template(m_workflow.on_exit) == nullptr) {
        error("spec.onExit",
              "onExit `" + m_workflow.on_exit + "` names no template of this workflow");
    }
    auto v2 = m_workflow.annotations.find("pipelines.kubeflow.org/v2_pipeline");
    if (v2 != m_workflow.annotations.end() && v2->second == "true") {
        error("metadata.annotations",
              "this pipeline was compiled in KFP's v2-compatible mode: its steps run through "
              "the KFP launcher and talk to ML Metadata, which exist only in a KFP cluster");
    }
    for (const model::Parameter& parameter : m_workflow.arguments.parameters) {
        check_tags(parameter.yaml_path, parameter.value.value_or(""), global_scope_checker());
    }
}

void WorkflowValidator::check_template(const model::Template& tmpl) {
    switch (tmpl.kind) {
        case model::Template::Kind::Container:
        case model::Template::Kind::Script:
            check_leaf(tmpl);
            break;
        case model::Template::Kind::Dag:
            check_dag(tmpl);
            break;
        case model::Template::Kind::Steps:
            check_steps(tmpl);
            break;
        case model::Template::Kind::Resource:
            check_resource(tmpl);
            break;
        case model::Template::Kind::Suspend:
            error(tmpl.yaml_path + ".suspend",
                  "suspend templates wait for a person to resume them; kfrun cannot run them");
            break;
        case model::Template::Kind::Importer:
            check_importer(tmpl);
            break;
        case model::Template::Kind::Unsupported:
            break;  // reported through the loader's notice
    }
    if (!tmpl.is_leaf() && tmpl.active_deadline_seconds) {
        error(tmpl.yaml_path + ".activeDeadlineSeconds",
              "activeDeadlineSeconds is only valid for leaf templates");
    } else if (tmpl.active_deadline_seconds &&
               tmpl.active_deadline_seconds->find("{{") == std::string::npos) {
        auto seconds = base::parse_k8s_int64(*tmpl.active_deadline_seconds);
        if (!seconds || *seconds < 0) {
            error(tmpl.yaml_path + ".activeDeadlineSeconds",
                  "activeDeadlineSeconds must be a whole number of seconds (an int64), not `" +
                      *tmpl.active_deadline_seconds + "`");
        }
    }
    check_volumes(tmpl);
    for (const auto& init : tmpl.init_containers) {
        if (init.image.find("kfp-launcher") != std::string::npos) {
            error(tmpl.yaml_path + ".initContainers",
                  "this step runs through KFP's v2-compatible launcher, which needs a KFP "
                  "cluster (ML Metadata and the launcher binary)");
            break;
        }
    }
}

std::vector<Diagnostic> validate_workflow(const model::Workflow& workflow) {
    return WorkflowValidator(workflow).run();
}

}  // namespace kfrun::engine
