#include "engine/kfp_placeholders.hpp"

#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "base/json_depth.hpp"
#include "base/json_text.hpp"
#include "base/strings.hpp"

namespace kfrun::engine {

using base::Result;

namespace {

base::Error placeholder_error(const std::string& message) {
    return base::make_error(base::ErrorKind::Step, message);
}

std::string shown(const nlohmann::json& value) {
    std::string text = base::json_text(value);
    return text.size() > 120 ? text.substr(0, 120) + "…" : text;
}

// `['name']` (or `["name"]`) right after `prefix`: the name and what follows the `]`.
std::optional<std::pair<std::string, std::string>> bracket_name(const std::string& token,
                                                                const std::string& prefix) {
    if (token.compare(0, prefix.size(), prefix) != 0 || token.size() < prefix.size() + 4) {
        return std::nullopt;
    }
    char quote = token[prefix.size()];
    if (quote != '\'' && quote != '"') {
        return std::nullopt;
    }
    std::size_t close = token.find(std::string(1, quote) + "]", prefix.size() + 1);
    if (close == std::string::npos) {
        return std::nullopt;
    }
    return std::make_pair(token.substr(prefix.size() + 1, close - prefix.size() - 1),
                          token.substr(close + 2));
}

// A placeholder `{{…}}` as what it names: kind ("$", "in-param", "in-artifact", "out-param",
// "out-artifact") with name and field (path/uri/output_file); empty kind when unknown.
struct Placeholder {
    std::string kind;
    std::string name;
    std::string field;
};

Placeholder parse_placeholder(const std::string& token) {
    if (token == "$") {
        return {"$", "", ""};
    }
    if (auto p = bracket_name(token, "$.inputs.parameters["); p && p->second.empty()) {
        return {"in-param", p->first, ""};
    }
    if (auto p = bracket_name(token, "$.inputs.artifacts[");
        p && (p->second == ".path" || p->second == ".uri")) {
        return {"in-artifact", p->first, p->second.substr(1)};
    }
    if (auto p = bracket_name(token, "$.outputs.parameters["); p && p->second == ".output_file") {
        return {"out-param", p->first, "output_file"};
    }
    if (auto p = bracket_name(token, "$.outputs.artifacts[");
        p && (p->second == ".path" || p->second == ".uri")) {
        return {"out-artifact", p->first, p->second.substr(1)};
    }
    return {};
}

bool is_structured(const std::string& text) {
    std::string_view trimmed = base::trim(text);
    return trimmed.size() > 2 && trimmed.front() == '{' &&
           (trimmed.find("\"IfPresent\"") != std::string_view::npos ||
            trimmed.find("\"Concat\"") != std::string_view::npos);
}

// Resolves elements; without `io` it only collects the names placeholders use (validation).
class Resolver {
  public:
    Resolver(const LauncherIo* io, const std::string* executor_input)
        : m_io(io), m_executor_input(executor_input) {}

    Result<std::vector<std::string>> element(const std::string& text) {
        // Nested deeper than the json-depth limit, the element stays text: `node` recurses.
        if (is_structured(text) && base::json_depth_within_limit(text)) {
            auto parsed = nlohmann::json::parse(text, nullptr, false);
            if (!parsed.is_discarded() && parsed.is_object() && parsed.size() == 1 &&
                (parsed.contains("IfPresent") || parsed.contains("Concat"))) {
                return node(parsed);
            }
        }
        auto resolved = string(text);
        KFRUN_TRY(resolved);
        return std::vector<std::string>{std::move(resolved.value())};
    }

    std::vector<std::string> warnings;
    std::vector<std::string> names;

  private:
    Result<std::vector<std::string>> items(const nlohmann::json& branch) {
        std::vector<std::string> out;
        if (branch.is_null()) {
            return out;
        }
        const nlohmann::json list = branch.is_array() ? branch : nlohmann::json::array({branch});
        for (const nlohmann::json& item : list) {
            auto resolved = node(item);
            KFRUN_TRY(resolved);
            out.insert(out.end(), resolved->begin(), resolved->end());
        }
        return out;
    }

    Result<std::vector<std::string>> node(const nlohmann::json& value) {
        if (value.is_string()) {
            return element(value.get<std::string>());
        }
        if (value.is_object() && value.size() == 1 && value.contains("IfPresent")) {
            const nlohmann::json& spec = value["IfPresent"];
            if (!spec.is_object() || !spec.contains("InputName") ||
                !spec["InputName"].is_string()) {
                return placeholder_error("IfPresent needs an InputName: " + shown(value));
            }
            std::string input = spec["InputName"].get<std::string>();
            nlohmann::json then = spec.contains("Then") ? spec["Then"] : nlohmann::json();
            nlohmann::json otherwise = spec.contains("Else") ? spec["Else"] : nlohmann::json();
            if (m_io == nullptr) {
                names.push_back("inputs.any." + input);
                auto first = items(then);
                KFRUN_TRY(first);
                auto second = items(otherwise);
                KFRUN_TRY(second);
                return std::vector<std::string>{};
            }
            bool present =
                m_io->parameter(input) != nullptr || m_io->input_artifact(input) != nullptr;
            return items(present ? then : otherwise);
        }
        if (value.is_object() && value.size() == 1 && value.contains("Concat")) {
            const nlohmann::json& parts = value["Concat"];
            if (!parts.is_array()) {
                return placeholder_error("Concat needs a list: " + shown(value));
            }
            auto pieces = items(parts);
            KFRUN_TRY(pieces);
            return std::vector<std::string>{base::join(*pieces, "")};
        }
        return placeholder_error("a placeholder item must be a string, IfPresent or Concat: " +
                                 shown(value));
    }

    Result<std::string> string(const std::string& text) {
        std::string out;
        std::size_t at = 0;
        while (true) {
            std::size_t open = text.find("{{$", at);
            std::size_t close = open == std::string::npos ? open : text.find("}}", open + 3);
            if (close == std::string::npos) {
                break;
            }
            std::string token = text.substr(open + 2, close - open - 2);
            out += text.substr(at, open - at);
            auto value = replacement(token);
            KFRUN_TRY(value);
            out += value->value_or("{{" + token + "}}");
            at = close + 2;
        }
        return out + text.substr(at);
    }

    // The text for one placeholder; nullopt: left literal.
    Result<std::optional<std::string>> replacement(const std::string& token) {
        Placeholder p = parse_placeholder(token);
        if (m_io == nullptr) {
            static const std::map<std::string, std::string> k_prefix = {
                {"in-param", "inputs.parameters."},
                {"in-artifact", "inputs.artifacts."},
                {"out-param", "outputs.parameters."},
                {"out-artifact", "outputs.artifacts."}};
            if (auto it = k_prefix.find(p.kind); it != k_prefix.end()) {
                names.push_back(it->second + p.name);
            }
            return std::optional<std::string>();
        }
        if (p.kind == "$") {
            return std::optional<std::string>(*m_executor_input);
        }
        if (p.kind == "in-param") {
            if (const std::string* value = m_io->parameter(p.name)) {
                return std::optional<std::string>(*value);
            }
            return placeholder_error("parameter " + p.name + " not found in executor input");
        }
        if (p.kind == "in-artifact") {
            const auto* list = m_io->input_artifact(p.name);
            if (list != nullptr && !list->empty()) {
                return std::optional<std::string>(p.field == "uri" ? list->front().uri
                                                                   : list->front().path);
            }
        } else if (p.kind == "out-param") {
            for (const auto& [name, file] : m_io->output_parameters) {
                if (name == p.name) {
                    return std::optional<std::string>(file);
                }
            }
        } else if (p.kind == "out-artifact") {
            if (const LauncherArtifact* artifact = m_io->output_artifact(p.name)) {
                return std::optional<std::string>(p.field == "uri" ? artifact->uri
                                                                   : artifact->path);
            }
        }
        warnings.push_back("placeholder {{" + token +
                           "}} is left as it is (the KFP backend does not replace it)");
        return std::optional<std::string>();
    }

    const LauncherIo* m_io;
    const std::string* m_executor_input;
};

}  // namespace

std::string expand_k8s_variables(const std::string& text,
                                 const std::map<std::string, std::string>& variables) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '$' || i + 1 >= text.size()) {
            out += text[i];
            continue;
        }
        if (text[i + 1] == '$') {
            out += '$';
            ++i;
            continue;
        }
        if (text[i + 1] == '(') {
            std::size_t close = text.find(')', i + 2);
            if (close != std::string::npos) {
                auto it = variables.find(text.substr(i + 2, close - i - 2));
                out += it != variables.end() ? it->second : text.substr(i, close + 1 - i);
                i = close;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> expand_k8s_env(
    const std::vector<std::pair<std::string, std::string>>& env,
    const std::set<std::string>& hidden) {
    std::vector<std::pair<std::string, std::string>> out;
    std::map<std::string, std::string> defined;
    for (const auto& [name, value] : env) {
        if (hidden.count(name) != 0) {
            out.emplace_back(name, value);
            continue;
        }
        std::string expanded = expand_k8s_variables(value, defined);
        defined[name] = expanded;
        out.emplace_back(name, std::move(expanded));
    }
    return out;
}

Result<LauncherArgv> resolve_launcher_argv(const model::Launcher& launcher, const LauncherIo& io,
                                           const std::string& executor_input,
                                           const std::map<std::string, std::string>& env) {
    Resolver resolver(&io, &executor_input);
    LauncherArgv out;
    for (const std::vector<std::string>* part : {&launcher.command, &launcher.args}) {
        for (const std::string& text : *part) {
            auto resolved = resolver.element(text);
            KFRUN_TRY(resolved);
            for (std::string& item : *resolved) {
                out.argv.push_back(launcher.expand_env ? expand_k8s_variables(item, env)
                                                       : std::move(item));
            }
        }
    }
    out.warnings = std::move(resolver.warnings);
    if (out.argv.empty()) {
        return placeholder_error("the executor has neither command nor args: nothing to run");
    }
    return out;
}

Result<std::vector<std::string>> launcher_placeholder_names(const std::string& element) {
    Resolver resolver(nullptr, nullptr);
    auto resolved = resolver.element(element);
    KFRUN_TRY(resolved);
    return std::move(resolver.names);
}

}  // namespace kfrun::engine
