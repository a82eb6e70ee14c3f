#include "cli/run_command.hpp"

#include <iostream>
#include <mutex>

#include "cli/commands.hpp"
#include "cli/console_observer.hpp"
#include "cli/exit_codes.hpp"
#include "cli/pipeline_input.hpp"
#include "cli/run_execution.hpp"
#include "cli/run_printer.hpp"
#include "cli/signal_watcher.hpp"
#include "cli/workspace.hpp"
#include "engine/executor.hpp"
#include "engine/null_artifact_store.hpp"
#include "engine/run_preflight.hpp"

namespace kfrun::cli {

namespace {

int fail(const Terminal& terminal, const base::Error& error, int code) {
    std::cerr << (error.where.empty() ? "" : error.where + ": ") << terminal.red("error: ")
              << error.message << "\n";
    return code;
}

}  // namespace

int run_command(const RunCommandOptions& options) {
    Terminal terminal = Terminal::detect(options.no_color);
    auto loaded = load_pipeline(options.pipeline, options.flags.skip_unsupported);
    if (!loaded.ok()) {
        return fail(terminal, loaded.error(), k_exit_bad_input);
    }
    print_diagnostics(loaded->diagnostics, terminal, options.verbose);
    if (!loaded->valid()) {
        std::cerr << "kfrun: " << options.pipeline << " cannot run; nothing was started\n";
        return k_exit_bad_input;
    }
    const model::Workflow& workflow = loaded->workflow;
    AppPaths paths = AppPaths::resolve(options.data_dir, options.cache_dir);
    auto built = build_run_options(workflow, options.flags, paths);
    if (!built.ok()) {
        return fail(terminal, built.error(), k_exit_bad_input);
    }
    engine::RunOptions run = std::move(built.value());
    std::string name = run.pipeline_name;

    // Everything that can be checked without Docker comes first: bad input starts nothing and
    // writes nothing.
    auto preflight = engine::check_run_options(workflow, run);
    print_diagnostics(preflight, terminal, options.verbose);
    if (engine::has_errors(preflight)) {
        std::cerr << "kfrun: " << options.pipeline << " cannot run; nothing was started\n";
        return k_exit_bad_input;
    }
    engine::NullArtifactStore no_store;
    engine::RunObserver silent;
    {
        engine::Executor check(workflow, run, nullptr, no_store, silent);
        auto prepared = check.prepare();
        if (!prepared.ok()) {
            return fail(terminal, prepared.error(), k_exit_bad_input);
        }
    }

    if (run.dry_run) {
        // A plan needs neither Docker nor the store: outputs are symbolic, nothing is written.
        engine::Executor executor(workflow, run, nullptr, no_store, silent);
        (void)executor.prepare();
        const engine::RunState& state = executor.run();
        std::cout << terminal.bold(name) << "  " << terminal.dim(options.pipeline) << "\n";
        print_plan(state, terminal);
        return engine::is_failed_or_error(state.phase) ? k_exit_run_failed : k_exit_ok;
    }

    auto workspace = Workspace::open(paths);
    if (!workspace.ok()) {
        return fail(terminal, workspace.error(), k_exit_environment);
    }
    auto secrets = write_secret_directories(run);
    if (!secrets.ok()) {
        return fail(terminal, secrets.error(), k_exit_environment);
    }
    RunRequest request;
    request.workflow = &workflow;
    request.run_dir = options.report_dir.empty() ? paths.runs_dir() / run.run_id
                                                 : std::filesystem::absolute(options.report_dir);
    request.pipeline_file = std::filesystem::absolute(options.pipeline).string();
    request.pipeline_name = name;
    request.experiment = options.experiment;
    std::cout << terminal.bold(name) << "  " << terminal.dim(options.pipeline) << "\n"
              << terminal.dim("run " + run.run_id + " · workflow " + run.workflow_name +
                              " · parallelism " + std::to_string(run.parallelism) +
                              " · network " + options.flags.network +
                              (run.use_cache ? "" : " · no cache"))
              << "\n";
    request.options = std::move(run);

    ConsoleOptions console;
    console.show_logs = !options.quiet;
    console.verbose = options.verbose;
    console.explain = options.flags.explain;
    console.log_dir = request.run_dir / "logs";
    ConsoleObserver observer(terminal, console);

    std::mutex executor_mutex;
    engine::Executor* running = nullptr;
    request.on_executor = [&](engine::Executor* executor) {
        std::lock_guard lock(executor_mutex);
        running = executor;
    };
    bool interrupted = false;
    base::Result<RunResult> result = base::make_error(base::ErrorKind::Internal, "not run");
    {
        SignalWatcher signals([&](const std::string& reason) {
            std::lock_guard lock(executor_mutex);
            if (running != nullptr) {
                running->cancel(reason);
            }
        });
        result = execute_run(**workspace, request, observer,
                             [&observer](const std::string& id) { return observer.log_file(id); });
        interrupted = signals.signalled();
    }
    if (!result.ok()) {
        std::cerr << terminal.red("error: ") << result.error().to_string() << "\n";
        if (result.error().kind == base::ErrorKind::Docker) {
            std::cerr << "  Is the Docker Engine running? Start it (e.g. `dockerd &`) or point "
                         "DOCKER_HOST=unix:///path/to/docker.sock at it.\n";
        }
        return result.error().kind == base::ErrorKind::Input ? k_exit_bad_input
                                                             : k_exit_environment;
    }
    print_summary(result->state, terminal);
    std::cout << "Report: " << (result->run_dir / "report.json").string() << "\n";
    if (interrupted) {
        return k_exit_interrupted;
    }
    return result->state.phase == engine::NodePhase::Succeeded ? k_exit_ok : k_exit_run_failed;
}

void add_run_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<RunCommandOptions>();
    RunFlags& flags = options->flags;
    CLI::App* cmd = app.add_subcommand("run", "Run a compiled pipeline (.yaml, .tar.gz, .zip)");
    cmd->add_option("pipeline", options->pipeline, "The compiled pipeline")->required();
    cmd->add_option("-p,--parameter", flags.parameters, "A pipeline parameter NAME=VALUE");
    cmd->add_option("--parameter-file", flags.parameter_file,
                    "YAML/JSON file of parameters {name: value}");
    cmd->add_option("--image-map", flags.image_maps,
                    "Run IMAGE where the pipeline names PATTERN (a reference or a glob such as "
                    "'python:*'): PATTERN=IMAGE");
    cmd->add_option("--image-map-file", flags.image_map_file,
                    "File of image mappings ({pattern: image}, or lines PATTERN=IMAGE)");
    cmd->add_option("--parallelism", flags.parallelism,
                    "Steps running at once (default: twice the CPU count)");
    cmd->add_option("--network", flags.network,
                    "pod (one shared network namespace per run, fastest), bridge, none, host")
        ->check(CLI::IsMember({"pod", "bridge", "none", "host"}));
    cmd->add_option("--pull", flags.pull, "Pull images: always, missing (default), never")
        ->check(CLI::IsMember({"always", "missing", "never"}));
    cmd->add_option("--timeout", flags.timeout, "Stop the whole run after this long (e.g. 30m)");
    cmd->add_option("--max-recursion-depth", flags.max_recursion_depth,
                    "Nested template calls allowed (default 100)");
    cmd->add_option("--secret", flags.secrets,
                    "A Kubernetes Secret the pipeline reads: NAME=DIR, one file per key");
    cmd->add_option("--secrets-file", flags.secrets_file, "Secrets as YAML {name: {key: value}}");
    cmd->add_option("--config-map", flags.config_maps,
                    "A Kubernetes ConfigMap the pipeline reads: NAME=DIR, one file per key");
    cmd->add_flag("--skip-unsupported", flags.skip_unsupported,
                  "Skip steps that cannot run locally (custom resources such as TFJob) and run "
                  "the rest");
    cmd->add_flag("--allow-privileged", flags.allow_privileged,
                  "Let steps with securityContext.privileged run privileged");
    cmd->add_flag("--no-gpu-ok", flags.no_gpu_ok,
                  "Run steps that ask for GPUs without them when the host has none");
    cmd->add_flag("--no-cache", flags.no_cache,
                  "Run every step even when the cache has its result (results are still recorded)");
    cmd->add_flag("--explain", flags.explain,
                  "For each step that misses the cache, say which key fields changed");
    cmd->add_flag("--keep-containers", flags.keep_containers,
                  "Keep step containers after they finish");
    cmd->add_flag("--dry-run", flags.dry_run, "Print the plan; run nothing");
    cmd->add_option("--report-dir", options->report_dir,
                    "Write report.json and logs here (default: a folder per run under the data "
                    "directory)");
    cmd->add_option("--data-dir", options->data_dir,
                    "State directory: runs, artifacts (default: $XDG_DATA_HOME/kfrun)");
    cmd->add_option("--cache-dir", options->cache_dir,
                    "The step cache's index (default: $XDG_CACHE_HOME/kfrun)");
    cmd->add_option("--experiment", options->experiment,
                    "Group this run under an experiment name (kfrun runs list --experiment)");
    cmd->add_flag("-q,--quiet", options->quiet, "Don't print step logs");
    cmd->add_flag("-v,--verbose", options->verbose, "More detail (ignored fields, DAG nodes)");
    cmd->add_flag("--no-color", options->no_color, "No colours");
    cmd->callback([options, &exit_code] { exit_code = run_command(*options); });
}

}  // namespace kfrun::cli
