#include "component/command_line.hpp"

#include <algorithm>
#include <optional>

#include "base/strings.hpp"
#include "component/kfp_naming.hpp"

namespace kfrun::component {

using base::Result;
using Kind = CommandPart::Kind;

std::string input_file_path(const std::string& input_name) {
    return "/tmp/inputs/" + sanitize_file_name(input_name) + "/data";
}

std::string output_file_path(const std::string& output_name) {
    return "/tmp/outputs/" + sanitize_file_name(output_name) + "/data";
}

namespace {

// Python's distutils strtobool.
std::optional<bool> parse_bool(const std::string& text) {
    std::string value = base::to_lower(text);
    for (const char* yes : {"y", "yes", "t", "true", "on", "1"}) {
        if (value == yes) {
            return true;
        }
    }
    for (const char* no : {"n", "no", "f", "false", "off", "0"}) {
        if (value == no) {
            return false;
        }
    }
    return std::nullopt;
}

// One expansion: nothing (KFP's None), a single string, or a list (from an `if`).
struct Expansion {
    enum class Shape { Nothing, Text, List };
    Shape shape = Shape::Nothing;
    std::string text;
    std::vector<std::string> list;
};

class Resolver {
public:
    Resolver(const ComponentSpec& spec, const PresentInputs& inputs)
        : m_spec(spec), m_inputs(inputs) {}

    Result<std::vector<std::string>> expand_list(const std::vector<CommandPart>& parts,
                                                 bool condition) {
        std::vector<std::string> out;
        for (const CommandPart& part : parts) {
            auto expanded = expand(part, condition);
            KFRUN_TRY(expanded);
            if (expanded->shape == Expansion::Shape::List) {
                out.insert(out.end(), expanded->list.begin(), expanded->list.end());
            } else if (expanded->shape == Expansion::Shape::Text) {
                out.push_back(std::move(expanded->text));
            }
        }
        return out;
    }

    ResolvedCommandLine& result() { return m_result; }

private:
    base::Error error(const CommandPart& part, std::string message) const {
        return base::make_error(base::ErrorKind::Input, std::move(message),
                                m_spec.where(part.yaml_path));
    }
    static Expansion text(std::string value) {
        Expansion out;
        out.shape = Expansion::Shape::Text;
        out.text = std::move(value);
        return out;
    }
    // A required input with no value: KFP's "No value provided for input" (an optional one
    // expands to nothing).
    Result<Expansion> absent(const CommandPart& part) const {
        const InputSpec* input = m_spec.find_input(part.text);
        if (input != nullptr && input->optional) {
            return Expansion{};
        }
        return error(part, "no value provided for input `" + part.text +
                               "`; pass it with --input " + part.text + "=VALUE" +
                               (part.kind == Kind::InputPath ? " or --input-file " + part.text +
                                                                   "=PATH"
                                                             : ""));
    }

    Result<Expansion> expand(const CommandPart& part, bool condition);

    const ComponentSpec& m_spec;
    const PresentInputs& m_inputs;
    ResolvedCommandLine m_result;
};

Result<Expansion> Resolver::expand(const CommandPart& part, bool condition) {
    switch (part.kind) {
        case Kind::Literal:
            return text(part.text);
        case Kind::Skip:
            return Expansion{};
        case Kind::InputValue: {
            if (!m_inputs.present(part.text)) {
                return absent(part);
            }
            if (m_inputs.files.count(part.text) != 0) {
                return error(part, "input `" + part.text +
                                       "` is used as a value ({inputValue: " + part.text +
                                       "}); pass it with --input " + part.text +
                                       "=VALUE, not as a file");
            }
            const std::string& value = m_inputs.values.at(part.text);
            if (condition) {
                return text(value);  // a condition is decided now, with the real value
            }
            auto& consumed = m_result.inputs_consumed_by_value;
            if (std::find(consumed.begin(), consumed.end(), part.text) == consumed.end()) {
                consumed.push_back(part.text);
            }
            return text(m_inputs.value_text ? m_inputs.value_text(*m_spec.find_input(part.text))
                                            : value);
        }
        case Kind::InputPath: {
            if (!m_inputs.present(part.text)) {
                return absent(part);
            }
            std::string path = input_file_path(part.text);
            auto& paths = m_result.input_paths;
            if (std::none_of(paths.begin(), paths.end(),
                             [&](const auto& entry) { return entry.first == part.text; })) {
                paths.emplace_back(part.text, path);
            }
            return text(path);
        }
        case Kind::OutputPath: {
            std::string path = output_file_path(part.text);
            auto& paths = m_result.output_paths;
            auto it = std::find_if(paths.begin(), paths.end(),
                                   [&](const auto& entry) { return entry.first == part.text; });
            if (it == paths.end()) {
                paths.emplace_back(part.text, path);
            } else if (it->second != path) {
                return error(part, "output `" + part.text + "` has a fixed path in `fileOutputs` (" +
                                       it->second + ") and is also used as {outputPath}");
            }
            return text(path);
        }
        case Kind::InputUri:
        case Kind::OutputUri:
            if (part.kind == Kind::InputUri && !m_inputs.present(part.text)) {
                return absent(part);
            }
            return error(part, std::string("{") +
                                   (part.kind == Kind::InputUri ? "inputUri" : "outputUri") +
                                   ": " + part.text +
                                   "} needs KFP's v2-compatible launcher, which passes artifact "
                                   "URIs in a remote store; kfrun runs v1 components with local "
                                   "files (use inputPath/outputPath)");
        case Kind::Unsupported:
            return error(part, "the {" + part.text +
                                   "} placeholder belongs to KFP's v2-compatible mode, which "
                                   "kfrun does not run");
        case Kind::IsPresent:
            return text(m_inputs.present(part.text) ? "True" : "False");
        case Kind::Concat: {
            auto items = expand_list(part.items, condition);
            KFRUN_TRY(items);
            return text(base::join(*items, ""));
        }
        case Kind::If: {
            auto cond = expand(part.items.front(), true);
            KFRUN_TRY(cond);
            bool chosen = false;
            if (cond->shape == Expansion::Shape::Text && !cond->text.empty()) {
                std::optional<bool> parsed = parse_bool(cond->text);
                if (!parsed) {
                    return error(part.items.front(),
                                 "the `if` condition is '" + cond->text +
                                     "', which is not a boolean (true/false, yes/no, 1/0)");
                }
                chosen = *parsed;
            }
            const std::vector<CommandPart>& branch = chosen ? part.then_parts : part.else_parts;
            auto expanded = expand_list(branch, condition);
            KFRUN_TRY(expanded);
            Expansion out;
            out.shape = Expansion::Shape::List;
            out.list = std::move(expanded.value());
            return out;
        }
    }
    return Expansion{};
}

}  // namespace

Result<ResolvedCommandLine> resolve_command_line(const ComponentSpec& spec,
                                                 const PresentInputs& inputs) {
    Resolver resolver(spec, inputs);
    // Outputs with a fixed path come first, as KFP seeds output_paths with fileOutputs.
    for (const OutputSpec& output : spec.outputs) {
        auto it = spec.container.file_outputs.find(output.name);
        if (it != spec.container.file_outputs.end()) {
            resolver.result().output_paths.emplace_back(output.name, it->second);
        }
    }
    auto command = resolver.expand_list(spec.container.command, false);
    KFRUN_TRY(command);
    auto args = resolver.expand_list(spec.container.args, false);
    KFRUN_TRY(args);
    ResolvedCommandLine result = std::move(resolver.result());
    result.command = std::move(command.value());
    result.args = std::move(args.value());
    return result;
}

}  // namespace kfrun::component
