#pragma once
// Shell completion scripts generated from the command line itself: the CLI11 App tree is walked
// when the script is printed, so the subcommands, flags and value choices it completes are always
// the ones this kfrun parses. Arguments (a PIPELINE, a flag's value) complete as file names,
// except a flag whose values are a fixed set (`--network pod|bridge|none|host`).
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace kfrun::cli {

struct CompletionOption {
    std::vector<std::string> names;    // "-p", "--parameter"
    std::string description;           // first line of the help text
    bool takes_value = false;          // false for a flag
    std::vector<std::string> choices;  // the fixed values (`TEXT:{a,b}`), empty otherwise
};

struct CompletionCommand {
    std::string path;  // "" for kfrun itself, "runs list" for a nested subcommand
    std::string description;
    std::vector<std::string> aliases;  // other names of its last word (`runs ls` for `runs list`)
    std::vector<CompletionOption> options;             // its own and those of the commands above it
    std::vector<std::string> subcommands;              // names of the commands right below it
    std::vector<std::string> subcommand_descriptions;  // their descriptions, in the same order
    bool takes_arguments = false;                      // has positionals (file names are offered)
    std::vector<std::string> argument_words;  // a positional's fixed values (`completion bash`)
};

// Every command of the tree, kfrun's own first, parents before their children.
std::vector<CompletionCommand> completion_commands(const CLI::App& app);

enum class CompletionShell { bash, zsh, fish };

// The script for `shell`, completing the program `program` (kfrun).
std::string completion_script(const CLI::App& app, CompletionShell shell,
                              const std::string& program);

}  // namespace kfrun::cli
