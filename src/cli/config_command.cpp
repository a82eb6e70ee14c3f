// `kfrun config [-o json]`: the settings in effect here — each flag's value from .kfrun.yaml
// or its default, where it came from and which commands it applies to — and the folders and
// Docker socket kfrun uses.
#include <cstdlib>
#include <set>
#include <iostream>

#include <nlohmann/json.hpp>

#include "base/limits.hpp"
#include "base/json_text.hpp"
#include "cli/app_paths.hpp"
#include "cli/commands.hpp"
#include "cli/docker_host_option.hpp"
#include "cli/exit_codes.hpp"
#include "cli/project_config.hpp"
#include "cli/terminal.hpp"
#include "cli/text_table.hpp"
#include "docker/context_store.hpp"

namespace kfrun::cli {

namespace {

struct ConfigOptions {
    std::string output;
    bool no_color = false;
};

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (const std::string& item : items) {
        out += (out.empty() ? "" : separator) + item;
    }
    return out;
}

std::string env_or(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

int config_command(CLI::App& app, const ConfigOptions& options) {
    Terminal terminal = Terminal::detect(options.no_color);
    const CLI::Option* config_option = app.get_option_no_throw("--config");
    std::string file = config_option != nullptr && config_option->count() > 0
                           ? config_option->as<std::string>()
                           : (config_option != nullptr ? config_option->get_default_str() : "");
    const bool named = config_file_named(app);
    std::string found_how = file.empty() ? ""
                            : config_flag_given() ? "--config"
                            : named ? "$KFRUN_CONFIG"
                                    : "found by walking up from the working folder";
    nlohmann::json json = {{"configFile", file.empty() ? nlohmann::json() : nlohmann::json(file)},
                           {"configFileFrom", found_how},
                           {"settings", nlohmann::json::array()}};
    std::set<std::string> set_keys;
    std::vector<std::string> refusals;
    if (!file.empty()) {
        auto config = load_project_config(file);
        if (!config.ok()) {
            std::cerr << config.error().where << ": error: " << config.error().message << "\n";
            return k_exit_bad_input;
        }
        for (const ConfigSetting& setting : config->settings) {
            std::vector<std::string> commands = setting.command.empty()
                                                    ? commands_with_flag(app, setting.key)
                                                    : std::vector<std::string>{setting.command};
            auto refusal = named ? std::nullopt : refusal_in_found_file(setting, config->file);
            nlohmann::json item = {
                {"setting", setting.key},
                {"values", setting.values},
                {"from", config->file.filename().string() + ":" + std::to_string(setting.line) +
                             (refusal ? " (refused)" : "")},
                {"commands", commands}};
            if (refusal) {
                item["refused"] = *refusal;
                refusals.push_back(*refusal);
            }
            json["settings"].push_back(std::move(item));
            if (!refusal && (setting.command.empty() || setting.command == "run")) {
                set_keys.insert(setting.key);
            }
        }
    }
    // The run command's other flags, at their defaults.
    CLI::App* run = nullptr;
    for (CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
        run = command->get_name() == "run" ? command : run;
    }
    if (run != nullptr) {
        for (CLI::Option* option : run->get_options()) {
            std::string key = option->get_single_name();
            if (option->get_lnames().empty() || key == "help" || set_keys.count(key) ||
                !option->get_configurable()) {
                continue;
            }
            static const std::set<std::string> k_not_settings = {"only", "from", "reuse-run",
                                                                 "dry-run"};
            if (k_not_settings.count(key)) {
                continue;
            }
            option->capture_default_str();
            std::string value = option->get_default_str();
            value = value == "[]" ? "" : value;
            json["settings"].push_back({{"setting", key},
                                        {"values", value.empty() ? nlohmann::json::array()
                                                                 : nlohmann::json::array({value})},
                                        {"from", "default"},
                                        {"commands", commands_with_flag(app, key)}});
        }
    }
    AppPaths paths = AppPaths::resolve("", "");
    json["dataDir"] = {{"path", paths.data_dir.string()},
                       {"from", std::getenv("XDG_DATA_HOME") ? "$XDG_DATA_HOME" : "default"}};
    json["cacheDir"] = {{"path", paths.cache_dir.string()},
                        {"from", std::getenv("XDG_CACHE_HOME") ? "$XDG_CACHE_HOME" : "default"}};
    // Where the daemon is, found as the docker CLI finds it (no connection is made).
    if (auto daemon = docker::resolve_daemon(docker::docker_environment(docker_host_flag()));
        daemon.ok()) {
        json["dockerHost"] = {{"value", daemon->endpoint.url()},
                              {"from", daemon->source},
                              {"remote", daemon->endpoint.remote()},
                              {"tls", daemon->endpoint.tls}};
    } else {
        json["dockerHost"] = {{"value", ""}, {"from", "error"},
                              {"error", daemon.error().to_string()}};
    }
    json["limits"] = nlohmann::json::array();
    for (const base::LimitInfo& info : base::limit_table()) {
        json["limits"].push_back(
            {{"limit", std::string(info.name)},
             {"value", base::limits().*(info.field)},
             {"text", base::limit_value_text(info, base::limits().*(info.field))},
             {"bounds", std::string(info.bounds)}});
    }
    if (options.output == "json") {
        std::cout << base::json_text(json, 2) << "\n";
        return refusals.empty() ? k_exit_ok : k_exit_bad_input;
    }

    std::cout << terminal.bold("config file: ")
              << (file.empty() ? "none (no .kfrun.yaml here or in a parent folder)"
                               : file + " (" + found_how + ")")
              << "\n\n";
    TextTable table({"SETTING", "VALUE", "FROM", "COMMANDS"});
    for (const auto& setting : json["settings"]) {
        table.add({setting["setting"].get<std::string>(),
                   joined(setting["values"].get<std::vector<std::string>>(), ", "),
                   setting["from"].get<std::string>(),
                   joined(setting["commands"].get<std::vector<std::string>>(), " ")});
    }
    table.print(std::cout);
    std::cout << "\n";
    TextTable places({"", "", "FROM"});
    places.add({"data dir", json["dataDir"]["path"], json["dataDir"]["from"]});
    places.add({"cache dir", json["cacheDir"]["path"], json["cacheDir"]["from"]});
    places.add({"docker", json["dockerHost"]["value"], json["dockerHost"]["from"]});
    places.print(std::cout);
    std::cout << "\n";
    TextTable limit_rows({"LIMIT", "VALUE", "BOUNDS"});
    for (const auto& limit : json["limits"]) {
        limit_rows.add({limit["limit"].get<std::string>(), limit["text"].get<std::string>(),
                        limit["bounds"].get<std::string>()});
    }
    limit_rows.print(std::cout);
    std::cout << terminal.dim("Change a limit with --limit NAME=VALUE.") << "\n";
    std::cout << terminal.dim("\nFlags given on the command line override these.") << "\n";
    if (!refusals.empty()) {
        std::cout << "\n";
        for (const std::string& refusal : refusals) {
            std::cout << terminal.red("refused: ") << refusal << "\n";
        }
        std::cout << "Other kfrun commands stop with exit 2 while this file sets these.\n";
        return k_exit_bad_input;
    }
    return k_exit_ok;
}

}  // namespace

void add_config_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ConfigOptions>();
    CLI::App* cmd = app.add_subcommand(
        "config", "Show the settings in effect here (.kfrun.yaml, defaults) and where each "
                  "came from");
    cmd->add_option("-o,--output", options->output, "json: machine-readable")
        ->check(CLI::IsMember({"json"}));
    cmd->add_flag("--no-color", options->no_color, "No colours");
    cmd->callback([&app, options, &exit_code] { exit_code = config_command(app, *options); });
}

}  // namespace kfrun::cli
