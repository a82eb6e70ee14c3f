#include "cli/validate_command.hpp"

#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/pipeline_input.hpp"
#include "cli/run_options_builder.hpp"
#include "engine/security_policy.hpp"

namespace kfrun::cli {

int validate_command(const ValidateCommandOptions& options) {
    Terminal terminal = Terminal::detect(options.no_color);
    engine::RunOptions policy;
    policy.allow_privileged = options.allow_privileged;
    auto grants = parse_host_path_grants(options.allow_host_paths);
    if (!grants.ok()) {
        std::cerr << terminal.red("error: ") << grants.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    policy.allowed_host_paths = std::move(*grants);
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
        if (!engine::has_errors(loaded->diagnostics)) {
            // What `kfrun run` would refuse before starting anything.
            for (auto& refusal : engine::check_security_policy(loaded->workflow, policy)) {
                loaded->diagnostics.push_back(std::move(refusal));
            }
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
    cmd->add_flag("--allow-privileged", options->allow_privileged,
                  "Validate as `kfrun run --allow-privileged` would run (privileged steps, "
                  "capabilities beyond baseline, hostNetwork, host ports)");
    cmd->add_option("--allow-host-path", options->allow_host_paths,
                    "Validate as `kfrun run --allow-host-path PATH[:rw]` would run. Repeatable");
    cmd->add_flag("--no-color", options->no_color, "No colours");
    cmd->callback([options, &exit_code] { exit_code = validate_command(*options); });
}

}  // namespace kfrun::cli
