#include "cli/run_command.hpp"

#include <iostream>

#include "base/json_fields.hpp"
#include "base/names.hpp"
#include "base/strings.hpp"
#include "base/visible_text.hpp"
#include "cli/commands.hpp"
#include "cli/console_observer.hpp"
#include "cli/console_run.hpp"
#include "cli/exit_codes.hpp"
#include "cli/input_files.hpp"
#include "cli/log_stream.hpp"
#include "cli/pipeline_input.hpp"
#include "cli/pipeline_input_files.hpp"
#include "cli/replay_source.hpp"
#include "cli/run_execution.hpp"
#include "cli/run_history.hpp"
#include "cli/run_printer.hpp"
#include "cli/run_sweeper.hpp"
#include "cli/workspace.hpp"
#include "docker/docker_error.hpp"
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

using base::json_fields::member;
using base::json_fields::string_of;

base::Error damaged_report(const std::string& run_id, const std::string& what) {
    return base::make_error(base::ErrorKind::Io, "cannot resume run " + run_id +
                                                     ": its report is damaged (it " + what + ")");
}

}  // namespace

namespace {

std::vector<std::string> split_tasks(const std::string& text) {
    std::vector<std::string> out;
    for (const std::string& part : base::split(text, ',')) {
        std::string task(base::trim(part));
        if (!task.empty()) {
            out.push_back(task);
        }
    }
    return out;
}

// After a replay: a selected step that did not run because an upstream result was missing gets
// a message naming that upstream and suggesting --from.
// Returns whether there was such a step.
bool explain_replay(const engine::RunState& state, const engine::Replay& replay,
                    const Terminal& terminal) {
    bool unrunnable = false;
    if (replay.mode != engine::Replay::Mode::Only) {
        return false;
    }
    for (const engine::Node& node : state.nodes()) {
        if (!node.fresh || node.phase != engine::NodePhase::Omitted) {
            continue;
        }
        for (engine::NodeIndex dependency : node.depends_on) {
            const engine::Node& upstream = state.node(dependency);
            if (upstream.phase == engine::NodePhase::Omitted && !upstream.fresh) {
                std::cerr << terminal.red("error: ") << "`" << node.display_name
                          << "` could not run: its upstream step `" << upstream.display_name
                          << "` has no successful result in run "
                          << replay.source_run_id.substr(0, 8) << "; run `kfrun run … --from "
                          << upstream.display_name << "` to run it too\n";
                unrunnable = true;
            }
        }
    }
    return unrunnable;
}

}  // namespace

int run_command(const RunCommandOptions& command) {
    RunCommandOptions options = command;
    Terminal terminal = Terminal::detect(options.no_color);
    AppPaths paths = AppPaths::resolve(options.data_dir, options.cache_dir);
    sweep_before_command(paths);
    store::RunIndex history(paths.data_dir / "history");

    // `resume`: the earlier run names the pipeline, the parameters and the flags.
    nlohmann::json resumed;
    if (!options.resume.empty()) {
        auto run = find_run(history, options.resume);
        if (!run.ok()) {
            return fail(terminal, run.error(), k_exit_bad_input);
        }
        auto report = load_run_report(paths, *run);
        if (!report.ok()) {
            return fail(terminal, report.error(), k_exit_environment);
        }
        resumed = std::move(report.value());
        if (string_of(resumed, "status") == "Succeeded") {
            std::cout << "run " << run->run_id.substr(0, 8)
                      << " succeeded: there is nothing to resume\n";
            return k_exit_ok;
        }
        // The report may be damaged or edited (value() and get<T>() threw on a field of
        // another type): what the resumed run would be made from must be there as kfrun wrote it.
        options.pipeline = string_of(member(resumed, "pipeline"), "file");
        if (options.pipeline.empty()) {
            return fail(terminal, damaged_report(run->run_id, "names no pipeline.file"),
                        k_exit_environment);
        }
        if (options.flags.parameters.empty() && options.flags.parameter_file.empty()) {
            for (const auto& [name, value] :
                 base::json_fields::object_of(resumed, "parameters").items()) {
                if (!value.is_string()) {
                    return fail(terminal,
                                damaged_report(run->run_id,
                                               "has parameters." + name + " that is not a string"),
                                k_exit_environment);
                }
                options.flags.parameters.push_back(name + "=" + value.get<std::string>());
            }
        }
        apply_kept_options(member(resumed, "runOptions"), options.flags);
    }

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
    auto built = build_run_options(workflow, options.flags, paths);
    if (!built.ok()) {
        return fail(terminal, built.error(), k_exit_bad_input);
    }
    engine::RunOptions run = std::move(built.value());
    std::string name = run.pipeline_name;
    auto input_files = pipeline_input_files(workflow, options.input_files);
    if (!input_files.ok()) {
        return fail(terminal, input_files.error(), k_exit_bad_input);
    }
    if (run.dry_run) {
        for (const auto& [artifact, path] : *input_files) {
            run.input_artifacts[artifact] =
                engine::ArtifactRef{engine::ArtifactRef::Kind::File, "dry-run", 0, 1, {}};
        }
    }
    std::string pipeline_file = std::filesystem::absolute(options.pipeline).string();

    // Replays take the other steps' results from an earlier run (and keep its workflow name,
    // so names made from {{workflow.name}}, such as a VolumeOp's claim, still match).
    if (!resumed.is_null() || !options.flags.only.empty() || !options.flags.from.empty()) {
        if (!options.flags.only.empty() && !options.flags.from.empty()) {
            return fail(terminal,
                        base::make_error(base::ErrorKind::Input, "give --only or --from, not both"),
                        k_exit_bad_input);
        }
        engine::Replay& replay = run.replay;
        nlohmann::json source = resumed;
        if (source.is_null()) {
            base::Result<store::RunRecord> record =
                options.flags.reuse_run.empty()
                    ? find_replay_source(history, pipeline_file,
                                         resolved_parameters(workflow, run.parameters))
                    : find_run(history, options.flags.reuse_run);
            if (!record.ok()) {
                return fail(terminal, record.error(), k_exit_bad_input);
            }
            auto report = load_run_report(paths, *record);
            if (!report.ok()) {
                return fail(terminal, report.error(), k_exit_environment);
            }
            source = std::move(report.value());
            replay.mode = options.flags.only.empty() ? engine::Replay::Mode::From
                                                     : engine::Replay::Mode::Only;
            replay.selected =
                split_tasks(options.flags.only.empty() ? options.flags.from : options.flags.only);
        } else {
            replay.mode = engine::Replay::Mode::Resume;
        }
        replay.source_run_id = string_of(source, "runId");
        auto previous = previous_results(source);
        if (!previous.ok()) {
            return fail(terminal,
                        base::make_error(base::ErrorKind::Io, "cannot take results from run " +
                                                                  replay.source_run_id + ": " +
                                                                  previous.error().message),
                        k_exit_environment);
        }
        replay.previous = std::move(*previous);
        run.workflow_name = string_of(source, "workflowName", run.workflow_name);
        if (!base::is_dns1123_subdomain(run.workflow_name)) {
            // It names the steps' containers, log and spec files: never a path.
            return fail(terminal,
                        base::make_error(base::ErrorKind::Io,
                                         "cannot take results from run " + replay.source_run_id +
                                             ": its report is damaged (its workflowName is "
                                             "not a Kubernetes name)"),
                        k_exit_environment);
        }
        std::cout << terminal.dim((replay.mode == engine::Replay::Mode::Resume
                                       ? "resuming run "
                                       : "taking the other steps' results from run ") +
                                  replay.source_run_id)
                  << "\n";
    }

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
    auto stored_inputs = ingest_input_files((*workspace)->store(), *input_files);
    if (!stored_inputs.ok()) {
        return fail(terminal, stored_inputs.error(),
                    stored_inputs.error().kind == base::ErrorKind::Input ? k_exit_bad_input
                                                                         : k_exit_environment);
    }
    run.input_artifacts = std::move(stored_inputs.value());
    // The secret files are written by execute_run, once the run's owner lock is held.
    RunRequest request;
    request.workflow = &workflow;
    request.run_dir = options.report_dir.empty() ? paths.runs_dir() / run.run_id
                                                 : std::filesystem::absolute(options.report_dir);
    // Before anything is written: a link placed in the report folder is refused, not followed.
    if (auto run_dir = prepare_run_dir(request.run_dir); !run_dir.ok()) {
        return fail(terminal, run_dir.error(), k_exit_environment);
    }
    request.pipeline_file = pipeline_file;
    request.pipeline_name = name;
    request.experiment = options.experiment;
    request.run_options = run_options_json(run, options.flags);
    if (run.replay.mode == engine::Replay::Mode::Resume) {
        request.resumed_from = run.replay.source_run_id;
    }
    std::cout << terminal.bold(name) << "  " << terminal.dim(options.pipeline) << "\n"
              << terminal.dim("run " + run.run_id + " · workflow " + run.workflow_name +
                              " · parallelism " + std::to_string(run.parallelism) +
                              " · network " + options.flags.network +
                              (run.use_cache ? "" : " · no cache"))
              << "\n";
    engine::Replay replay = run.replay;
    request.options = std::move(run);

    ConsoleOptions console;
    console.show_logs = !options.quiet;
    console.verbose = options.verbose;
    console.explain = options.flags.explain;
    console.log_dir = request.run_dir / "logs";
    ConsoleObserver observer(terminal, console);

    ConsoleRun console_run = execute_console_run(**workspace, request, observer);
    base::Result<RunResult>& result = console_run.result;
    bool interrupted = console_run.interrupted;
    if (!result.ok()) {
        std::cerr << terminal.red("error: ") << base::visible_text(result.error().to_string())
                  << "\n";
        // The hint is for a local daemon; a remote one's error names its URL and the cause.
        const std::string text = result.error().to_string();
        if (result.error().kind == base::ErrorKind::Docker &&
            text.find("tcp://") == std::string::npos && text.find("ssh://") == std::string::npos) {
            std::cerr << "  Is the Docker Engine running? Start it (e.g. `dockerd &`) or point "
                         "DOCKER_HOST=unix:///path/to/docker.sock at it.\n";
        }
        return result.error().kind == base::ErrorKind::Input ? k_exit_bad_input
                                                             : k_exit_environment;
    }
    bool unrunnable = explain_replay(result->state, replay, terminal);
    print_summary(result->state, terminal);
    std::cout << "Report: " << (result->run_dir / "report.html").string() << "\n";
    // The daemon stopped answering (no HTTP status): the environment failed, whatever the
    // steps did. A cleanup the daemon refused is a warning the next sweep follows up.
    if (result->cleanup_error && !docker::http_status(*result->cleanup_error)) {
        std::cerr << terminal.red("error: ") << "the run's containers and volumes could not be "
                  << "removed: " << result->cleanup_error->to_string()
                  << "\n  Is the Docker Engine running? The next kfrun command (or `kfrun gc`) "
                     "removes them once it answers.\n";
        return k_exit_environment;
    }
    if (interrupted) {
        return k_exit_interrupted;
    }
    return result->state.phase == engine::NodePhase::Succeeded && !unrunnable ? k_exit_ok
                                                                               : k_exit_run_failed;
}

void add_run_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<RunCommandOptions>();
    RunFlags& flags = options->flags;
    CLI::App* cmd = app.add_subcommand("run", "Run a compiled pipeline (.yaml, .tar.gz, .zip)");
    cmd->add_option("pipeline", options->pipeline, "The compiled pipeline")->required();
    add_run_flags(*cmd, flags);
    cmd->add_option("--only", flags.only,
                    "Run just these tasks (comma-separated), with the other steps' outputs taken "
                    "from the last run of this pipeline with these parameters");
    cmd->add_option("--from", flags.from,
                    "Run this task and everything downstream of it, reusing the rest");
    cmd->add_option("--reuse-run", flags.reuse_run,
                    "With --only/--from: the run to take the other steps' outputs from");
    cmd->add_flag("--dry-run", flags.dry_run, "Print the plan; run nothing");
    cmd->add_option("--input-file", options->input_files,
                    "A pipeline input artifact from a host file or directory: NAME=PATH");
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

void add_resume_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<RunCommandOptions>();
    CLI::App* cmd = app.add_subcommand(
        "resume", "Continue a failed or interrupted run: steps that succeeded keep their "
                  "outputs, the rest run (the pipeline file is read again, so a fixed step runs "
                  "fixed)");
    cmd->add_option("run", options->resume, "Run ID (or a unique prefix)")->required();
    add_run_flags(*cmd, options->flags);
    cmd->add_option("--input-file", options->input_files,
                    "A pipeline input artifact from a host file or directory: NAME=PATH");
    cmd->add_option("--report-dir", options->report_dir, "Write the new run's report here");
    cmd->add_option("--data-dir", options->data_dir,
                    "State directory (default: $XDG_DATA_HOME/kfrun)");
    cmd->add_option("--cache-dir", options->cache_dir,
                    "The step cache's index (default: $XDG_CACHE_HOME/kfrun)");
    cmd->add_flag("-q,--quiet", options->quiet, "Don't print step logs");
    cmd->add_flag("-v,--verbose", options->verbose, "More detail");
    cmd->add_flag("--no-color", options->no_color, "No colours");
    cmd->callback([options, &exit_code] { exit_code = run_command(*options); });
}

}  // namespace kfrun::cli
