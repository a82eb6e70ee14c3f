// kfrun: run compiled Kubeflow Pipelines on the local Docker daemon.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/exit_codes.hpp"
#include "cli/run_command.hpp"
#include "cli/validate_command.hpp"

int main(int argc, char** argv) {
    using namespace kfrun::cli;
    CLI::App app{"kfrun: run compiled Kubeflow Pipelines (KFP v1 / Argo Workflow YAML) on the "
                 "local Docker daemon"};
    app.set_version_flag("--version", std::string("kfrun ") + KFRUN_VERSION);
    app.require_subcommand(1);

    RunCommandOptions run;
    CLI::App* run_cmd = app.add_subcommand("run", "Run a compiled pipeline (.yaml, .tar.gz, .zip)");
    run_cmd->add_option("pipeline", run.pipeline, "The compiled pipeline")->required();
    run_cmd->add_option("-p,--parameter", run.parameters, "A pipeline parameter NAME=VALUE");
    run_cmd->add_option("--parameter-file", run.parameter_file,
                        "YAML/JSON file of parameters {name: value}");
    run_cmd->add_option("--image-map", run.image_maps,
                        "Run IMAGE where the pipeline names PATTERN (a reference or a glob such "
                        "as 'python:*'): PATTERN=IMAGE");
    run_cmd->add_option("--image-map-file", run.image_map_file,
                        "File of image mappings ({pattern: image}, or lines PATTERN=IMAGE)");
    run_cmd->add_option("--parallelism", run.parallelism,
                        "Steps running at once (default: twice the CPU count)");
    run_cmd->add_option("--network", run.network,
                        "pod (one shared network namespace per run, fastest), bridge, none, host")
        ->check(CLI::IsMember({"pod", "bridge", "none", "host"}));
    run_cmd->add_option("--pull", run.pull, "Pull images: always, missing (default), never")
        ->check(CLI::IsMember({"always", "missing", "never"}));
    run_cmd->add_option("--report-dir", run.report_dir,
                        "Write report.json and logs here (default: a folder per run under the "
                        "data directory)");
    run_cmd->add_option("--data-dir", run.data_dir,
                        "State directory (default: $XDG_DATA_HOME/kfrun)");
    run_cmd->add_option("--cache-dir", run.cache_dir,
                        "Cache directory (default: $XDG_CACHE_HOME/kfrun)");
    run_cmd->add_option("--timeout", run.timeout, "Stop the whole run after this long (e.g. 30m)");
    run_cmd->add_option("--max-recursion-depth", run.max_recursion_depth,
                        "Nested template calls allowed (default 100)");
    run_cmd->add_option("--secret", run.secrets,
                        "A Kubernetes Secret the pipeline reads: NAME=DIR, one file per key");
    run_cmd->add_option("--secrets-file", run.secrets_file,
                        "Secrets as YAML {name: {key: value}}");
    run_cmd->add_option("--config-map", run.config_maps,
                        "A Kubernetes ConfigMap the pipeline reads: NAME=DIR, one file per key");
    run_cmd->add_flag("--skip-unsupported", run.skip_unsupported,
                      "Skip steps that cannot run locally (custom resources such as TFJob) and "
                      "run the rest");
    run_cmd->add_flag("--allow-privileged", run.allow_privileged,
                      "Let steps with securityContext.privileged run privileged");
    run_cmd->add_flag("--no-gpu-ok", run.no_gpu_ok,
                      "Run steps that ask for GPUs without them when the host has none");
    run_cmd->add_flag("--keep-containers", run.keep_containers,
                      "Keep step containers after they finish");
    run_cmd->add_flag("--dry-run", run.dry_run, "Print the plan; run nothing");
    run_cmd->add_flag("-q,--quiet", run.quiet, "Don't print step logs");
    run_cmd->add_flag("-v,--verbose", run.verbose, "More detail (ignored fields, DAG nodes)");
    run_cmd->add_flag("--no-color", run.no_color, "No colours");

    ValidateCommandOptions validate;
    CLI::App* validate_cmd =
        app.add_subcommand("validate", "Check pipelines without running them");
    validate_cmd->add_option("pipelines", validate.pipelines, "Compiled pipelines")->required();
    validate_cmd->add_flag("-v,--verbose", validate.verbose, "Also list ignored fields");
    validate_cmd->add_flag("--skip-unsupported", validate.skip_unsupported,
                           "Treat steps that cannot run locally as warnings");
    validate_cmd->add_flag("--no-color", validate.no_color, "No colours");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : k_exit_bad_input;
    }
    try {
        if (run_cmd->parsed()) {
            return run_command(run);
        }
        if (validate_cmd->parsed()) {
            return validate_command(validate);
        }
    } catch (const std::exception& e) {
        std::cerr << "kfrun: internal error: " << e.what() << "\n";
        return 70;
    }
    return k_exit_bad_input;
}
