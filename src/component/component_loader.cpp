#include "component/component_loader.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "base/json_text.hpp"
#include "base/limits.hpp"
#include "model/yaml_documents.hpp"
#include "model/yaml_json.hpp"

namespace kfrun::component {

using base::Result;

namespace {

const std::set<std::string> k_unsupported_placeholders = {
    "executorInput", "inputMetadata", "outputMetadata", "inputOutputPortName"};

std::string item_path(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

class SpecReader {
public:
    explicit SpecReader(ComponentSpec& spec) : m_spec(spec) {}

    void mark(const YAML::Node& node, const std::string& path) {
        YAML::Mark mark = node.Mark();
        if (mark.line >= 0) {
            m_spec.sources.record(path, model::SourceMark{mark.line + 1, mark.column + 1});
        }
    }
    base::Error error(const std::string& path, std::string message) const {
        return base::make_error(base::ErrorKind::Input, std::move(message), m_spec.where(path));
    }
    // A scalar field as text (structured values as compact JSON); nullopt when absent or null.
    std::optional<std::string> text(const YAML::Node& node, const std::string& key,
                                    const std::string& path) {
        YAML::Node child = node[key];
        if (!child || child.IsNull()) {
            return std::nullopt;
        }
        mark(child, path.empty() ? key : path + "." + key);
        return child.IsScalar() ? python_text(child) : base::json_text(model::yaml_to_json(child));
    }
    // How KFP's Python prints a YAML value it loaded: booleans as True/False.
    static std::string python_text(const YAML::Node& scalar) {
        nlohmann::json value = model::yaml_to_json(scalar);
        if (value.is_boolean()) {
            return value.get<bool>() ? "True" : "False";
        }
        return scalar.Scalar();
    }
    std::map<std::string, std::string> string_map(const YAML::Node& node, const std::string& path) {
        std::map<std::string, std::string> out;
        if (!node || !node.IsMap()) {
            return out;
        }
        mark(node, path);
        for (const auto& entry : node) {
            const YAML::Node& value = entry.second;
            out[entry.first.Scalar()] =
                value.IsScalar()
                    ? value.Scalar()
                    : (value.IsNull() ? "" : base::json_text(model::yaml_to_json(value)));
        }
        return out;
    }

    Result<void> read_inputs(const YAML::Node& node);
    Result<void> read_outputs(const YAML::Node& node);
    Result<void> read_container(const YAML::Node& node, const std::string& path);
    Result<CommandPart> read_part(const YAML::Node& node, const std::string& path);
    Result<std::vector<CommandPart>> read_parts(const YAML::Node& node, const std::string& path);

private:
    Result<void> check_reference(const CommandPart& part);
    ComponentSpec& m_spec;
};

Result<void> SpecReader::read_inputs(const YAML::Node& node) {
    if (!node || node.IsNull()) {
        return base::ok();
    }
    mark(node, "inputs");
    if (!node.IsSequence()) {
        return error("inputs", "`inputs` must be a list of {name, type, default, optional}");
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        std::string path = item_path("inputs", i);
        mark(node[i], path);
        if (!node[i].IsMap()) {
            return error(path, "an input must be a mapping with a `name`");
        }
        InputSpec input;
        input.yaml_path = path;
        input.name = text(node[i], "name", path).value_or("");
        if (input.name.empty()) {
            return error(path, "an input needs a `name`");
        }
        if (m_spec.find_input(input.name) != nullptr) {
            return error(path, "input `" + input.name + "` is declared twice");
        }
        input.type = text(node[i], "type", path).value_or("");
        input.description = text(node[i], "description", path).value_or("");
        input.default_value = text(node[i], "default", path);
        if (auto optional = text(node[i], "optional", path)) {
            input.optional = *optional == "True" || *optional == "true";
        }
        m_spec.inputs.push_back(std::move(input));
    }
    return base::ok();
}

Result<void> SpecReader::read_outputs(const YAML::Node& node) {
    if (!node || node.IsNull()) {
        return base::ok();
    }
    mark(node, "outputs");
    if (!node.IsSequence()) {
        return error("outputs", "`outputs` must be a list of {name, type}");
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        std::string path = item_path("outputs", i);
        mark(node[i], path);
        if (!node[i].IsMap()) {
            return error(path, "an output must be a mapping with a `name`");
        }
        OutputSpec output;
        output.yaml_path = path;
        output.name = text(node[i], "name", path).value_or("");
        if (output.name.empty()) {
            return error(path, "an output needs a `name`");
        }
        if (m_spec.find_output(output.name) != nullptr) {
            return error(path, "output `" + output.name + "` is declared twice");
        }
        output.type = text(node[i], "type", path).value_or("");
        output.description = text(node[i], "description", path).value_or("");
        m_spec.outputs.push_back(std::move(output));
    }
    return base::ok();
}

Result<void> SpecReader::check_reference(const CommandPart& part) {
    using Kind = CommandPart::Kind;
    bool names_input = part.kind == Kind::InputValue || part.kind == Kind::InputPath ||
                       part.kind == Kind::InputUri || part.kind == Kind::IsPresent;
    bool names_output = part.kind == Kind::OutputPath || part.kind == Kind::OutputUri;
    if (names_input && m_spec.find_input(part.text) == nullptr) {
        return error(part.yaml_path, "the placeholder names input `" + part.text +
                                         "`, which the component does not declare under `inputs`");
    }
    if (names_output && m_spec.find_output(part.text) == nullptr) {
        return error(part.yaml_path, "the placeholder names output `" + part.text +
                                         "`, which the component does not declare under `outputs`");
    }
    return base::ok();
}

Result<std::vector<CommandPart>> SpecReader::read_parts(const YAML::Node& node,
                                                         const std::string& path) {
    std::vector<CommandPart> parts;
    if (!node || node.IsNull()) {
        return parts;
    }
    mark(node, path);
    if (!node.IsSequence()) {
        return error(path, "expected a list of strings and placeholders");
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        auto part = read_part(node[i], item_path(path, i));
        KFRUN_TRY(part);
        parts.push_back(std::move(part.value()));
    }
    return parts;
}

Result<CommandPart> SpecReader::read_part(const YAML::Node& node, const std::string& path) {
    using Kind = CommandPart::Kind;
    CommandPart part;
    part.yaml_path = path;
    mark(node, path);
    if (!node || node.IsNull()) {
        part.kind = Kind::Skip;
        return part;
    }
    if (node.IsScalar()) {
        if (model::yaml_to_json(node).is_null()) {
            part.kind = Kind::Skip;
        } else {
            part.text = python_text(node);
        }
        return part;
    }
    if (!node.IsMap() || node.size() != 1) {
        return error(path, "expected a string or a placeholder such as {inputValue: NAME}, "
                           "{inputPath: NAME}, {outputPath: NAME}, {concat: [...]} or {if: ...}");
    }
    const std::string key = node.begin()->first.Scalar();
    // A copy: the iterator `begin()` returns holds the pair, and dies with this statement.
    const YAML::Node value = node.begin()->second;
    static const std::map<std::string, Kind> k_named = {
        {"inputValue", Kind::InputValue}, {"inputPath", Kind::InputPath},
        {"outputPath", Kind::OutputPath}, {"inputUri", Kind::InputUri},
        {"outputUri", Kind::OutputUri},   {"isPresent", Kind::IsPresent}};
    if (auto it = k_named.find(key); it != k_named.end()) {
        if (!value.IsScalar() || value.Scalar().empty()) {
            return error(path, "`" + key + "` takes the name of an input or output");
        }
        part.kind = it->second;
        part.text = value.Scalar();
        KFRUN_TRY(check_reference(part));
        return part;
    }
    if (key == "concat") {
        part.kind = Kind::Concat;
        auto items = read_parts(value, path + ".concat");
        KFRUN_TRY(items);
        part.items = std::move(items.value());
        return part;
    }
    if (key == "if") {
        part.kind = Kind::If;
        std::string if_path = path + ".if";
        mark(value, if_path);
        if (!value.IsMap() || !value["cond"]) {
            return error(if_path, "`if` needs a mapping {cond: ..., then: [...], else: [...]}");
        }
        for (const auto& entry : value) {
            const std::string field = entry.first.Scalar();
            if (field != "cond" && field != "then" && field != "else") {
                return error(if_path, "unknown key `" + field + "` in `if`; expected cond, then, "
                                      "else");
            }
        }
        auto condition = read_part(value["cond"], if_path + ".cond");
        KFRUN_TRY(condition);
        part.items.push_back(std::move(condition.value()));
        for (const char* branch : {"then", "else"}) {
            YAML::Node branch_node = value[branch];
            if (!branch_node) {
                continue;
            }
            std::string branch_path = if_path + "." + branch;
            std::vector<CommandPart> parts;
            if (branch_node.IsSequence()) {
                auto list = read_parts(branch_node, branch_path);
                KFRUN_TRY(list);
                parts = std::move(list.value());
            } else {
                auto single = read_part(branch_node, branch_path);
                KFRUN_TRY(single);
                parts.push_back(std::move(single.value()));
            }
            if (std::string(branch) == "then") {
                part.then_parts = std::move(parts);
            } else {
                part.else_parts = std::move(parts);
                part.has_else = true;
            }
        }
        return part;
    }
    if (k_unsupported_placeholders.count(key) != 0) {
        part.kind = Kind::Unsupported;
        part.text = key;
        return part;
    }
    return error(path, "unknown placeholder `" + key +
                           "`; KFP v1 components use inputValue, inputPath, outputPath, "
                           "inputUri, outputUri, concat, if and isPresent");
}

Result<void> SpecReader::read_container(const YAML::Node& node, const std::string& path) {
    mark(node, path);
    if (!node.IsMap()) {
        return error(path, "`implementation.container` must be a mapping with an `image`");
    }
    ContainerImplementation& container = m_spec.container;
    container.yaml_path = path;
    if (!node["image"]) {
        return error(path, "the container needs an `image`");
    }
    container.image = text(node, "image", path).value_or("");
    auto command = read_parts(node["command"], path + ".command");
    KFRUN_TRY(command);
    container.command = std::move(command.value());
    auto args = read_parts(node["args"], path + ".args");
    KFRUN_TRY(args);
    container.args = std::move(args.value());
    for (const auto& [name, value] : string_map(node["env"], path + ".env")) {
        container.env.emplace_back(name, value);
    }
    container.file_outputs = string_map(node["fileOutputs"], path + ".fileOutputs");
    for (const auto& [output, file] : container.file_outputs) {
        if (m_spec.find_output(output) == nullptr) {
            return error(path + ".fileOutputs", "`fileOutputs` names output `" + output +
                                                    "`, which the component does not declare");
        }
    }
    return base::ok();
}

Result<void> check_document_kind(const YAML::Node& root, SpecReader& reader) {
    if (!root.IsMap()) {
        return reader.error("", "the component file is not a YAML mapping");
    }
    if (root["apiVersion"] && root["kind"] && root["spec"]) {
        return reader.error("", "this is a compiled pipeline (an Argo Workflow), not a component "
                                "spec; run it with `kfrun run`");
    }
    if (root["pipelineInfo"] || root["deploymentSpec"]) {
        return reader.error("",
                            "this is a KFP v2 pipeline or component (IR), not a KFP v1 "
                            "component spec; run a pipeline with `kfrun run`");
    }
    YAML::Node implementation = root["implementation"];
    if (!implementation || !implementation.IsMap()) {
        return reader.error("", "a component spec needs `implementation.container`");
    }
    reader.mark(implementation, "implementation");
    if (implementation["graph"]) {
        reader.mark(implementation["graph"], "implementation.graph");
        return reader.error("implementation.graph",
                            "graph components are not supported: kfrun runs container "
                            "components; compile the pipeline with the KFP SDK and run it with "
                            "`kfrun run`");
    }
    if (!implementation["container"]) {
        return reader.error("implementation", "a component spec needs `implementation.container`");
    }
    return base::ok();
}

}  // namespace

Result<ComponentSpec> load_component_text(const std::string& text, const std::string& file_name) {
    ComponentSpec spec;
    spec.sources.set_file(file_name);
    SpecReader reader(spec);
    KFRUN_TRY(model::check_yaml_text_size(text.size(), file_name));
    auto loaded = model::load_yaml_document(text, file_name);
    KFRUN_TRY(loaded);
    YAML::Node root = std::move(*loaded);
    if (!root || root.IsNull()) {
        return reader.error("", "the component file is empty");
    }
    try {
        KFRUN_TRY(check_document_kind(root, reader));
        spec.name = reader.text(root, "name", "").value_or("");
        spec.description = reader.text(root, "description", "").value_or("");
        if (YAML::Node metadata = root["metadata"]; metadata && metadata.IsMap()) {
            spec.annotations = reader.string_map(metadata["annotations"], "metadata.annotations");
            spec.labels = reader.string_map(metadata["labels"], "metadata.labels");
        }
        KFRUN_TRY(reader.read_inputs(root["inputs"]));
        KFRUN_TRY(reader.read_outputs(root["outputs"]));
        KFRUN_TRY(reader.read_container(root["implementation"]["container"],
                                        "implementation.container"));
    } catch (const YAML::Exception& e) {
        std::string where = file_name;
        if (e.mark.line >= 0) {
            where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
        }
        return base::make_error(base::ErrorKind::Input, "unexpected YAML structure: " + e.msg,
                                where);
    }
    return spec;
}

Result<ComponentSpec> load_component_file(const std::filesystem::path& file) {
    auto text = model::read_file_at_most(file, base::limits().yaml_bytes, "yaml-bytes");
    if (!text.ok()) {
        return text.error().message == "cannot read the file"
                   ? base::make_error(base::ErrorKind::Input, "cannot read the component file",
                                      file.string())
                   : text.error();
    }
    return load_component_text(*text, file.string());
}

}  // namespace kfrun::component
