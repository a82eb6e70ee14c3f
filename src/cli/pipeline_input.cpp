#include "cli/pipeline_input.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "argo/package_reader.hpp"
#include "argo/workflow_loader.hpp"
#include "argo/yaml_reader.hpp"
#include "base/json_text.hpp"
#include "base/limits.hpp"
#include "base/strings.hpp"
#include "base/visible_text.hpp"
#include "engine/validator.hpp"
#include "kfpv2/ir_documents.hpp"
#include "kfpv2/ir_loader.hpp"
#include "model/yaml_documents.hpp"
#include "model/yaml_json.hpp"

namespace kfrun::cli {

base::Result<LoadedPipeline> load_pipeline(const std::filesystem::path& file,
                                           bool skip_unsupported) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        return base::make_error(base::ErrorKind::Input, "no such file", file.string());
    }
    // The one dispatch point: the format is read from the file (or the package's YAML), not
    // from its name. KFP v2 IR (pipelineInfo + root, or a PipelineJob's pipelineSpec) goes to
    // the v2 front end; everything else to the Argo (KFP v1) loader, whose messages name
    // component specs and other documents.
    auto text = argo::read_pipeline_text(file);
    KFRUN_TRY(text);
    auto workflow = kfpv2::is_ir_text(text->text)
                        ? kfpv2::load_ir_text(text->text, text->display_name)
                        : argo::load_workflow_text(text->text, text->display_name);
    KFRUN_TRY(workflow);
    LoadedPipeline loaded{std::move(workflow.value()), {}};
    loaded.diagnostics = engine::validate_workflow(loaded.workflow);
    if (skip_unsupported) {
        for (engine::Diagnostic& diagnostic : loaded.diagnostics) {
            if (diagnostic.skippable) {
                diagnostic.severity = engine::Diagnostic::Severity::Warning;
            }
        }
    }
    return loaded;
}

void print_diagnostics(const std::vector<engine::Diagnostic>& diagnostics, const Terminal& terminal,
                       bool verbose) {
    for (const engine::Diagnostic& diagnostic : diagnostics) {
        std::string label;
        switch (diagnostic.severity) {
            case engine::Diagnostic::Severity::Error:
                label = terminal.red("error: ");
                break;
            case engine::Diagnostic::Severity::Warning:
                label = terminal.yellow("warning: ");
                break;
            case engine::Diagnostic::Severity::Info:
                if (!verbose) {
                    continue;
                }
                label = terminal.dim("note: ");
                break;
        }
        // Messages quote pipeline text (names, values): escape sequences in it are shown, not
        // sent to the terminal.
        std::cerr << base::visible_text(diagnostic.where) << ": " << label
                  << base::visible_text(diagnostic.message, true) << "\n";
    }
}

namespace {

std::string scalar_text(const YAML::Node& node) {
    if (node.IsScalar()) {
        return node.Scalar();
    }
    if (node.IsNull()) {
        return "";
    }
    return base::json_text(argo::yaml_to_json(node));
}

base::Result<YAML::Node> load_yaml_file(const std::filesystem::path& file) {
    auto text = model::read_file_at_most(file, base::limits().yaml_bytes, "yaml-bytes");
    KFRUN_TRY(text);
    try {
        auto loaded = model::load_yaml_document(*text, file.string());
        KFRUN_TRY(loaded);
        YAML::Node root = std::move(*loaded);
        return root;
    } catch (const YAML::Exception& e) {
        std::string where = file.string();
        if (e.mark.line >= 0) {
            where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
        }
        return base::make_error(base::ErrorKind::Input, "invalid YAML: " + e.msg, where);
    }
}

}  // namespace

base::Result<std::vector<std::pair<std::string, std::string>>> read_parameter_file(
    const std::filesystem::path& file) {
    auto root = load_yaml_file(file);
    KFRUN_TRY(root);
    std::vector<std::pair<std::string, std::string>> out;
    if (root->IsMap()) {
        for (const auto& entry : *root) {
            out.emplace_back(entry.first.Scalar(), scalar_text(entry.second));
        }
        return out;
    }
    if (root->IsSequence()) {
        for (const auto& item : *root) {
            if (!item.IsMap() || !item["name"]) {
                return base::make_error(base::ErrorKind::Input,
                                        "a list entry needs `name` and `value`", file.string());
            }
            out.emplace_back(item["name"].Scalar(), item["value"] ? scalar_text(item["value"]) : "");
        }
        return out;
    }
    if (root->IsNull()) {
        return out;
    }
    return base::make_error(base::ErrorKind::Input,
                            "expected a mapping of parameter names to values", file.string());
}

base::Result<std::vector<engine::ImageMap::Rule>> read_image_map_file(
    const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) {
        return base::make_error(base::ErrorKind::Input, "cannot read the file", file.string());
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    std::vector<engine::ImageMap::Rule> rules;
    // Lines of PATTERN=IMAGE (the form --image-map takes).
    bool all_assignments = true;
    for (const std::string& raw_line : base::split(text, '\n')) {
        std::string line(base::trim(raw_line));
        if (line.empty() || line[0] == '#') {
            continue;
        }
        if (line.find('=') == std::string::npos) {
            all_assignments = false;
            break;
        }
        auto rule = engine::ImageMap::parse_rule(line);
        if (!rule.ok()) {
            all_assignments = false;
            break;
        }
        rules.push_back(std::move(rule.value()));
    }
    if (all_assignments) {
        return rules;
    }
    rules.clear();
    auto root = load_yaml_file(file);
    KFRUN_TRY(root);
    if (!root->IsMap()) {
        return base::make_error(base::ErrorKind::Input,
                                "expected a mapping {pattern: image} or lines PATTERN=IMAGE",
                                file.string());
    }
    for (const auto& entry : *root) {
        rules.push_back(engine::ImageMap::Rule{entry.first.Scalar(), scalar_text(entry.second)});
    }
    return rules;
}

base::Result<engine::RunOptions::LocalObjectSource> read_object_directory(
    const std::string& assignment, const std::string& flag, std::string& name) {
    auto parsed = parse_assignment(assignment, flag);
    KFRUN_TRY(parsed);
    name = parsed->first;
    std::filesystem::path directory = std::filesystem::absolute(parsed->second);
    std::error_code ec;
    if (!std::filesystem::is_directory(directory, ec)) {
        return base::make_error(base::ErrorKind::Input,
                                "not a directory (expected one file per key): " +
                                    directory.string(),
                                flag + " " + name);
    }
    engine::RunOptions::LocalObjectSource source;
    source.directory = directory;
    for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
        if (!entry.is_regular_file() || entry.path().filename().string().front() == '.') {
            continue;
        }
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream content;
        content << in.rdbuf();
        source.data[entry.path().filename().string()] = content.str();
    }
    return source;
}

namespace {

constexpr const char* k_key_rule =
    "is not a valid key: a key must consist of alphanumeric characters, '-', '_' or '.', be at "
    "most 253 characters, and not be '.' or '..' (as Kubernetes checks Secret keys)";

// `key` in backquotes, with control and non-ASCII bytes as \xNN, shortened to 80 characters.
std::string quoted_key(const std::string& key) {
    std::string out = "`";
    for (std::size_t i = 0; i < key.size() && i < 80; ++i) {
        const auto c = static_cast<unsigned char>(key[i]);
        if (c < 0x20 || c >= 0x7f) {
            static constexpr char k_hex[] = "0123456789abcdef";
            out += "\\x";
            out += k_hex[c >> 4];
            out += k_hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + (key.size() > 80 ? "…`" : "`");
}

}  // namespace

bool is_valid_secret_key(std::string_view key) {
    if (key.empty() || key.size() > 253 || key == "." || key == "..") {
        return false;
    }
    for (char c : key) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '-' || c == '_' || c == '.';
        if (!ok) {
            return false;
        }
    }
    return true;
}

base::Result<std::map<std::string, std::map<std::string, std::string>>> read_secrets_file(
    const std::filesystem::path& file) {
    auto root = load_yaml_file(file);
    KFRUN_TRY(root);
    std::map<std::string, std::map<std::string, std::string>> out;
    if (!root->IsMap()) {
        return base::make_error(base::ErrorKind::Input,
                                "expected {secret-name: {key: value}}", file.string());
    }
    for (const auto& secret : *root) {
        if (!secret.second.IsMap()) {
            return base::make_error(base::ErrorKind::Input,
                                    "secret `" + secret.first.Scalar() + "`: expected {key: value}",
                                    file.string());
        }
        // Names and keys become file names under the run's scratch folder: Kubernetes' rule
        // for Secret keys keeps each one a single harmless path component.
        const std::string name = secret.first.Scalar();
        if (!is_valid_secret_key(name)) {
            return base::make_error(base::ErrorKind::Input,
                                    "secret name " + quoted_key(name) + " " + k_key_rule,
                                    file.string());
        }
        for (const auto& entry : secret.second) {
            const std::string key = entry.first.Scalar();
            if (!is_valid_secret_key(key)) {
                return base::make_error(base::ErrorKind::Input,
                                        "secret `" + name + "`: key " + quoted_key(key) + " " +
                                            k_key_rule,
                                        file.string());
            }
            out[name][key] = scalar_text(entry.second);
        }
    }
    return out;
}

base::Result<std::pair<std::string, std::string>> parse_assignment(const std::string& text,
                                                                   const std::string& flag) {
    std::size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
        return base::make_error(base::ErrorKind::Input, "expected NAME=VALUE, got '" + text + "'",
                                flag);
    }
    return std::make_pair(text.substr(0, eq), text.substr(eq + 1));
}

}  // namespace kfrun::cli
