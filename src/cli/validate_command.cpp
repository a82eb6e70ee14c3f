#include "cli/validate_command.hpp"

#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/pipeline_input.hpp"

namespace kfrun::cli {

int validate_command(const ValidateCommandOptions& options) {
    Terminal terminal = Terminal::detect(options.no_color);
    int invalid = 0;
    for (const std::string& file : options.pipelines) {
        auto loaded = load_pipeline(file, options.skip_unsupported);
        if (!loaded.ok()) {
            std::cerr << loaded.error().where << ": " << terminal.red("error: ")
                      << loaded.error().message << "\n";
            std::cout << terminal.red("✘ ") << file << "\n";
            ++invalid;
            continue;
        }
        print_diagnostics(loaded->diagnostics, terminal, options.verbose);
        std::size_t errors = 0;
        for (const auto& diagnostic : loaded->diagnostics) {
            errors += diagnostic.severity == engine::Diagnostic::Severity::Error ? 1 : 0;
        }
        if (errors > 0) {
            std::cout << terminal.red("✘ ") << file << ": " << errors
                      << (errors == 1 ? " error" : " errors") << "\n";
            ++invalid;
        } else {
            std::cout << terminal.green("✔ ") << file << ": valid ("
                      << loaded->workflow.templates.size() << " templates)\n";
        }
    }
    return invalid == 0 ? k_exit_ok : k_exit_bad_input;
}

void add_validate_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ValidateCommandOptions>();
    CLI::App* cmd = app.add_subcommand("validate", "Check pipelines without running them");
    cmd->add_option("pipelines", options->pipelines, "Compiled pipelines")->required();
    cmd->add_flag("-v,--verbose", options->verbose, "Also list ignored fields");
    cmd->add_flag("--skip-unsupported", options->skip_unsupported,
                  "Treat steps that cannot run locally as warnings");
    cmd->add_flag("--no-color", options->no_color, "No colours");
    cmd->callback([options, &exit_code] { exit_code = validate_command(*options); });
}

}  // namespace kfrun::cli
