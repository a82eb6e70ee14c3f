#pragma once
// ProjectConfig: `.kfrun.yaml`, the project's default flags (image map, parallelism, cache dir,
// secrets, …), found in the current directory or the nearest parent that has one ($KFRUN_CONFIG
// names another file; KFRUN_CONFIG=none ignores them all). Each key is a long flag name without
// its dashes; a key that names a subcommand holds flags for that command only:
//
//   image-map-file: fixtures/image-map.txt   # relative paths: from the file's folder
//   parallelism: 4
//   image-map: {"gcr.io/acme/trainer:*": acme/trainer:dev}
//   test: {parallel: 2}
//
// Flags given on the command line win. ProjectConfigFormat feeds the settings to CLI11.
//
// A file found by walking up (not named with --config or $KFRUN_CONFIG) may come with a
// cloned repository, so it may set conveniences but never widen what kfrun (root beside the
// daemon) lets a pipeline do: see refusal_in_found_file.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "base/result.hpp"

namespace kfrun::cli {

struct ConfigSetting {
    std::string command;  // empty: every command that has the flag
    std::string key;      // the flag's long name, without "--"
    std::vector<std::string> values;
    int line = 0;  // 1-based, in the file
};

struct ProjectConfig {
    std::filesystem::path file;
    std::vector<ConfigSetting> settings;
};

// Whether the config file was named (--config FILE on the command line, or $KFRUN_CONFIG), as
// opposed to found by walking up from the working folder.
bool config_file_named(const CLI::App& app);
// Call from main before parsing: remembers whether `--config` is on the command line.
void note_config_flag(int argc, char** argv);
bool config_flag_given();

// Why a file found by walking up may not carry `setting` (nullopt: it may), as the whole error
// text "FILE:LINE: ...". Refused: the settings that widen what a pipeline can reach on the
// host (allow-privileged, allow-host-path, network: host), that hand host files or folders to
// containers (secret, config-map, secrets-file, input-file), and that choose where kfrun writes
// as root (data-dir, cache-dir, report-dir, output-dir, junit), and docker-host (it chooses
// which machine receives the pipeline's secrets and inputs). Files the other settings name
// (image-map-file, parameter-file) must lie inside the file's project — the nearest folder at or
// above the file's that holds `.git`, else the file's folder — symbolic links resolved.
std::optional<std::string> refusal_in_found_file(const ConfigSetting& setting,
                                                 const std::filesystem::path& file);

// The config file that applies in `start`: $KFRUN_CONFIG, else .kfrun.yaml (or .kfrun.yml) in
// `start` or its nearest parent. nullopt when there is none (or KFRUN_CONFIG=none).
std::optional<std::filesystem::path> find_project_config(const std::filesystem::path& start);

// Reads the file; relative paths in path-valued settings become absolute (from the file's
// folder). Errors name file:line.
base::Result<ProjectConfig> load_project_config(const std::filesystem::path& file);

// Which of `app`'s subcommands have the flag `--key` (e.g. {"run", "resume", "test"}).
std::vector<std::string> commands_with_flag(const CLI::App& app, const std::string& key);

// CLI11's view of the file: an item per setting and per subcommand that has its flag; a key
// no subcommand knows is an error naming file:line.
class ProjectConfigFormat : public CLI::Config {
public:
    explicit ProjectConfigFormat(const CLI::App* app) : m_app(app) {}
    std::string to_config(const CLI::App*, bool, bool, std::string) const override { return ""; }
    std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;

private:
    const CLI::App* m_app;
};

// Wires the config into `app` (the --config option, the format, the file found from the
// current directory).
void use_project_config(CLI::App& app);

}  // namespace kfrun::cli
