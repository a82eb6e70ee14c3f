// completion_commands / completion_script on a small CLI11 tree (no shell runs here: the real
// shells run the scripts in tests/integration/package/completion_test.sh).
#include "cli/completion_script.hpp"

#include <gtest/gtest.h>

namespace kfrun::cli {
namespace {

struct SmallCli {
    CLI::App app{"tool"};
    std::string text;
    bool flag = false;
    SmallCli() {
        app.set_version_flag("--version", "tool 1");
        app.add_option("--limit", text, "A limit");
        CLI::App* run = app.add_subcommand("run", "Run it\nsecond line");
        run->add_option("pipeline", text, "The pipeline")->required();
        run->add_flag("-q,--quiet", flag, "Quiet");
        run->add_option("--network", text, "Network")->check(CLI::IsMember({"pod", "none"}));
        run->add_option("--secret-thing", text, "Hidden")->group("");
        CLI::App* runs = app.add_subcommand("runs", "History");
        runs->add_subcommand("list", "List runs")->alias("ls");
        app.add_subcommand("shell-kind", "Choices")
            ->add_option("shell", text, "A shell")
            ->check(CLI::IsMember({"bash", "zsh"}));
    }
};

const CompletionOption* find_option(const CompletionCommand& command, const std::string& name) {
    for (const CompletionOption& option : command.options) {
        for (const std::string& each : option.names) {
            if (each == name) {
                return &option;
            }
        }
    }
    return nullptr;
}

TEST(CompletionCommands, WalksEveryCommandParentsFirst) {
    SmallCli cli;
    auto commands = completion_commands(cli.app);
    std::vector<std::string> paths;
    for (const auto& command : commands) {
        paths.push_back(command.path);
    }
    EXPECT_EQ(paths, (std::vector<std::string>{"", "run", "runs", "runs list", "shell-kind"}));
    EXPECT_EQ(commands[0].subcommands, (std::vector<std::string>{"run", "runs", "shell-kind"}));
    EXPECT_EQ(commands[2].subcommands, (std::vector<std::string>{"list", "ls"}));
    EXPECT_EQ(commands[3].aliases, (std::vector<std::string>{"ls"}));
    EXPECT_EQ(commands[1].description, "Run it");
}

TEST(CompletionCommands, FlagsValuesChoicesAndInheritedOptions) {
    SmallCli cli;
    auto commands = completion_commands(cli.app);
    const CompletionCommand& run = commands[1];
    ASSERT_NE(find_option(run, "-q"), nullptr);
    EXPECT_FALSE(find_option(run, "--quiet")->takes_value);
    EXPECT_EQ(find_option(run, "--network")->choices, (std::vector<std::string>{"pod", "none"}));
    EXPECT_EQ(find_option(run, "--secret-thing"), nullptr);  // hidden
    ASSERT_NE(find_option(run, "--limit"), nullptr);         // kfrun's own flags fall through
    EXPECT_TRUE(find_option(run, "--limit")->takes_value);
    EXPECT_EQ(find_option(run, "--version"), nullptr);
    EXPECT_NE(find_option(commands[0], "--version"), nullptr);
    EXPECT_TRUE(run.takes_arguments);
    EXPECT_FALSE(commands[2].takes_arguments);
    EXPECT_EQ(commands[4].argument_words, (std::vector<std::string>{"bash", "zsh"}));
    EXPECT_FALSE(commands[4].takes_arguments);
}

TEST(CompletionScript, BashNamesEveryCommandAndAlias) {
    SmallCli cli;
    std::string script = completion_script(cli.app, CompletionShell::bash, "tool");
    EXPECT_NE(script.find("'/runs/list' | '/runs/ls') path='/runs/list' ;;"), std::string::npos)
        << script;
    EXPECT_NE(script.find("case $prev in --network) COMPREPLY=($(compgen -W 'pod none'"),
              std::string::npos);
    EXPECT_NE(script.find("complete -F _tool tool\n"), std::string::npos);
}

TEST(CompletionScript, QuotesDescriptionsForEachShell) {
    CLI::App app{"tool"};
    app.add_subcommand("it", "Don't \\ break: it");
    std::string zsh = completion_script(app, CompletionShell::zsh, "tool");
    EXPECT_NE(zsh.find("'it:Don'\\''t \\ break: it'"), std::string::npos) << zsh;
    std::string fish = completion_script(app, CompletionShell::fish, "tool");
    EXPECT_NE(fish.find("-a 'it' -d 'Don\\'t \\\\ break: it'"), std::string::npos) << fish;
}

}  // namespace
}  // namespace kfrun::cli
