// Validator: leaf templates — containers and scripts, KFP v2 launchers, volumes and their
// mounts, importers and resource templates.
#include "engine/kfp_executor_input.hpp"
#include "engine/kfp_placeholders.hpp"
#include "engine/resource_runner.hpp"
#include "engine/workflow_validator.hpp"

namespace kfrun::engine {

void WorkflowValidator::check_container(const model::Template& tmpl,
                                        const model::ContainerSpec& container,
                                        const TagChecker& checker) {
    const std::string& p = container.yaml_path;
    check_tags(p + ".image", container.image, checker);
    for (std::size_t i = 0; i < container.command.size(); ++i) {
        check_tags(p + ".command[" + std::to_string(i) + "]", container.command[i], checker);
    }
    for (std::size_t i = 0; i < container.args.size(); ++i) {
        check_tags(p + ".args[" + std::to_string(i) + "]", container.args[i], checker);
    }
    for (const model::EnvVar& var : container.env) {
        check_tags(var.yaml_path, var.value, checker);
    }
    check_tags(p + ".source", container.source, checker);
    check_tags(p + ".workingDir", container.working_dir, checker);
}

// A KFP v2 launcher template: its placeholders name declared inputs and outputs, its
// pipeline root has a local path.
void WorkflowValidator::check_launcher(const model::Template& tmpl) {
    const model::Launcher& launcher = *tmpl.launcher;
    const std::string where =
        tmpl.container.yaml_path.empty() ? tmpl.yaml_path : tmpl.container.yaml_path;
    if (kfp_local_path(launcher.pipeline_root).empty()) {
        error(where, "pipeline root `" + launcher.pipeline_root +
                         "` has no local path (use minio://, gs:// or s3://)");
    }
    auto declared = [&tmpl](const std::string& name) -> std::string {
        auto after = [&name](std::size_t n) { return name.substr(n); };
        if (name.rfind("inputs.parameters.", 0) == 0) {
            return model::find_by_name(tmpl.inputs.parameters, after(18))
                       ? ""
                       : "input parameter `" + after(18) + "`";
        }
        if (name.rfind("inputs.artifacts.", 0) == 0) {
            return model::find_by_name(tmpl.inputs.artifacts, after(17))
                       ? ""
                       : "input artifact `" + after(17) + "`";
        }
        if (name.rfind("inputs.any.", 0) == 0) {
            return model::find_by_name(tmpl.inputs.parameters, after(11)) ||
                           model::find_by_name(tmpl.inputs.artifacts, after(11))
                       ? ""
                       : "input `" + after(11) + "`";
        }
        if (name.rfind("outputs.parameters.", 0) == 0) {
            return model::find_by_name(tmpl.outputs.parameters, after(19))
                       ? ""
                       : "output parameter `" + after(19) + "`";
        }
        if (name.rfind("outputs.artifacts.", 0) == 0) {
            return model::find_by_name(tmpl.outputs.artifacts, after(18))
                       ? ""
                       : "output artifact `" + after(18) + "`";
        }
        return "";
    };
    auto check = [&](const std::vector<std::string>& texts, const char* field) {
        for (std::size_t i = 0; i < texts.size(); ++i) {
            std::string path = where + "." + field + "[" + std::to_string(i) + "]";
            auto names = launcher_placeholder_names(texts[i]);
            if (!names.ok()) {
                error(path, names.error().message);
                continue;
            }
            for (const std::string& name : *names) {
                std::string missing = declared(name);
                if (!missing.empty()) {
                    error(path, "the placeholder names " + missing + ", which template `" +
                                    tmpl.name + "` does not declare");
                }
            }
        }
    };
    check(launcher.command, "command");
    check(launcher.args, "args");
}

void WorkflowValidator::check_leaf(const model::Template& tmpl) {
    TagChecker checker = leaf_checker(tmpl);
    if (tmpl.kind == model::Template::Kind::Container ||
        tmpl.kind == model::Template::Kind::Script) {
        if (tmpl.container.image.empty()) {
            error(tmpl.container.yaml_path,
                  "the container of template `" + tmpl.name + "` names no `image`");
        }
        check_container(tmpl, tmpl.container, checker);
    }
    if (tmpl.launcher) {
        check_launcher(tmpl);
    }
    for (const model::Artifact& artifact : tmpl.inputs.artifacts) {
        check_tags(artifact.yaml_path, artifact.raw_data.value_or(""), checker);
        if (artifact.path.empty() && !tmpl.launcher) {
            error(artifact.yaml_path, "input artifact `" + artifact.name + "` has no `path`");
        }
    }
    bool container_like =
        tmpl.kind == model::Template::Kind::Container || tmpl.kind == model::Template::Kind::Script;
    for (const model::Parameter& parameter : tmpl.outputs.parameters) {
        check_tags(parameter.yaml_path, parameter.from_path.value_or(""), checker);
        if (container_like && !parameter.value &&
            (!parameter.from_path || parameter.from_path->empty())) {
            // Argo refuses this at submission ("valueFrom.path must be specified for
            // Container templates"); run anyway, the output would never get a value.
            error(parameter.yaml_path,
                  "output parameter `" + parameter.name + "` of " +
                      (tmpl.kind == model::Template::Kind::Script ? "script" : "container") +
                      " template `" + tmpl.name +
                      "`: valueFrom.path must be specified (or a `value`)");
        }
    }
    for (const model::Artifact& artifact : tmpl.outputs.artifacts) {
        if (artifact.path.empty() && !tmpl.launcher) {
            error(artifact.yaml_path, "output artifact `" + artifact.name + "` has no `path`");
        }
    }
}

void WorkflowValidator::check_volumes(const model::Template& tmpl) {
    auto check_mounts = [&](const model::ContainerSpec& container) {
        for (std::size_t i = 0; i < container.volume_mounts.size(); ++i) {
            const model::VolumeMount& mount = container.volume_mounts[i];
            std::string path = container.yaml_path + ".volumeMounts[" + std::to_string(i) + "]";
            if (model::find_by_name(tmpl.volumes, mount.name) == nullptr &&
                model::find_by_name(m_workflow.volumes, mount.name) == nullptr &&
                model::find_by_name(m_workflow.volume_claim_templates, mount.name) == nullptr) {
                error(path, "volumeMount `" + mount.name +
                                "` names no volume of the template or the workflow");
            }
            if (mount.sub_path.find("..") != std::string::npos ||
                (!mount.sub_path.empty() && mount.sub_path.front() == '/')) {
                error(path + ".subPath", "subPath must be a relative path inside the volume");
            }
        }
    };
    check_mounts(tmpl.container);
    for (const auto& init : tmpl.init_containers) {
        check_mounts(init);
    }
    for (const auto& sidecar : tmpl.sidecars) {
        check_mounts(sidecar);
    }
    for (const model::Volume& volume : tmpl.volumes) {
        if (volume.kind == model::Volume::Kind::Other) {
            error(volume.yaml_path, "volume `" + volume.name + "` of kind `" + volume.other_kind +
                                        "` has no local equivalent");
        }
        if (volume.kind == model::Volume::Kind::PersistentVolumeClaim) {
            check_tags(volume.yaml_path, volume.claim_name, leaf_checker(tmpl));
        }
    }
}

// A KFP v2 importer: its URI may name the importer's own inputs; it makes one artifact.
void WorkflowValidator::check_importer(const model::Template& tmpl) {
    check_tags(tmpl.importer.yaml_path, tmpl.importer.uri, leaf_checker(tmpl));
    if (tmpl.outputs.artifacts.size() != 1) {
        error(tmpl.yaml_path, "an importer makes exactly one output artifact");
    }
}

void WorkflowValidator::check_resource(const model::Template& tmpl) {
    const std::string path = tmpl.yaml_path + ".resource";
    const std::string& action = tmpl.resource.action;
    if (action != "create" && action != "apply" && action != "delete") {
        error(path + ".action", "resource action `" + action +
                                    "` is not supported locally (create, apply and delete are)");
        return;
    }
    check_tags(path + ".manifest", tmpl.resource.manifest, leaf_checker(tmpl));
    ResourceKind kind = resource_kind(tmpl.resource.manifest);
    if (kind.kind.empty()) {
        return;  // unreadable before substitution; the step reports it when it runs
    }
    if (!kind.supported) {
        Diagnostic diagnostic{Severity::Error, m_workflow.sources.describe(path),
                              "template `" + tmpl.name + "` creates a " + kind.kind + " (" +
                                  kind.api_version +
                                  "), which exists only in a Kubernetes cluster; kfrun cannot "
                                  "run it locally (--skip-unsupported skips it and runs the "
                                  "rest)",
                              true};
        m_diagnostics.push_back(std::move(diagnostic));
    }
    for (const model::Parameter& output : tmpl.outputs.parameters) {
        if (output.from_jq) {
            error(output.yaml_path, "jqFilter outputs of resource templates are not supported");
        }
    }
}

}  // namespace kfrun::engine
