#include "engine/run_preflight.hpp"

#include <set>

#include "engine/importer_source.hpp"
#include "engine/parameter_origin.hpp"
#include "engine/placeholder.hpp"
#include "engine/security_policy.hpp"

namespace kfrun::engine {

namespace {

class Preflight {
public:
    Preflight(const model::Workflow& workflow, const RunOptions& options)
        : m_workflow(workflow), m_options(options) {}

    std::vector<Diagnostic> run() {
        for (const model::Template& tmpl : m_workflow.templates) {
            m_template = &tmpl;
            check_container(tmpl.container);
            for (const auto& init : tmpl.init_containers) {
                check_container(init);
            }
            for (const auto& sidecar : tmpl.sidecars) {
                check_container(sidecar);
            }
            for (const model::Volume& volume : tmpl.volumes) {
                check_volume(volume);
            }
            if (tmpl.kind == model::Template::Kind::Importer) {
                check_importer(tmpl.importer);
            }
        }
        m_template = nullptr;
        for (const model::Volume& volume : m_workflow.volumes) {
            check_volume(volume);
        }
        for (Diagnostic& diagnostic : check_security_policy(m_workflow, m_options)) {
            m_diagnostics.push_back(std::move(diagnostic));
        }
        return std::move(m_diagnostics);
    }

private:
    void error(const std::string& path, std::string message) {
        std::string where = m_workflow.sources.describe(path);
        if (m_seen.insert(where + message).second) {
            m_diagnostics.push_back(
                Diagnostic{Diagnostic::Severity::Error, std::move(where), std::move(message)});
        }
    }

    // Names written out, and a name that is exactly `{{inputs.parameters.X}}` of the template
    // when X is known before the run (a constant or a run parameter, followed through the
    // callers: KFP v2's secretNameParameter from a pipeline input); other placeholders are
    // checked when the step is planned.
    void need(bool secret, const std::string& name, bool optional, const std::string& path) {
        if (optional || name.empty()) {
            return;
        }
        if (has_tags(name)) {
            for (const std::string& value : values_of(name)) {
                if (!value.empty() && !has_tags(value)) {
                    need(secret, value, optional, path);
                }
            }
            return;
        }
        const auto& given = secret ? m_options.secrets : m_options.config_maps;
        if (given.count(name) == 0) {
            error(path, secret ? "Secret `" + name + "` is not provided; pass --secret " + name +
                                     "=DIR (a directory with one file per key)"
                               : "ConfigMap `" + name + "` is not provided; pass --config-map " +
                                     name + "=DIR (a directory with one file per key)");
        }
    }

    // A URI written out must be readable here (--artifact-map, --allow-host-path), in a dry run
    // too; one from an input is checked when the importer runs.
    void check_importer(const model::Importer& importer) {
        if (has_tags(importer.uri)) {
            return;
        }
        auto source =
            importer_source(importer.uri, m_options.artifact_map, m_options.allowed_host_paths);
        if (!source.ok()) {
            error(importer.yaml_path, source.error().message);
        }
    }

    void check_container(const model::ContainerSpec& container) {
        for (const model::EnvVar& var : container.env) {
            if (var.value_from &&
                (var.value_from->kind == model::EnvSource::Kind::SecretKeyRef ||
                 var.value_from->kind == model::EnvSource::Kind::ConfigMapKeyRef)) {
                need(var.value_from->kind == model::EnvSource::Kind::SecretKeyRef,
                     var.value_from->name, var.value_from->optional, var.yaml_path);
            }
        }
        for (std::size_t i = 0; i < container.env_from.size(); ++i) {
            const model::EnvFromSource& from = container.env_from[i];
            need(from.kind == model::EnvFromSource::Kind::Secret, from.name, from.optional,
                 container.yaml_path + ".envFrom[" + std::to_string(i) + "]");
        }
    }

    void check_volume(const model::Volume& volume) {
        if (volume.kind == model::Volume::Kind::Secret) {
            need(true, volume.object_name, false, volume.yaml_path);
        } else if (volume.kind == model::Volume::Kind::ConfigMap) {
            need(false, volume.object_name, false, volume.yaml_path);
        }
    }

    std::vector<std::string> values_of(const std::string& name) const {
        std::vector<Tag> tags = find_tags(name);
        const std::string prefix = "inputs.parameters.";
        if (m_template == nullptr || tags.size() != 1 || tags.front().expression ||
            tags.front().begin != 0 || tags.front().end != name.size() ||
            tags.front().name.rfind(prefix, 0) != 0) {
            return {};
        }
        auto values = values_before_run(m_workflow, m_options.parameters, m_template->name,
                                        tags.front().name.substr(prefix.size()));
        return values ? *values : std::vector<std::string>{};
    }

    const model::Workflow& m_workflow;
    const RunOptions& m_options;
    const model::Template* m_template = nullptr;
    std::vector<Diagnostic> m_diagnostics;
    std::set<std::string> m_seen;
};

}  // namespace

std::vector<Diagnostic> check_run_options(const model::Workflow& workflow,
                                          const RunOptions& options) {
    return Preflight(workflow, options).run();
}

}  // namespace kfrun::engine
