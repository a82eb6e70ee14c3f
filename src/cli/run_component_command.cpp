// `kfrun run-component COMPONENT.yaml --input NAME=VALUE --input-file NAME=PATH --output-dir DIR`:
// one KFP v1 component run as the KFP v1 compiler would run it as a single-step pipeline.
#include <iostream>

#include "base/strings.hpp"
#include "base/visible_text.hpp"
#include "cli/commands.hpp"
#include "cli/component_outputs.hpp"
#include "cli/console_observer.hpp"
#include "cli/console_run.hpp"
#include "cli/exit_codes.hpp"
#include "cli/log_stream.hpp"
#include "cli/input_files.hpp"
#include "cli/pipeline_input.hpp"
#include "cli/run_command.hpp"
#include "argo/package_reader.hpp"
#include "kfpv2/ir_documents.hpp"
#include "cli/run_execution.hpp"
#include "cli/run_options_builder.hpp"
#include "cli/run_printer.hpp"
#include "cli/workflow_preflight.hpp"
#include "cli/workspace.hpp"
#include "component/component_loader.hpp"
#include "component/component_workflow.hpp"
#include "engine/null_artifact_store.hpp"

namespace kfrun::cli {

namespace {

struct RunComponentOptions {
    std::string component;
    std::vector<std::string> inputs;       // NAME=VALUE
    std::vector<std::string> input_files;  // NAME=PATH
    std::string output_dir;
    RunFlags flags;
    std::string report_dir;
    std::string data_dir;
    std::string cache_dir;
    std::string experiment;
    bool quiet = false;
    bool verbose = false;
    bool no_color = false;
};

int fail(const Terminal& terminal, const base::Error& error, int code) {
    std::cerr << base::visible_text(error.where.empty() ? "" : error.where + ": ")
              << terminal.red("error: ") << base::visible_text(error.message) << "\n";
    return code;
}

base::Result<component::ComponentArguments> parse_arguments(const RunComponentOptions& options) {
    component::ComponentArguments arguments;
    for (const std::string& text : options.inputs) {
        auto assignment = parse_assignment(text, "--input");
        KFRUN_TRY(assignment);
        arguments.values[assignment->first] = assignment->second;
    }
    for (const std::string& text : options.input_files) {
        auto assignment = parse_assignment(text, "--input-file");
        KFRUN_TRY(assignment);
        arguments.files[assignment->first] = std::filesystem::absolute(assignment->second);
    }
    return arguments;
}

std::string human_size(std::uint64_t bytes) {
    char buffer[32];
    if (bytes < 1024) {
        std::snprintf(buffer, sizeof buffer, "%llu B", static_cast<unsigned long long>(bytes));
    } else if (bytes < 1024 * 1024) {
        std::snprintf(buffer, sizeof buffer, "%.1f KiB", static_cast<double>(bytes) / 1024);
    } else {
        std::snprintf(buffer, sizeof buffer, "%.1f MiB", static_cast<double>(bytes) / 1048576);
    }
    return buffer;
}

void print_outputs(const std::vector<CollectedOutput>& outputs, const std::filesystem::path& dir,
                   const Terminal& terminal) {
    if (outputs.empty()) {
        return;
    }
    std::size_t width = 0;
    for (const CollectedOutput& output : outputs) {
        width = std::max(width, output.name.size());
    }
    std::cout << "Outputs in " << dir.string() << ":\n";
    for (const CollectedOutput& output : outputs) {
        std::string name = output.name + std::string(width - output.name.size(), ' ');
        if (output.file.empty()) {
            std::cout << "  " << name << "  " << terminal.yellow("(not produced)") << "\n";
        } else if (output.preview) {
            std::cout << "  " << name << "  " << terminal.bold(base::visible_text(*output.preview))
                      << "\n";
        } else {
            std::cout << "  " << name << "  " << output.file.filename().string()
                      << terminal.dim(output.directory ? " (directory, " + human_size(output.size) +
                                                             ")"
                                                       : " (" + human_size(output.size) + ")")
                      << "\n";
        }
    }
}

// A KFP v2 component as `kfp.compiler` writes it is a whole PipelineSpec (one task in its root
// DAG): it runs as a pipeline, its inputs as typed pipeline inputs and its input artifacts as
// pipeline input artifacts (--input-file).
std::optional<int> run_ir_component(const RunComponentOptions& options, const Terminal& terminal) {
    auto text = argo::read_pipeline_text(options.component);
    if (!text.ok() || !kfpv2::is_ir_text(text->text)) {
        return std::nullopt;  // the v1 loader says what is wrong with it
    }
    if (!options.output_dir.empty()) {
        std::cerr << terminal.yellow("warning: ")
                  << "--output-dir: a KFP v2 component's outputs are in the run's report "
                     "(report.json `outputs`)\n";
    }
    RunCommandOptions run;
    run.pipeline = options.component;
    run.flags = options.flags;
    run.flags.parameters.insert(run.flags.parameters.end(), options.inputs.begin(),
                                options.inputs.end());
    run.input_files = options.input_files;  // its input artifacts: the pipeline's
    run.report_dir = options.report_dir;
    run.data_dir = options.data_dir;
    run.cache_dir = options.cache_dir;
    run.experiment = options.experiment;
    run.quiet = options.quiet;
    run.verbose = options.verbose;
    run.no_color = options.no_color;
    return run_command(run);
}

int run_component(const RunComponentOptions& options) {
    Terminal terminal = Terminal::detect(options.no_color);
    if (auto exit_code = run_ir_component(options, terminal)) {
        return *exit_code;
    }
    auto spec = component::load_component_file(options.component);
    if (!spec.ok()) {
        return fail(terminal, spec.error(), k_exit_bad_input);
    }
    auto arguments = parse_arguments(options);
    if (!arguments.ok()) {
        return fail(terminal, arguments.error(), k_exit_bad_input);
    }
    auto built = component::build_component_workflow(*spec, *arguments);
    if (!built.ok()) {
        return fail(terminal, built.error(), k_exit_bad_input);
    }
    const model::Workflow& workflow = built->workflow;
    AppPaths paths = AppPaths::resolve(options.data_dir, options.cache_dir);
    auto run_options = build_run_options(workflow, options.flags, paths);
    if (!run_options.ok()) {
        return fail(terminal, run_options.error(), k_exit_bad_input);
    }
    engine::RunOptions run = std::move(run_options.value());
    auto preflight = preflight_workflow(workflow, run);
    if (!preflight.ok()) {
        fail(terminal, preflight.error(), k_exit_bad_input);
        std::cerr << "kfrun: " << options.component << " cannot run; nothing was started\n";
        return k_exit_bad_input;
    }
    print_diagnostics(*preflight, terminal, options.verbose);
    std::cout << terminal.bold(workflow.display_name) << "  " << terminal.dim(options.component)
              << "\n";

    if (run.dry_run) {
        for (const component::ComponentInputFile& file : built->files) {
            run.input_artifacts[file.artifact] =
                engine::ArtifactRef{engine::ArtifactRef::Kind::File, "dry-run", 0, 1};
        }
        engine::NullArtifactStore no_store;
        engine::RunObserver silent;
        engine::Executor executor(workflow, run, nullptr, no_store, silent);
        (void)executor.prepare();
        print_plan(executor.run(), terminal);
        return k_exit_ok;
    }

    auto workspace = Workspace::open(paths);
    if (!workspace.ok()) {
        return fail(terminal, workspace.error(), k_exit_environment);
    }
    std::vector<std::pair<std::string, std::filesystem::path>> files;
    for (const component::ComponentInputFile& file : built->files) {
        files.emplace_back(file.artifact, file.file);
    }
    auto stored = ingest_input_files((*workspace)->store(), files);
    if (!stored.ok()) {
        return fail(terminal, stored.error(),
                    stored.error().kind == base::ErrorKind::Input ? k_exit_bad_input
                                                                  : k_exit_environment);
    }
    run.input_artifacts = std::move(stored.value());

    RunRequest request;
    request.workflow = &workflow;
    request.run_dir = options.report_dir.empty() ? paths.runs_dir() / run.run_id
                                                 : std::filesystem::absolute(options.report_dir);
    // Before anything is written: a link placed in the report folder is refused, not followed.
    if (auto run_dir = prepare_run_dir(request.run_dir); !run_dir.ok()) {
        return fail(terminal, run_dir.error(), k_exit_environment);
    }
    request.pipeline_file = std::filesystem::absolute(options.component).string();
    request.pipeline_name = workflow.display_name;
    request.experiment = options.experiment;
    std::cout << terminal.dim("run " + run.run_id + " · component " + workflow.entrypoint +
                              (run.use_cache ? "" : " · no cache"))
              << "\n";
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
        return fail(terminal, result.error(),
                    result.error().kind == base::ErrorKind::Input ? k_exit_bad_input
                                                                  : k_exit_environment);
    }
    print_summary(result->state, terminal);
    std::filesystem::path output_dir = options.output_dir.empty()
                                           ? result->run_dir / "outputs"
                                           : std::filesystem::absolute(options.output_dir);
    auto outputs = collect_component_outputs(result->report, built->outputs,
                                             (*workspace)->store(), output_dir);
    if (!outputs.ok()) {
        fail(terminal, outputs.error(), k_exit_environment);
    } else {
        print_outputs(*outputs, output_dir, terminal);
    }
    std::cout << "Report: " << (result->run_dir / "report.json").string() << "\n";
    if (interrupted) {
        return k_exit_interrupted;
    }
    if (!outputs.ok()) {
        return k_exit_environment;
    }
    return result->state.phase == engine::NodePhase::Succeeded ? k_exit_ok : k_exit_run_failed;
}

}  // namespace

void add_run_component_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<RunComponentOptions>();
    RunFlags& flags = options->flags;
    CLI::App* cmd = app.add_subcommand(
        "run-component",
        "Run one component as a single-step pipeline: a KFP v1 component.yaml, or a KFP v2 "
        "component compiled to IR (its --input values are typed pipeline inputs)");
    cmd->add_option("component", options->component, "The component spec (component.yaml)")
        ->required();
    cmd->add_option("-i,--input", options->inputs,
                    "An input NAME=VALUE (for an inputPath input, the value becomes the file)");
    cmd->add_option("--input-file", options->input_files,
                    "An inputPath input from a host file or directory: NAME=PATH");
    cmd->add_option("-o,--output-dir", options->output_dir,
                    "Write the outputs here, one file (or folder) per output (default: "
                    "outputs/ in the run's folder)");
    cmd->add_option("--image-map", flags.image_maps,
                    "Run IMAGE where the component names PATTERN: PATTERN=IMAGE");
    cmd->add_option("--image-map-file", flags.image_map_file,
                    "File of image mappings ({pattern: image}, or lines PATTERN=IMAGE)");
    cmd->add_option("--network", flags.network, "pod (default), bridge, none, host")
        ->check(CLI::IsMember({"pod", "bridge", "none", "host"}));
    cmd->add_option("--pull", flags.pull, "Pull images: always, missing (default), never")
        ->check(CLI::IsMember({"always", "missing", "never"}));
    cmd->add_option("--timeout", flags.timeout, "Stop the run after this long (e.g. 10m)");
    cmd->add_flag("--no-cache", flags.no_cache,
                  "Run the step even when the cache has its result (the result is still "
                  "recorded)");
    cmd->add_flag("--explain", flags.explain, "When the step misses the cache, say why");
    cmd->add_flag("--keep-containers", flags.keep_containers,
                  "Keep the step's container after it finishes");
    cmd->add_flag("--dry-run", flags.dry_run, "Print the resolved command; run nothing");
    cmd->add_option("--report-dir", options->report_dir,
                    "Write report.json and logs here (default: a folder per run under the data "
                    "directory)");
    cmd->add_option("--data-dir", options->data_dir,
                    "State directory: runs, artifacts (default: $XDG_DATA_HOME/kfrun)");
    cmd->add_option("--cache-dir", options->cache_dir,
                    "The step cache's index (default: $XDG_CACHE_HOME/kfrun)");
    cmd->add_option("--experiment", options->experiment, "Group this run under an experiment");
    cmd->add_flag("-q,--quiet", options->quiet, "Don't print the step's log");
    cmd->add_flag("-v,--verbose", options->verbose, "More detail");
    cmd->add_flag("--no-color", options->no_color, "No colours");
    cmd->callback([options, &exit_code] { exit_code = run_component(*options); });
}

}  // namespace kfrun::cli
