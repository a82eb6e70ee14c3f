#pragma once
// ComponentSpec: a KFP v1 component (component.yaml) as read — its interface (inputs, outputs)
// and its container implementation, with the command line kept as the placeholder structure
// the spec defines. Immutable once loaded; `sources` names file:line:col for any YAML path.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/source_map.hpp"

namespace kfrun::component {

// One element of `command` or `args`: a literal string or a placeholder structure.
struct CommandPart {
    enum class Kind {
        Literal,     // a string (numbers and booleans as KFP's Python prints them)
        Skip,        // a null item: expands to nothing
        InputValue,  // {inputValue: NAME}
        InputPath,   // {inputPath: NAME}
        OutputPath,  // {outputPath: NAME}
        InputUri,    // {inputUri: NAME}   (v2-compatible mode only)
        OutputUri,   // {outputUri: NAME}  (v2-compatible mode only)
        Concat,      // {concat: [...]}
        If,          // {if: {cond: ..., then: [...], else: [...]}}
        IsPresent,   // {isPresent: NAME}
        Unsupported  // executorInput, inputMetadata, ...: `text` holds the key
    };
    Kind kind = Kind::Literal;
    std::string text;                 // the literal, or the input/output name
    std::vector<CommandPart> items;   // Concat: the parts; If: the condition (one part)
    std::vector<CommandPart> then_parts;
    std::vector<CommandPart> else_parts;
    bool has_else = false;
    std::string yaml_path;  // "implementation.container.args[3]"
};

struct InputSpec {
    std::string name;
    std::string type;  // as written; a structured type as compact JSON; empty: untyped
    std::string description;
    std::optional<std::string> default_value;
    bool optional = false;
    std::string yaml_path;  // "inputs[2]"
};

struct OutputSpec {
    std::string name;
    std::string type;
    std::string description;
    std::string yaml_path;
};

struct ContainerImplementation {
    std::string image;
    std::vector<CommandPart> command;
    std::vector<CommandPart> args;
    std::vector<std::pair<std::string, std::string>> env;
    std::map<std::string, std::string> file_outputs;  // fileOutputs: output name → fixed path
    std::string yaml_path = "implementation.container";
};

struct ComponentSpec {
    std::string name;
    std::string description;
    std::vector<InputSpec> inputs;
    std::vector<OutputSpec> outputs;
    ContainerImplementation container;
    std::map<std::string, std::string> annotations;  // metadata.annotations
    std::map<std::string, std::string> labels;       // metadata.labels
    model::SourceMap sources;

    const InputSpec* find_input(const std::string& input_name) const;
    const OutputSpec* find_output(const std::string& output_name) const;
    // "file.yaml:12:5 (inputs[2])".
    std::string where(const std::string& yaml_path) const { return sources.describe(yaml_path); }
};

}  // namespace kfrun::component
