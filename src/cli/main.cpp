// kfrun: run compiled Kubeflow Pipelines on the local Docker daemon.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

int main(int argc, char** argv) {
    using namespace kfrun::cli;
    CLI::App app{"kfrun: run compiled Kubeflow Pipelines (KFP v1 / Argo Workflow YAML) on the "
                 "local Docker daemon"};
    app.set_version_flag("--version", std::string("kfrun ") + KFRUN_VERSION);
    app.require_subcommand(1);
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
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : k_exit_bad_input;
    } catch (const std::exception& e) {
        std::cerr << "kfrun: internal error: " << e.what() << "\n";
        return 70;
    }
    return exit_code;
}
