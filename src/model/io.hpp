#pragma once
// Parameters, artifacts and their declarations: what flows into and out of templates.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kfrun::model {

// A parameter as an input declaration, an argument, or an output declaration.
struct Parameter {
    std::string name;
    std::optional<std::string> value;
    std::optional<std::string> default_value;
    std::vector<std::string> enum_values;
    // Output parameters: where the value comes from.
    std::optional<std::string> from_path;        // valueFrom.path (read from the stopped container)
    std::optional<std::string> from_json_path;   // valueFrom.jsonPath (resource templates)
    std::optional<std::string> from_jq;          // valueFrom.jqFilter (resource templates)
    std::optional<std::string> from_parameter;   // valueFrom.parameter (DAG/steps outputs)
    std::optional<std::string> from_expression;  // valueFrom.expression
    std::optional<std::string> from_supplied;    // valueFrom.supplied (suspend templates)
    // A DAG output that takes the value of the first of these `{{tasks.X.outputs.parameters.Y}}`
    // whose task X succeeded (KFP v2's dsl.OneOf: valueFromOneof); none → the DAG fails.
    std::vector<std::string> from_first_of;
    std::string global_name;
    // Typed pipelines (KFP v2 IR): the declared type, one of STRING, NUMBER_INTEGER,
    // NUMBER_DOUBLE, BOOLEAN, LIST, STRUCT, TASK_FINAL_STATUS, TASK_CONFIG; empty = Argo's
    // untyped text. A typed value travels through the engine as its canonical text (see
    // engine/kfp_values.hpp): STRING as is, numbers as Go's %g (shortest), booleans
    // true/false, LIST/STRUCT as compact JSON with sorted keys. An absent (null) value is an
    // input that is not bound at all.
    std::string type;
    bool optional = false;  // isOptional: may be left unbound
    std::string yaml_path;
};

struct Artifact {
    std::string name;
    std::string path;
    bool optional = false;
    std::optional<std::string> from;             // "{{tasks.x.outputs.artifacts.y}}"
    std::optional<std::string> from_expression;  // fromExpression
    // DAG outputs: the first of these `{{tasks.X.outputs.artifacts.Y}}` whose task X succeeded
    // (KFP v2's dsl.OneOf over artifacts: several artifactSelectors).
    std::vector<std::string> from_first_of;
    std::optional<std::string> raw_data;         // raw.data
    std::string remote_kind;  // "s3", "gcs", "http", "git", ... when a storage location is given
    bool archive_none = false;
    std::optional<int> mode;
    std::string sub_path;
    std::string global_name;
    // Typed artifacts (KFP v2 IR): artifactType.schemaTitle/schemaVersion (e.g. system.Dataset,
    // 0.0.1), a list input or output (isArtifactList), and the metadata its definition declares.
    std::string schema_title;
    std::string schema_version;
    bool is_list = false;
    nlohmann::json metadata = nlohmann::json::object();
    std::string yaml_path;
};

struct Inputs {
    std::vector<Parameter> parameters;
    std::vector<Artifact> artifacts;
};

struct Outputs {
    std::vector<Parameter> parameters;
    std::vector<Artifact> artifacts;
};

struct Arguments {
    std::vector<Parameter> parameters;
    std::vector<Artifact> artifacts;
};

template <class T>
const T* find_by_name(const std::vector<T>& items, const std::string& name) {
    for (const T& item : items) {
        if (item.name == name) {
            return &item;
        }
    }
    return nullptr;
}

}  // namespace kfrun::model
