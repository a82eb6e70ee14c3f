// Typed input and output declarations of a component (inputDefinitions/outputDefinitions).
#include "kfpv2/translation.hpp"
#include "model/typed_value.hpp"

namespace kfrun::kfpv2 {

namespace {

// ParameterSpec.parameterType, or the deprecated `type` (INT, DOUBLE, STRING).
std::string parameter_type(const nlohmann::json& spec) {
    std::string type = text_member(spec, "parameterType");
    if (!type.empty()) {
        return type;
    }
    std::string old = text_member(spec, "type");
    if (old == "INT") {
        return model::k_type_integer;
    }
    if (old == "DOUBLE") {
        return model::k_type_double;
    }
    if (old == "STRING") {
        return model::k_type_string;
    }
    return "";
}

void read_artifact_type(const nlohmann::json& spec, model::Artifact& artifact) {
    const nlohmann::json& type = member(spec, "artifactType");
    artifact.schema_title = text_member(type, "schemaTitle");
    artifact.schema_version = text_member(type, "schemaVersion");
    artifact.is_list =
        member(spec, "isArtifactList").is_boolean() && member(spec, "isArtifactList").get<bool>();
}

}  // namespace

model::Inputs declared_inputs(const Translation& t, const nlohmann::json& component,
                              const std::string& rel) {
    model::Inputs inputs;
    const nlohmann::json& definitions = member(component, "inputDefinitions");
    const std::string base = join_path(rel, "inputDefinitions");
    for (const auto& [name, spec] : member(definitions, "parameters").items()) {
        model::Parameter parameter;
        parameter.name = name;
        parameter.type = parameter_type(spec);
        parameter.optional =
            member(spec, "isOptional").is_boolean() && member(spec, "isOptional").get<bool>();
        const nlohmann::json& default_value = member(spec, "defaultValue");
        if (!default_value.is_null()) {
            parameter.default_value = model::canonical_text(default_value);
        } else if (parameter.type == model::k_type_task_config) {
            // The driver fills it with the task's Kubernetes settings; none exist here.
            parameter.default_value = "{}";
        }
        for (const nlohmann::json& literal : member(spec, "literals")) {
            parameter.enum_values.push_back(model::canonical_text(literal));  // allowed values
        }
        parameter.yaml_path = t.path(base + ".parameters." + name);
        inputs.parameters.push_back(std::move(parameter));
    }
    for (const auto& [name, spec] : member(definitions, "artifacts").items()) {
        model::Artifact artifact;
        artifact.name = name;
        read_artifact_type(spec, artifact);
        artifact.optional =
            member(spec, "isOptional").is_boolean() && member(spec, "isOptional").get<bool>();
        artifact.yaml_path = t.path(base + ".artifacts." + name);
        inputs.artifacts.push_back(std::move(artifact));
    }
    return inputs;
}

model::Outputs declared_outputs(const Translation& t, const nlohmann::json& component,
                                const std::string& rel, bool container) {
    model::Outputs outputs;
    const nlohmann::json& definitions = member(component, "outputDefinitions");
    const std::string base = join_path(rel, "outputDefinitions");
    for (const auto& [name, spec] : member(definitions, "parameters").items()) {
        model::Parameter parameter;
        parameter.name = name;
        parameter.type = parameter_type(spec);
        if (container) {
            parameter.from_path = std::string(k_output_parameter_dir) + name;
        }
        parameter.yaml_path = t.path(base + ".parameters." + name);
        outputs.parameters.push_back(std::move(parameter));
    }
    for (const auto& [name, spec] : member(definitions, "artifacts").items()) {
        model::Artifact artifact;
        artifact.name = name;
        read_artifact_type(spec, artifact);
        const nlohmann::json& metadata = member(spec, "metadata");
        if (metadata.is_object()) {
            artifact.metadata = metadata;
        }
        artifact.yaml_path = t.path(base + ".artifacts." + name);
        outputs.artifacts.push_back(std::move(artifact));
    }
    return outputs;
}

}  // namespace kfrun::kfpv2
