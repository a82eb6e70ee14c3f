// kfrun: run compiled Kubeflow Pipelines on the local Docker daemon.
#include <csignal>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "base/limits.hpp"
#include "base/visible_text.hpp"
#include "cli/commands.hpp"
#include "cli/docker_host_option.hpp"
#include "cli/exit_codes.hpp"
#include "cli/project_config.hpp"

namespace {

// A repeatable flag takes one value per occurrence (`-p a=1 -p b=2 PIPELINE`), never the
// positional argument after it.
void one_value_per_flag(CLI::App& app) {
    for (CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
        for (CLI::Option* option : command->get_options()) {
            if (!option->get_positional() && option->get_items_expected_max() > 1) {
                option->allow_extra_args(false);
            }
        }
        one_value_per_flag(*command);
    }
}

}  // namespace

int main(int argc, char** argv) {
    using namespace kfrun::cli;
    // Output piped into `head` that closes early must not kill kfrun mid-run (its containers
    // would be left behind): writes then fail with EPIPE instead.
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app{"kfrun: run compiled Kubeflow Pipelines (KFP v1 / Argo Workflow YAML) on the "
                 "local Docker daemon"};
    app.set_version_flag("--version", std::string("kfrun ") + KFRUN_VERSION);
    app.require_subcommand(1);
    // `--limit NAME=VALUE` (repeatable, before or after the command): the bounds of
    // base::Limits, applied as the flag is parsed, before any command runs.
    auto limit_values = std::make_shared<kfrun::base::Limits>(kfrun::base::limits());
    app.add_option_function<std::vector<std::string>>(
           "--limit",
           [limit_values](const std::vector<std::string>& assignments) {
               for (const std::string& assignment : assignments) {
                   auto applied = kfrun::base::apply_limit(*limit_values, assignment);
                   if (!applied.ok()) {
                       throw CLI::ValidationError("--limit", applied.error().to_string());
                   }
               }
               kfrun::base::set_limits(*limit_values);
           },
           "Change a limit, NAME=VALUE (sizes: 512KiB, 64MiB, 2GiB); `kfrun config` lists them")
        ->configurable(false)
        ->allow_extra_args(false);
    app.fallthrough();
    int exit_code = k_exit_bad_input;
    add_run_command(app, exit_code);
    add_resume_command(app, exit_code);
    add_validate_command(app, exit_code);
    add_cache_command(app, exit_code);
    add_run_component_command(app, exit_code);
    add_test_command(app, exit_code);
    add_runs_command(app, exit_code);
    add_logs_command(app, exit_code);
    add_report_command(app, exit_code);
    add_shell_command(app, exit_code);
    add_inspect_command(app, exit_code);
    add_graph_command(app, exit_code);
    add_list_command(app, exit_code);
    add_config_command(app, exit_code);
    add_gc_command(app, exit_code);
    add_docker_host_option(app);
    add_completion_command(app, exit_code);
    one_value_per_flag(app);
    use_project_config(app);  // after the commands: it reads which of them have which flags
    try {
        note_config_flag(argc, argv);
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : k_exit_bad_input;
    } catch (const std::exception& e) {
        std::cerr << "kfrun: internal error: " << kfrun::base::visible_text(e.what()) << "\n";
        return 70;
    } catch (...) {
        std::cerr << "kfrun: internal error: unknown exception\n";
        return 70;
    }
    return exit_code;
}
