#pragma once
// TemplateLoader: reads `spec.templates[i]` (and the pieces workflows share with templates:
// parameters, artifacts, volumes, retry strategies) into the model.
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "argo/yaml_reader.hpp"
#include "base/result.hpp"
#include "model/template.hpp"

namespace kfrun::argo {

class TemplateLoader {
public:
    explicit TemplateLoader(YamlReader& reader) : m_reader(reader) {}

    base::Result<model::Template> load_template(const YAML::Node& node, const std::string& path);
    base::Result<model::Arguments> load_arguments(const YAML::Node& node, const std::string& path);
    base::Result<std::vector<model::Volume>> load_volumes(const YAML::Node& node,
                                                          const std::string& path);
    base::Result<model::RetryStrategy> load_retry(const YAML::Node& node, const std::string& path);
    // A securityContext mapping: a container's (`container`) or a pod's. Errors name the field.
    base::Result<model::SecurityContext> load_security_context(const YAML::Node& node,
                                                               const std::string& path,
                                                               bool container);

private:
    base::Result<model::Parameter> load_parameter(const YAML::Node& node, const std::string& path);
    base::Result<model::Artifact> load_artifact(const YAML::Node& node, const std::string& path,
                                                bool is_output);
    base::Result<std::vector<model::Parameter>> load_parameters(const YAML::Node& node,
                                                                const std::string& path);
    base::Result<std::vector<model::Artifact>> load_artifacts(const YAML::Node& node,
                                                              const std::string& path,
                                                              bool is_output);
    base::Result<model::ContainerSpec> load_container(const YAML::Node& node,
                                                      const std::string& path);
    base::Result<std::vector<model::ContainerSpec>> load_containers(const YAML::Node& node,
                                                                    const std::string& path);
    base::Result<model::TaskCall> load_task(const YAML::Node& node, const std::string& path,
                                            bool in_dag);
    base::Result<void> load_dag(const YAML::Node& node, const std::string& path,
                                model::Template& out);
    base::Result<void> load_steps(const YAML::Node& node, const std::string& path,
                                  model::Template& out);

    // The YAML paths of a container's ports[].hostPort entries that are set (not 0).
    std::vector<std::string> host_ports(const YAML::Node& node, const std::string& path);

    YamlReader& m_reader;
};

}  // namespace kfrun::argo
