#include "argo/template_loader.hpp"

#include <cerrno>
#include <cstdlib>
#include <set>

#include "base/visible_text.hpp"

namespace kfrun::argo {

using base::Result;

namespace {

std::string item_path(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}


}  // namespace

Result<model::Parameter> TemplateLoader::load_parameter(const YAML::Node& node,
                                                        const std::string& path) {
    model::Parameter parameter;
    parameter.yaml_path = path;
    m_reader.mark(node, path);
    if (!node.IsMap()) {
        return m_reader.error(path, "a parameter must be a mapping with a `name`");
    }
    parameter.name = m_reader.scalar_or(node, "name", path);
    if (parameter.name.empty()) {
        return m_reader.error(path, "a parameter needs a `name`");
    }
    parameter.value = m_reader.scalar(node, "value", path);
    parameter.default_value = m_reader.scalar(node, "default", path);
    parameter.enum_values = m_reader.strings(node, "enum", path);
    parameter.global_name = m_reader.scalar_or(node, "globalName", path);
    if (YAML::Node from = node["valueFrom"]; from && from.IsMap()) {
        std::string from_path = path + ".valueFrom";
        m_reader.mark(from, from_path);
        parameter.from_path = m_reader.scalar(from, "path", from_path);
        parameter.from_json_path = m_reader.scalar(from, "jsonPath", from_path);
        parameter.from_jq = m_reader.scalar(from, "jqFilter", from_path);
        parameter.from_parameter = m_reader.scalar(from, "parameter", from_path);
        parameter.from_expression = m_reader.scalar(from, "expression", from_path);
        if (from["supplied"]) {
            parameter.from_supplied = "";
        }
        if (auto fallback = m_reader.scalar(from, "default", from_path)) {
            parameter.default_value = fallback;
        }
        m_reader.check_keys(from, from_path,
                            {"path", "jsonPath", "jqFilter", "parameter", "expression",
                             "supplied", "default"},
                            {});
    }
    m_reader.check_keys(node, path,
                        {"name", "value", "default", "enum", "globalName", "valueFrom",
                         "description"},
                        {});
    return parameter;
}

Result<std::vector<model::Parameter>> TemplateLoader::load_parameters(const YAML::Node& node,
                                                                      const std::string& path) {
    std::vector<model::Parameter> out;
    if (!node || node.IsNull()) {
        return out;
    }
    if (!node.IsSequence()) {
        return m_reader.error(path, "expected a list of parameters");
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        auto parameter = load_parameter(node[i], item_path(path, i));
        KFRUN_TRY(parameter);
        out.push_back(std::move(parameter.value()));
    }
    return out;
}

Result<model::Artifact> TemplateLoader::load_artifact(const YAML::Node& node,
                                                      const std::string& path, bool is_output) {
    model::Artifact artifact;
    artifact.yaml_path = path;
    m_reader.mark(node, path);
    if (!node.IsMap()) {
        return m_reader.error(path, "an artifact must be a mapping with a `name`");
    }
    artifact.name = m_reader.scalar_or(node, "name", path);
    if (artifact.name.empty()) {
        return m_reader.error(path, "an artifact needs a `name`");
    }
    artifact.path = m_reader.scalar_or(node, "path", path);
    artifact.optional = m_reader.boolean(node, "optional", path);
    artifact.from = m_reader.scalar(node, "from", path);
    artifact.from_expression = m_reader.scalar(node, "fromExpression", path);
    artifact.sub_path = m_reader.scalar_or(node, "subPath", path);
    artifact.global_name = m_reader.scalar_or(node, "globalName", path);
    if (auto mode = m_reader.scalar(node, "mode", path)) {
        // A file mode, in YAML 1.1's octal (0755) or decimal (493); Argo's is an int32.
        errno = 0;
        char* end = nullptr;
        const long long value = std::strtoll(mode->c_str(), &end, 0);
        if (mode->empty() || *end != '\0' || errno == ERANGE || value < 0 || value > 07777) {
            return m_reader.error(path + ".mode", "`mode` must be a file mode such as 0644, not `" +
                                                      base::visible_text(mode->substr(0, 64)) +
                                                      "`");
        }
        artifact.mode = static_cast<int>(value);
    }
    if (YAML::Node raw = node["raw"]; raw && raw.IsMap()) {
        artifact.raw_data = m_reader.scalar_or(raw, "data", path + ".raw");
    }
    if (YAML::Node archive = node["archive"]; archive && archive.IsMap()) {
        artifact.archive_none = static_cast<bool>(archive["none"]);
    }
    for (const char* kind : {"s3", "gcs", "http", "git", "artifactory", "hdfs", "oss", "azure"}) {
        if (node[kind]) {
            artifact.remote_kind = kind;
            std::string remote_path = path + "." + kind;
            m_reader.mark(node[kind], remote_path);
            if (is_output) {
                m_reader.notice(model::Notice::Severity::Ignored, remote_path,
                                "the `" + std::string(kind) +
                                    "` location of an output artifact is ignored; kfrun keeps "
                                    "outputs in its local store");
            } else if (!artifact.raw_data && !artifact.from) {
                m_reader.notice(model::Notice::Severity::Unsupported, remote_path,
                                "input artifact `" + artifact.name + "` is fetched from a `" +
                                    kind +
                                    "` location, which kfrun cannot reach locally; pass it "
                                    "from a task output or as `raw` data instead");
            }
        }
    }
    m_reader.check_keys(node, path,
                        {"name", "path", "optional", "from", "fromExpression", "subPath",
                         "globalName", "mode", "raw", "archive", "s3", "gcs", "http", "git",
                         "artifactory", "hdfs", "oss", "azure", "recurseMode", "archiveLogs",
                         "artifactGC", "deleted", "description"},
                        {});
    return artifact;
}

Result<std::vector<model::Artifact>> TemplateLoader::load_artifacts(const YAML::Node& node,
                                                                    const std::string& path,
                                                                    bool is_output) {
    std::vector<model::Artifact> out;
    if (!node || node.IsNull()) {
        return out;
    }
    if (!node.IsSequence()) {
        return m_reader.error(path, "expected a list of artifacts");
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        auto artifact = load_artifact(node[i], item_path(path, i), is_output);
        KFRUN_TRY(artifact);
        out.push_back(std::move(artifact.value()));
    }
    return out;
}

Result<model::Arguments> TemplateLoader::load_arguments(const YAML::Node& node,
                                                        const std::string& path) {
    model::Arguments arguments;
    if (!node || node.IsNull()) {
        return arguments;
    }
    m_reader.mark(node, path);
    auto parameters = load_parameters(node["parameters"], path + ".parameters");
    KFRUN_TRY(parameters);
    arguments.parameters = std::move(parameters.value());
    auto artifacts = load_artifacts(node["artifacts"], path + ".artifacts", false);
    KFRUN_TRY(artifacts);
    arguments.artifacts = std::move(artifacts.value());
    m_reader.check_keys(node, path, {"parameters", "artifacts"}, {});
    return arguments;
}

Result<std::vector<model::Volume>> TemplateLoader::load_volumes(const YAML::Node& node,
                                                                const std::string& path) {
    std::vector<model::Volume> out;
    if (!node || !node.IsSequence()) {
        return out;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        const YAML::Node& item = node[i];
        std::string p = item_path(path, i);
        m_reader.mark(item, p);
        model::Volume volume;
        volume.yaml_path = p;
        volume.name = m_reader.scalar_or(item, "name", p);
        if (YAML::Node empty = item["emptyDir"]) {
            volume.kind = model::Volume::Kind::EmptyDir;
            volume.medium_memory = empty.IsMap() && empty["medium"] &&
                                   empty["medium"].Scalar() == "Memory";
        } else if (YAML::Node pvc = item["persistentVolumeClaim"]) {
            volume.kind = model::Volume::Kind::PersistentVolumeClaim;
            volume.claim_name = m_reader.scalar_or(pvc, "claimName", p + ".persistentVolumeClaim");
        } else if (YAML::Node secret = item["secret"]) {
            volume.kind = model::Volume::Kind::Secret;
            volume.object_name = m_reader.scalar_or(secret, "secretName", p + ".secret");
        } else if (YAML::Node config = item["configMap"]) {
            volume.kind = model::Volume::Kind::ConfigMap;
            volume.object_name = m_reader.scalar_or(config, "name", p + ".configMap");
        } else if (YAML::Node host = item["hostPath"]) {
            volume.kind = model::Volume::Kind::HostPath;
            volume.host_path = m_reader.scalar_or(host, "path", p + ".hostPath");
        } else {
            volume.kind = model::Volume::Kind::Other;
            for (const auto& entry : item) {
                if (entry.first.Scalar() != "name") {
                    volume.other_kind = entry.first.Scalar();
                }
            }
            if (volume.other_kind.empty()) {
                volume.kind = model::Volume::Kind::EmptyDir;  // Kubernetes' default source
            }
        }
        out.push_back(std::move(volume));
    }
    return out;
}

Result<model::RetryStrategy> TemplateLoader::load_retry(const YAML::Node& node,
                                                        const std::string& path) {
    model::RetryStrategy retry;
    m_reader.mark(node, path);
    retry.limit = m_reader.scalar(node, "limit", path);
    retry.retry_policy = m_reader.scalar_or(node, "retryPolicy", path);
    retry.expression = m_reader.scalar_or(node, "expression", path);
    if (YAML::Node backoff = node["backoff"]; backoff && backoff.IsMap()) {
        std::string p = path + ".backoff";
        retry.backoff = model::Backoff{m_reader.scalar_or(backoff, "duration", p),
                                       m_reader.scalar_or(backoff, "factor", p),
                                       m_reader.scalar_or(backoff, "maxDuration", p)};
    }
    m_reader.check_keys(node, path, {"limit", "retryPolicy", "expression", "backoff"},
                        {"affinity"});
    return retry;
}

}  // namespace kfrun::argo
