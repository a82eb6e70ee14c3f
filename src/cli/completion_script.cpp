#include "cli/completion_script.hpp"

#include <algorithm>
#include <sstream>

namespace kfrun::cli {
namespace {

std::string first_line(const std::string& text, std::size_t max_chars = 100) {
    std::string line = text.substr(0, text.find('\n'));
    if (line.size() > max_chars) {
        line = line.substr(0, max_chars - 3) + "...";
    }
    return line;
}

// `TEXT:{pod,bridge,none,host}` (CLI11's type name with an IsMember check) → its values.
std::vector<std::string> choices_of(const CLI::Option& option) {
    std::string type = option.get_type_name();
    auto open = type.find(":{");
    if (open == std::string::npos || type.back() != '}') {
        return {};
    }
    std::vector<std::string> values;
    std::string list = type.substr(open + 2, type.size() - open - 3);
    std::stringstream parts(list);
    for (std::string value; std::getline(parts, value, ',');) {
        if (!value.empty()) {
            values.push_back(value);
        }
    }
    return values;
}

CompletionOption option_of(const CLI::Option& option) {
    CompletionOption described;
    for (const std::string& name : option.get_snames()) {
        described.names.push_back("-" + name);
    }
    for (const std::string& name : option.get_lnames()) {
        described.names.push_back("--" + name);
    }
    described.description = first_line(option.get_description());
    described.takes_value = option.get_items_expected_max() != 0;  // 0 for a flag
    described.choices = choices_of(option);
    return described;
}

bool has_name(const std::vector<CompletionOption>& options, const std::string& name) {
    return std::any_of(options.begin(), options.end(), [&](const CompletionOption& option) {
        return std::find(option.names.begin(), option.names.end(), name) != option.names.end();
    });
}

// An App's options and positionals, with those of its option groups (nameless sub-Apps).
void collect_options(const CLI::App& app, const CLI::Option* skip, CompletionCommand& command) {
    for (const CLI::Option* option : app.get_options()) {
        if (option == skip || option->get_group().empty()) {  // hidden
            continue;
        }
        if (!option->nonpositional()) {
            std::vector<std::string> words = choices_of(*option);
            command.argument_words.insert(command.argument_words.end(), words.begin(), words.end());
            command.takes_arguments = command.takes_arguments || words.empty();
            continue;
        }
        CompletionOption described = option_of(*option);
        if (!described.names.empty() && !has_name(command.options, described.names.front())) {
            command.options.push_back(std::move(described));
        }
    }
    for (const CLI::App* group : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (group->get_name().empty()) {
            collect_options(*group, skip, command);
        }
    }
}

void walk(const CLI::App& app, const std::string& path, const std::vector<CompletionOption>& above,
          const CLI::Option* version, std::vector<CompletionCommand>& out) {
    CompletionCommand command;
    command.path = path;
    command.description = first_line(app.get_description());
    collect_options(app, version == nullptr ? nullptr : version, command);
    for (const CompletionOption& option : above) {  // flags of the commands above fall through
        if (!has_name(command.options, option.names.front())) {
            command.options.push_back(option);
        }
    }
    std::vector<const CLI::App*> children;
    for (const CLI::App* child : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (!child->get_name().empty() && !child->get_disabled() && !child->get_group().empty()) {
            children.push_back(child);
            command.subcommands.push_back(child->get_name());
            command.subcommand_descriptions.push_back(first_line(child->get_description()));
            for (const std::string& alias : child->get_aliases()) {
                command.subcommands.push_back(alias);
                command.subcommand_descriptions.push_back(first_line(child->get_description()));
            }
        }
    }
    std::vector<CompletionOption> inherited = command.options;
    out.push_back(std::move(command));
    for (const CLI::App* child : children) {
        std::string child_path = path.empty() ? child->get_name() : path + " " + child->get_name();
        std::size_t index = out.size();
        walk(*child, child_path, inherited, version, out);
        out[index].aliases = child->get_aliases();
    }
}

// The key a script matches a command by: "/runs/list" for "runs list", "" for kfrun.
std::string key_of(const std::string& path) {
    if (path.empty()) {
        return "";
    }
    std::string key = "/" + path;
    std::replace(key.begin(), key.end(), ' ', '/');
    return key;
}

// POSIX single quotes (bash, zsh).
std::string sh_quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

// fish single quotes: only \ and ' are escaped.
std::string fish_quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\\' || c == '\'') {
            quoted += '\\';
        }
        quoted += c;
    }
    return quoted + "'";
}

std::string joined(const std::vector<std::string>& words, const std::string& separator = " ") {
    std::string text;
    for (const std::string& word : words) {
        text += (text.empty() ? "" : separator) + word;
    }
    return text;
}

// Each subcommand's key and the keys its words can be spelt as (an alias for the last word).
struct CommandKeys {
    std::string key;
    std::vector<std::string> spellings;
};

std::vector<CommandKeys> command_keys(const std::vector<CompletionCommand>& commands) {
    std::vector<CommandKeys> keys;
    for (const CompletionCommand& command : commands) {
        if (command.path.empty()) {
            continue;
        }
        CommandKeys entry{key_of(command.path), {key_of(command.path)}};
        std::string parent = entry.key.substr(0, entry.key.rfind('/'));
        for (const std::string& alias : command.aliases) {
            entry.spellings.push_back(parent + "/" + alias);
        }
        keys.push_back(std::move(entry));
    }
    return keys;
}

// The `case "$path/$word"` entries of bash (parens = false) and zsh: a subcommand's word
// (or its alias) moves the path down to it.
std::string sh_path_cases(const std::vector<CompletionCommand>& commands, const std::string& var,
                          bool parens) {
    std::string text;
    for (const CommandKeys& entry : command_keys(commands)) {
        std::vector<std::string> quoted;
        for (const std::string& spelling : entry.spellings) {
            quoted.push_back(sh_quote(spelling));
        }
        text += std::string("        ") + (parens ? "(" : "") + joined(quoted, " | ") + ") " + var +
                "=" + sh_quote(entry.key) + " ;;\n";
    }
    return text;
}

std::string bash_script(const std::vector<CompletionCommand>& commands, const std::string& fn,
                        const std::string& program) {
    std::ostringstream out;
    out << "# bash completion for " << program << ", made by `" << program
        << " completion bash` from its own command line\n"
        << fn << "() {\n"
        << "    local cur=${COMP_WORDS[COMP_CWORD]} prev= path= word i\n"
        << "    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
        << "    if [ \"$prev\" = = ] && ((COMP_CWORD > 1)); then prev=${COMP_WORDS[COMP_CWORD - "
           "2]}; fi\n"
        << "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        << "        word=${COMP_WORDS[i]}\n"
        << "        case \"$path/$word\" in\n"
        << sh_path_cases(commands, "path", false) << "        esac\n"
        << "    done\n"
        << "    local subcommands= options= files=0\n"
        << "    case $path in\n";
    for (const CompletionCommand& command : commands) {
        std::vector<std::string> names;
        std::vector<std::string> file_flags;
        out << "    " << sh_quote(key_of(command.path)) << ")\n";
        for (const CompletionOption& option : command.options) {
            names.insert(names.end(), option.names.begin(), option.names.end());
            if (!option.takes_value) {
                continue;
            }
            if (option.choices.empty()) {
                file_flags.insert(file_flags.end(), option.names.begin(), option.names.end());
            } else {
                out << "        case $prev in " << joined(option.names, " | ")
                    << ") COMPREPLY=($(compgen -W " << sh_quote(joined(option.choices))
                    << " -- \"$cur\")); return ;; esac\n";
            }
        }
        if (!file_flags.empty()) {
            out << "        case $prev in " << joined(file_flags, " | ")
                << ") compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); "
                   "return ;; esac\n";
        }
        std::vector<std::string> words = command.subcommands;
        words.insert(words.end(), command.argument_words.begin(), command.argument_words.end());
        out << "        subcommands=" << sh_quote(joined(words)) << "\n"
            << "        options=" << sh_quote(joined(names)) << "\n"
            << "        files=" << (command.takes_arguments ? 1 : 0) << " ;;\n";
    }
    out << "    esac\n"
        << "    if [[ $cur == -* ]]; then\n"
        << "        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
        << "        return\n"
        << "    fi\n"
        << "    COMPREPLY=($(compgen -W \"$subcommands\" -- \"$cur\"))\n"
        << "    if [ $files = 1 ]; then\n"
        << "        compopt -o filenames 2>/dev/null\n"
        << "        COMPREPLY+=($(compgen -f -- \"$cur\"))\n"
        << "    fi\n"
        << "}\n"
        << "complete -F " << fn << " " << program << "\n";
    return out.str();
}

// A _describe entry: NAME:DESCRIPTION, with the colons of the name escaped.
std::string zsh_item(const std::string& name, const std::string& description) {
    std::string escaped;
    for (char c : name) {
        escaped += c == ':' ? std::string("\\:") : std::string(1, c);
    }
    return sh_quote(escaped + ":" + description);
}

std::string zsh_script(const std::vector<CompletionCommand>& commands, const std::string& fn,
                       const std::string& program) {
    std::ostringstream out;
    // `path` and `options` are zsh's own (tied to PATH, the shell options): not used here.
    out << "#compdef " << program << "\n"
        << "# zsh completion for " << program << ", made by `" << program
        << " completion zsh` from its own command line\n"
        << fn << "() {\n"
        << "    local cmd_path= word prev=${words[CURRENT-1]} i files=0\n"
        << "    local -a subcommands opts\n"
        << "    for ((i = 2; i < CURRENT; i++)); do\n"
        << "        word=${words[i]}\n"
        << "        case \"$cmd_path/$word\" in\n"
        << sh_path_cases(commands, "cmd_path", true) << "        esac\n"
        << "    done\n"
        << "    case $cmd_path in\n";
    for (const CompletionCommand& command : commands) {
        std::vector<std::string> file_flags;
        out << "    (" << sh_quote(key_of(command.path)) << ")\n";
        for (const CompletionOption& option : command.options) {
            if (!option.takes_value) {
                continue;
            }
            if (option.choices.empty()) {
                file_flags.insert(file_flags.end(), option.names.begin(), option.names.end());
            } else {
                out << "        case $prev in (" << joined(option.names, " | ") << ") compadd -- "
                    << joined(option.choices) << "; return ;; esac\n";
            }
        }
        if (!file_flags.empty()) {
            out << "        case $prev in (" << joined(file_flags, " | ")
                << ") _files; return ;; esac\n";
        }
        out << "        subcommands=(";
        for (std::size_t i = 0; i < command.subcommands.size(); ++i) {
            out << "\n            "
                << zsh_item(command.subcommands[i], command.subcommand_descriptions[i]);
        }
        for (const std::string& word : command.argument_words) {
            out << "\n            " << zsh_item(word, word);
        }
        out << ")\n        opts=(";
        for (const CompletionOption& option : command.options) {
            for (const std::string& name : option.names) {
                out << "\n            " << zsh_item(name, option.description);
            }
        }
        out << ")\n        files=" << (command.takes_arguments ? 1 : 0) << " ;;\n";
    }
    out << "    esac\n"
        << "    if [[ ${words[CURRENT]} == -* ]]; then\n"
        << "        _describe -t options option opts\n"
        << "        return\n"
        << "    fi\n"
        << "    (( ${#subcommands} )) && _describe -t commands command subcommands\n"
        << "    (( files )) && _files\n"
        << "    return 0\n"
        << "}\n"
        << "if [ \"$funcstack[1]\" = " << fn << " ]; then\n"
        << "    " << fn << " \"$@\"\n"
        << "else\n"
        << "    compdef " << fn << " " << program << "\n"
        << "fi\n";
    return out.str();
}

std::string fish_script(const std::vector<CompletionCommand>& commands, const std::string& fn,
                        const std::string& program) {
    std::string path_cases;
    for (const CommandKeys& entry : command_keys(commands)) {
        std::vector<std::string> quoted;
        for (const std::string& spelling : entry.spellings) {
            quoted.push_back(fish_quote(spelling));
        }
        path_cases += "            case " + joined(quoted) + "\n                set path " +
                      fish_quote(entry.key) + "\n";
    }
    std::ostringstream out;
    out << "# fish completion for " << program << ", made by `" << program
        << " completion fish` from its own command line\n"
        << "function " << fn << "_path\n"
        << "    set -l words (commandline -opc)\n"
        << "    set -e words[1]\n"
        << "    set -l path ''\n"
        << "    for word in $words\n"
        << "        switch \"$path/$word\"\n"
        << path_cases << "        end\n"
        << "    end\n"
        << "    echo $path\n"
        << "end\n"
        << "function " << fn << "_at\n"
        << "    set -l path (" << fn << "_path)\n"
        << "    test \"$path\" = \"$argv[1]\"\n"
        << "end\n"
        << "complete -c " << program << " -f\n";
    for (const CompletionCommand& command : commands) {
        std::string at = "-n " + fish_quote(fn + "_at " + fish_quote(key_of(command.path)));
        for (std::size_t i = 0; i < command.subcommands.size(); ++i) {
            out << "complete -c " << program << " " << at << " -a "
                << fish_quote(command.subcommands[i]) << " -d "
                << fish_quote(command.subcommand_descriptions[i]) << "\n";
        }
        for (const CompletionOption& option : command.options) {
            out << "complete -c " << program << " " << at;
            for (const std::string& name : option.names) {
                bool is_long = name.size() > 2 && name[1] == '-';
                out << (is_long ? " -l " : " -s ") << fish_quote(name.substr(is_long ? 2 : 1));
            }
            if (!option.choices.empty()) {
                out << " -x -a " << fish_quote(joined(option.choices));
            } else if (option.takes_value) {
                out << " -r -F";
            }
            out << " -d " << fish_quote(option.description) << "\n";
        }
        if (command.takes_arguments) {
            out << "complete -c " << program << " " << at << " -F\n";
        }
        if (!command.argument_words.empty()) {
            out << "complete -c " << program << " " << at << " -a "
                << fish_quote(joined(command.argument_words)) << "\n";
        }
    }
    return out.str();
}

}  // namespace

std::vector<CompletionCommand> completion_commands(const CLI::App& app) {
    std::vector<CompletionCommand> commands;
    walk(app, "", {}, app.get_version_ptr(), commands);
    // The version flag is kfrun's own, not its commands'.
    if (const CLI::Option* version = app.get_version_ptr()) {
        commands.front().options.push_back(option_of(*version));
    }
    return commands;
}

std::string completion_script(const CLI::App& app, CompletionShell shell,
                              const std::string& program) {
    std::vector<CompletionCommand> commands = completion_commands(app);
    std::string fn = "_" + program;
    std::replace(fn.begin(), fn.end(), '-', '_');
    switch (shell) {
        case CompletionShell::bash:
            return bash_script(commands, fn, program);
        case CompletionShell::zsh:
            return zsh_script(commands, fn, program);
        case CompletionShell::fish:
            return fish_script(commands, "_" + fn, program);
    }
    return {};
}

}  // namespace kfrun::cli
