// `kfrun completion bash|zsh|fish`: prints a completion script made from this kfrun's own
// subcommands and flags (cli/completion_script.hpp).
#include <iostream>
#include <map>
#include <memory>

#include "cli/commands.hpp"
#include "cli/completion_script.hpp"
#include "cli/exit_codes.hpp"

namespace kfrun::cli {

void add_completion_command(CLI::App& app, int& exit_code) {
    static const std::map<std::string, CompletionShell> k_shells = {
        {"bash", CompletionShell::bash},
        {"zsh", CompletionShell::zsh},
        {"fish", CompletionShell::fish}};
    auto shell = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand(
        "completion",
        "Print a shell completion script: bash (`source <(kfrun completion bash)`), zsh or fish");
    cmd->add_option("shell", *shell, "bash, zsh or fish")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish"}));
    cmd->callback([&app, &exit_code, shell] {
        std::cout << completion_script(app, k_shells.at(*shell), "kfrun");
        std::cout.flush();
        exit_code = std::cout ? k_exit_ok : k_exit_environment;
    });
}

}  // namespace kfrun::cli
