#include "cli/project_config.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "base/limits.hpp"
#include "base/project_folder.hpp"
#include "model/yaml_documents.hpp"
#include "model/yaml_json.hpp"

namespace kfrun::cli {

namespace {

// Settings whose values are paths (resolved against the config file's folder) or NAME=DIR.
const std::set<std::string> k_path_keys = {"image-map-file", "secrets-file", "parameter-file",
                                           "cache-dir",      "data-dir",     "report-dir",
                                           "junit",          "output-dir",   "allow-host-path"};
const std::set<std::string> k_named_dir_keys = {"secret", "config-map", "artifact-map"};

base::Error config_error(const std::filesystem::path& file, int line, const std::string& message) {
    base::Error error = base::make_error(base::ErrorKind::Input, message);
    error.where = file.string() + (line > 0 ? ":" + std::to_string(line) : "");
    return error;
}

std::string absolute_from(const std::filesystem::path& folder, const std::string& path) {
    if (path.empty() || std::filesystem::path(path).is_absolute()) {
        return path;
    }
    return (folder / path).lexically_normal().string();
}

base::Result<std::vector<std::string>> values_of(const YAML::Node& node, const std::string& key,
                                                 const std::filesystem::path& file) {
    int line = node.Mark().line + 1;
    std::vector<std::string> values;
    if (node.IsScalar()) {
        values.push_back(node.Scalar());
    } else if (node.IsSequence()) {
        for (const YAML::Node& item : node) {
            if (!item.IsScalar()) {
                return config_error(file, item.Mark().line + 1,
                                    "`" + key + "`: list items must be plain values");
            }
            values.push_back(item.Scalar());
        }
    } else if (node.IsMap()) {  // {NAME: VALUE} → NAME=VALUE (image-map, secret, parameter…)
        for (const auto& entry : node) {
            if (!entry.second.IsScalar()) {
                return config_error(file, entry.second.Mark().line + 1,
                                    "`" + key + "`: mapping values must be plain values");
            }
            values.push_back(entry.first.Scalar() + "=" + entry.second.Scalar());
        }
    } else {
        return config_error(file, line, "`" + key + "` has no value");
    }
    std::filesystem::path folder = file.parent_path();
    for (std::string& value : values) {
        if (k_path_keys.count(key)) {
            value = absolute_from(folder, value);
        } else if (k_named_dir_keys.count(key)) {
            auto equals = value.find('=');
            if (equals != std::string::npos) {
                value = value.substr(0, equals + 1) + absolute_from(folder, value.substr(equals + 1));
            }
        }
    }
    return values;
}

// Settings a found file may not set at all.
const std::set<std::string> k_refused_keys = {
    "allow-privileged", "allow-host-path", "allow-volume", "secrets-file", "secret",
    "config-map",       "input-file",      "data-dir",     "cache-dir",    "report-dir",
    "output-dir",       "junit",           "artifact-map"};
// Settings naming files kfrun reads (as root; their values reach containers or messages): a
// found file's must stay inside its project (project_root).
const std::set<std::string> k_confined_keys = {"image-map-file", "parameter-file", "wheelhouse"};

}  // namespace

namespace {
// Whether `--config` was on the command line. Read from argv before CLI11 parses: once CLI11
// has read the default (found) file, the option's count() is 1 as if it had been named.
bool s_config_flag_given = false;
}  // namespace

void note_config_flag(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") {
            break;
        }
        if (arg == "--config" || arg.rfind("--config=", 0) == 0) {
            s_config_flag_given = true;
        }
    }
}

bool config_flag_given() { return s_config_flag_given; }

bool config_file_named(const CLI::App& app) {
    if (s_config_flag_given) {
        return true;
    }
    const char* named = std::getenv("KFRUN_CONFIG");
    return named != nullptr && *named != '\0' && std::string(named) != "none";
}

std::optional<std::string> refusal_in_found_file(const ConfigSetting& setting,
                                                 const std::filesystem::path& file) {
    const std::string where = file.string() + ":" + std::to_string(setting.line) + ": ";
    const std::string how = "; pass --" + setting.key +
                            " on the command line, or name the file with --config " +
                            file.string() + " (or KFRUN_CONFIG=" + file.string() + ")";
    const std::string found =
        " was found by walking up from the working folder (a cloned repository can carry it)";
    bool host_network = setting.key == "network" &&
                        std::find(setting.values.begin(), setting.values.end(), "host") !=
                            setting.values.end();
    if (setting.key == "docker-host") {
        return where + "`docker-host` chooses which machine receives the pipeline's secrets and "
                       "inputs, and " +
               file.filename().string() + found + how;
    }
    if (k_refused_keys.count(setting.key) || host_network) {
        return where + "`" + setting.key + (host_network ? ": host" : "") +
               "` would widen what a pipeline can reach on this host, and " +
               file.filename().string() + found + how;
    }
    if (k_confined_keys.count(setting.key)) {
        const std::filesystem::path root = base::project_root(file);
        for (const std::string& value : setting.values) {
            if (!base::is_inside(value, root)) {
                return where + "`" + setting.key + "` names " + value + ", outside " +
                       root.string() + ", and " + file.filename().string() + found +
                       " (such a file may only name files of its own project)" + how;
            }
        }
    }
    return std::nullopt;
}

std::optional<std::filesystem::path> find_project_config(const std::filesystem::path& start) {
    if (const char* named = std::getenv("KFRUN_CONFIG"); named != nullptr && *named != '\0') {
        if (std::string(named) == "none") {
            return std::nullopt;
        }
        return std::filesystem::absolute(named);
    }
    std::error_code ec;
    std::filesystem::path folder = std::filesystem::absolute(start, ec);
    while (!folder.empty()) {
        for (const char* name : {".kfrun.yaml", ".kfrun.yml"}) {
            if (std::filesystem::is_regular_file(folder / name, ec)) {
                return folder / name;
            }
        }
        if (folder == folder.root_path()) {
            break;
        }
        folder = folder.parent_path();
    }
    return std::nullopt;
}

base::Result<ProjectConfig> load_project_config(const std::filesystem::path& file) {
    ProjectConfig config;
    config.file = std::filesystem::absolute(file).lexically_normal();
    // A found file comes with whatever repository holds the working folder: bounded like a
    // pipeline (yaml-bytes, yaml-nodes, aliases expanded) before anything walks it.
    auto text = model::read_file_at_most(config.file, base::limits().yaml_bytes, "yaml-bytes");
    if (!text.ok()) {
        return text.error();
    }
    auto loaded = model::load_yaml_document(*text, config.file.string());
    KFRUN_TRY(loaded);
    YAML::Node root = std::move(*loaded);
    if (root.IsNull()) {
        return config;
    }
    if (!root.IsMap()) {
        return config_error(config.file, root.Mark().line + 1,
                            "a config file is a mapping of flag names to values");
    }
    auto add = [&](const std::string& command, const YAML::Node& key,
                   const YAML::Node& value) -> base::Result<void> {
        auto values = values_of(value, key.Scalar(), config.file);
        if (!values.ok()) {
            return values.error();
        }
        config.settings.push_back(
            {command, key.Scalar(), std::move(values.value()), key.Mark().line + 1});
        return {};
    };
    for (const auto& entry : root) {
        // A mapping under a key that is not a map-valued flag is a command's own section.
        static const std::set<std::string> k_map_flags = {"image-map", "secret", "config-map",
                                                          "parameter", "input"};
        if (entry.second.IsMap() && !k_map_flags.count(entry.first.Scalar())) {
            for (const auto& inner : entry.second) {
                auto added = add(entry.first.Scalar(), inner.first, inner.second);
                if (!added.ok()) {
                    return added.error();
                }
            }
            continue;
        }
        auto added = add("", entry.first, entry.second);
        if (!added.ok()) {
            return added.error();
        }
    }
    return config;
}

std::vector<std::string> commands_with_flag(const CLI::App& app, const std::string& key) {
    std::vector<std::string> out;
    for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (command->get_option_no_throw("--" + key) != nullptr) {
            out.push_back(command->get_name());
        }
    }
    return out;
}

std::vector<CLI::ConfigItem> ProjectConfigFormat::from_config(std::istream& input) const {
    // CLI11 opened the file; read the same file again by name to know its folder and lines.
    const CLI::Option* option = m_app->get_option_no_throw("--config");
    std::string file = option != nullptr && option->count() > 0
                           ? option->as<std::string>()
                           : (option != nullptr ? option->get_default_str() : "");
    (void)input;
    auto config = load_project_config(file);
    if (!config.ok()) {
        throw CLI::ConfigError(config.error().where + ": " + config.error().message);
    }
    // A found file may not widen the security posture; `kfrun config` shows the refusals.
    const bool named = config_file_named(*m_app);
    const bool showing = m_app->got_subcommand("config");
    if (!named && !showing) {
        for (const ConfigSetting& setting : config->settings) {
            if (auto refusal = refusal_in_found_file(setting, config->file)) {
                throw CLI::ConfigError(*refusal);
            }
        }
    }
    std::vector<CLI::ConfigItem> items;
    // A command's own section first: CLI11 keeps the first value an option gets.
    for (int pass = 0; pass < 2; ++pass) {
        for (const ConfigSetting& setting : config->settings) {
            if (setting.command.empty() == (pass == 0)) {
                continue;
            }
            std::vector<std::string> commands = commands_with_flag(*m_app, setting.key);
            if (!setting.command.empty()) {
                bool known = std::find(commands.begin(), commands.end(), setting.command) !=
                             commands.end();
                if (!known) {
                    throw CLI::ConfigError(config->file.string() + ":" +
                                           std::to_string(setting.line) + ": `kfrun " +
                                           setting.command + "` has no flag --" + setting.key);
                }
                commands = {setting.command};
            }
            if (commands.empty()) {
                throw CLI::ConfigError(config->file.string() + ":" + std::to_string(setting.line) +
                                       ": unknown setting `" + setting.key +
                                       "` (settings are long flag names, e.g. image-map-file)");
            }
            if (!named && refusal_in_found_file(setting, config->file)) {
                continue;  // `kfrun config`: shown as refused, not applied
            }
            for (const std::string& command : commands) {
                CLI::ConfigItem item;
                item.parents = {command};
                item.name = setting.key;
                item.inputs = setting.values;
                items.push_back(std::move(item));
            }
        }
    }
    return items;
}

void use_project_config(CLI::App& app) {
    std::error_code ec;
    auto found = find_project_config(std::filesystem::current_path(ec));
    app.config_formatter(std::make_shared<ProjectConfigFormat>(&app));
    app.set_config("--config", found ? found->string() : "",
                   "Default flags from this file (default: .kfrun.yaml here or in a parent "
                   "folder, which may not widen security settings; KFRUN_CONFIG=FILE names "
                   "one, KFRUN_CONFIG=none ignores them)");
}

}  // namespace kfrun::cli
