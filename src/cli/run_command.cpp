#include "cli/run_command.hpp"

#include <signal.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <thread>
#include <tuple>

#include "base/random_id.hpp"
#include "base/strings.hpp"
#include "base/time.hpp"
#include "cli/app_paths.hpp"
#include "cli/console_observer.hpp"
#include "cli/exit_codes.hpp"
#include "cli/pipeline_input.hpp"
#include "cli/report_writer.hpp"
#include "docker/docker_runtime.hpp"
#include "engine/executor.hpp"
#include "engine/report.hpp"
#include "engine/run_preflight.hpp"
#include "engine/null_artifact_store.hpp"
#include "store/file_artifact_store.hpp"

namespace kfrun::cli {

namespace {

int fail(const Terminal& terminal, const base::Error& error, int code) {
    std::cerr << (error.where.empty() ? "" : error.where + ": ") << terminal.red("error: ")
              << error.message << "\n";
    return code;
}

// Ctrl-C and SIGTERM cancel the run instead of killing kfrun, so containers are cleaned up.
class SignalWatcher {
public:
    explicit SignalWatcher(engine::Executor& executor) {
        sigemptyset(&m_set);
        sigaddset(&m_set, SIGINT);
        sigaddset(&m_set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &m_set, &m_previous);
        m_thread = std::thread([this, &executor] {
            timespec wait{0, 200'000'000};
            while (!m_done.load()) {
                int signal = sigtimedwait(&m_set, nullptr, &wait);
                if (signal == SIGINT || signal == SIGTERM) {
                    m_signalled = true;
                    std::cerr << "\nkfrun: " << (signal == SIGINT ? "interrupted" : "terminated")
                              << "; stopping the running steps…\n";
                    executor.cancel(signal == SIGINT ? "interrupted (SIGINT)"
                                                     : "terminated (SIGTERM)");
                }
            }
        });
    }
    ~SignalWatcher() {
        m_done = true;
        m_thread.join();
        pthread_sigmask(SIG_SETMASK, &m_previous, nullptr);
    }
    bool signalled() const { return m_signalled.load(); }

private:
    sigset_t m_set{};
    sigset_t m_previous{};
    std::atomic<bool> m_done{false};
    std::atomic<bool> m_signalled{false};
    std::thread m_thread;
};

base::Result<engine::NetworkMode> parse_network(const std::string& text) {
    if (text == "pod") {
        return engine::NetworkMode::Pod;
    }
    if (text == "bridge") {
        return engine::NetworkMode::Bridge;
    }
    if (text == "none") {
        return engine::NetworkMode::None;
    }
    if (text == "host") {
        return engine::NetworkMode::Host;
    }
    return base::make_error(base::ErrorKind::Input,
                            "expected pod, bridge, none or host, got '" + text + "'", "--network");
}

base::Result<engine::PullPolicy> parse_pull(const std::string& text) {
    if (text == "missing") {
        return engine::PullPolicy::Missing;
    }
    if (text == "always") {
        return engine::PullPolicy::Always;
    }
    if (text == "never") {
        return engine::PullPolicy::Never;
    }
    return base::make_error(base::ErrorKind::Input,
                            "expected always, missing or never, got '" + text + "'", "--pull");
}

std::string pipeline_name(const model::Workflow& workflow) {
    if (!workflow.display_name.empty()) {
        return workflow.display_name;
    }
    if (!workflow.name.empty()) {
        return workflow.name;
    }
    std::string name = workflow.generate_name;
    while (!name.empty() && name.back() == '-') {
        name.pop_back();
    }
    return name.empty() ? workflow.entrypoint : name;
}

// Secrets from --secrets-file, written where their volume mounts expect a directory.
base::Result<void> write_secret_directories(const engine::RunOptions& run) {
    for (const auto& [name, secret] : run.secrets) {
        if (secret.directory.parent_path() != run.scratch_dir / "secrets") {
            continue;  // a --secret directory of the user's
        }
        std::error_code ec;
        std::filesystem::create_directories(secret.directory, ec);
        std::filesystem::permissions(secret.directory, std::filesystem::perms::owner_all, ec);
        for (const auto& [key, value] : secret.data) {
            std::ofstream out(secret.directory / key, std::ios::binary | std::ios::trunc);
            out << value;
            if (!out) {
                return base::make_error(base::ErrorKind::Io, "cannot write secret `" + name + "`",
                                        (secret.directory / key).string());
            }
        }
    }
    return base::ok();
}

void print_plan(const engine::RunState& state, const Terminal& terminal) {
    std::cout << terminal.bold("Plan") << " (dry run: nothing was started)\n";
    int index = 0;
    for (const engine::Node& node : state.nodes()) {
        if (node.type == engine::NodeType::Skipped) {
            std::cout << "     " << terminal.yellow("⊘ " + node.display_name) << "  "
                      << terminal.dim(std::string(engine::to_string(node.phase)) +
                                      (node.message.empty() ? "" : ": " + node.message))
                      << "\n";
            continue;
        }
        if (node.type != engine::NodeType::Pod || !node.step) {
            continue;
        }
        const engine::StepRecord& step = *node.step;
        std::cout << "  " << ++index << ". " << terminal.bold(node.display_name) << "  "
                  << terminal.dim("(" + node.name.substr(state.workflow_name.size()) + ")") << "\n";
        std::cout << "     image:   " << step.image;
        if (step.image != step.original_image) {
            std::cout << terminal.dim("  (mapped from " + step.original_image + ")");
        }
        std::cout << "\n";
        std::vector<std::string> argv;
        for (const std::string& word : step.command) {
            argv.push_back(base::shell_quote(word));
        }
        for (const std::string& word : step.args) {
            argv.push_back(base::shell_quote(word));
        }
        std::string command = argv.empty() ? "(the image's command)" : base::join(argv, " ");
        if (command.size() > 400) {
            command = command.substr(0, 400) + "…";
        }
        std::cout << "     command: " << command << "\n";
        for (const engine::NamedArtifact& input : step.input_artifacts) {
            std::cout << "     input:   " << input.name << " → " << input.path << "\n";
        }
    }
}

void print_summary(const engine::RunState& state, const Terminal& terminal) {
    int succeeded = 0, failed = 0, skipped = 0, cached = 0;
    for (const engine::Node& node : state.nodes()) {
        if (!engine::is_report_step(node)) {
            continue;
        }
        if (node.phase == engine::NodePhase::Succeeded) {
            ++succeeded;
        } else if (engine::is_failed_or_error(node.phase)) {
            ++failed;
        } else if (node.fulfilled()) {
            ++skipped;
        }
        if (node.step && node.step->cache == engine::CacheOutcome::Hit) {
            ++cached;
        }
    }
    auto elapsed =
        std::chrono::duration_cast<base::Millis>(state.finished_at - state.started_at);
    std::string status = engine::to_string(state.phase);
    status = state.phase == engine::NodePhase::Succeeded ? terminal.green(status)
                                                         : terminal.red(status);
    std::cout << "\nRun " << status << " in " << base::format_duration(elapsed) << ": "
              << succeeded << " succeeded";
    if (cached > 0) {
        std::cout << " (" << cached << " from cache)";
    }
    std::cout << ", " << failed << " failed, " << skipped << " skipped\n";
    if (!state.message.empty() && state.phase != engine::NodePhase::Succeeded) {
        std::cout << "  " << state.message << "\n";
    }
}

}  // namespace

int run_command(const RunCommandOptions& options) {
    Terminal terminal = Terminal::detect(options.no_color);
    auto loaded = load_pipeline(options.pipeline, options.skip_unsupported);
    if (!loaded.ok()) {
        return fail(terminal, loaded.error(), k_exit_bad_input);
    }
    print_diagnostics(loaded->diagnostics, terminal, options.verbose);
    if (!loaded->valid()) {
        std::cerr << "kfrun: " << options.pipeline << " cannot run; nothing was started\n";
        return k_exit_bad_input;
    }
    const model::Workflow& workflow = loaded->workflow;

    engine::RunOptions run;
    run.run_id = base::random_uuid();
    run.workflow_name = !workflow.name.empty() ? workflow.name
                        : !workflow.generate_name.empty()
                            ? workflow.generate_name + base::random_suffix(5)
                            : "kfrun-" + base::random_suffix(5);
    if (!options.parameter_file.empty()) {
        auto parameters = read_parameter_file(options.parameter_file);
        if (!parameters.ok()) {
            return fail(terminal, parameters.error(), k_exit_bad_input);
        }
        run.parameters = std::move(parameters.value());
    }
    for (const std::string& text : options.parameters) {
        auto assignment = parse_assignment(text, "-p");
        if (!assignment.ok()) {
            return fail(terminal, assignment.error(), k_exit_bad_input);
        }
        run.parameters.push_back(std::move(assignment.value()));
    }
    // Rules given on the command line win over the file's.
    for (const std::string& text : options.image_maps) {
        auto rule = engine::ImageMap::parse_rule(text);
        if (!rule.ok()) {
            return fail(terminal, rule.error(), k_exit_bad_input);
        }
        run.image_map.add(std::move(rule.value()));
    }
    if (!options.image_map_file.empty()) {
        auto rules = read_image_map_file(options.image_map_file);
        if (!rules.ok()) {
            return fail(terminal, rules.error(), k_exit_bad_input);
        }
        for (auto& rule : rules.value()) {
            run.image_map.add(std::move(rule));
        }
    }
    auto network = parse_network(options.network);
    if (!network.ok()) {
        return fail(terminal, network.error(), k_exit_bad_input);
    }
    run.network = *network;
    auto pull = parse_pull(options.pull);
    if (!pull.ok()) {
        return fail(terminal, pull.error(), k_exit_bad_input);
    }
    run.pull_policy = *pull;
    if (!options.timeout.empty()) {
        run.timeout = base::parse_go_duration(options.timeout);
        if (!run.timeout) {
            return fail(terminal,
                        base::make_error(base::ErrorKind::Input,
                                         "expected a duration such as 90s, 10m or 1h30m, got '" +
                                             options.timeout + "'",
                                         "--timeout"),
                        k_exit_bad_input);
        }
    }
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    run.parallelism = options.parallelism > 0 ? options.parallelism : static_cast<int>(2 * cores);
    run.max_recursion_depth = options.max_recursion_depth;
    run.keep_containers = options.keep_containers;
    run.dry_run = options.dry_run;
    run.skip_unsupported = options.skip_unsupported;
    run.allow_privileged = options.allow_privileged;
    run.no_gpu_ok = options.no_gpu_ok;

    AppPaths paths = AppPaths::resolve(options.data_dir, options.cache_dir);
    std::filesystem::path run_dir = options.report_dir.empty()
                                        ? paths.runs_dir() / run.run_id
                                        : std::filesystem::absolute(options.report_dir);
    run.scratch_dir = paths.scratch_dir(run.run_id);
    for (const auto& [flag, assignments, target] :
         {std::tuple{"--secret", &options.secrets, &run.secrets},
          std::tuple{"--config-map", &options.config_maps, &run.config_maps}}) {
        for (const std::string& assignment : *assignments) {
            std::string name;
            auto source = read_object_directory(assignment, flag, name);
            if (!source.ok()) {
                return fail(terminal, source.error(), k_exit_bad_input);
            }
            (*target)[name] = std::move(source.value());
        }
    }
    if (!options.secrets_file.empty()) {
        auto secrets = read_secrets_file(options.secrets_file);
        if (!secrets.ok()) {
            return fail(terminal, secrets.error(), k_exit_bad_input);
        }
        for (auto& [name, data] : secrets.value()) {
            // Secrets given as values are also written out, so a step can mount them.
            run.secrets[name].data = std::move(data);
            run.secrets[name].directory = run.scratch_dir / "secrets" / name;
        }
    }
    auto preflight = engine::check_run_options(workflow, run);
    print_diagnostics(preflight, terminal, options.verbose);
    if (engine::has_errors(preflight)) {
        std::cerr << "kfrun: " << options.pipeline << " cannot run; nothing was started\n";
        return k_exit_bad_input;
    }

    std::string name = pipeline_name(workflow);
    ConsoleOptions console;
    console.show_logs = !options.quiet;
    console.verbose = options.verbose;

    if (options.dry_run) {
        // A plan needs neither Docker nor the store: outputs are symbolic, nothing is written.
        engine::NullArtifactStore no_store;
        engine::RunObserver quiet_observer;
        engine::Executor executor(workflow, run, nullptr, no_store, quiet_observer);
        auto prepared = executor.prepare();
        if (!prepared.ok()) {
            return fail(terminal, prepared.error(), k_exit_bad_input);
        }
        const engine::RunState& state = executor.run();
        std::cout << terminal.bold(name) << "  " << terminal.dim(options.pipeline) << "\n";
        print_plan(state, terminal);
        return engine::is_failed_or_error(state.phase) ? k_exit_run_failed : k_exit_ok;
    }

    // Parameters are checked before anything is touched: bad input starts and writes nothing.
    {
        engine::NullArtifactStore no_store;
        engine::RunObserver silent;
        engine::Executor check(workflow, run, nullptr, no_store, silent);
        auto prepared = check.prepare();
        if (!prepared.ok()) {
            return fail(terminal, prepared.error(), k_exit_bad_input);
        }
    }
    auto store = store::FileArtifactStore::open(paths.store_dir());
    if (!store.ok()) {
        return fail(terminal, store.error(), k_exit_environment);
    }
    docker::DockerRuntimeConfig docker_config;
    auto runtime = docker::DockerRuntime::open(docker_config, **store);
    if (!runtime.ok()) {
        std::cerr << terminal.red("error: ") << "cannot reach the Docker Engine: "
                  << runtime.error().to_string() << "\n"
                  << "  Start it (e.g. `dockerd &` or `systemctl start docker`) or point "
                     "DOCKER_HOST=unix:///path/to/docker.sock at it.\n";
        return k_exit_environment;
    }

    auto written_secrets = write_secret_directories(run);
    if (!written_secrets.ok()) {
        return fail(terminal, written_secrets.error(), k_exit_environment);
    }
    console.log_dir = run_dir / "logs";
    ConsoleObserver observer(terminal, console);
    engine::Executor executor(workflow, run, runtime->get(), **store, observer);
    auto prepared = executor.prepare();
    if (!prepared.ok()) {
        return fail(terminal, prepared.error(), k_exit_bad_input);
    }
    std::cout << terminal.bold(name) << "  " << terminal.dim(options.pipeline) << "\n"
              << terminal.dim("run " + run.run_id + " · workflow " + run.workflow_name +
                              " · parallelism " + std::to_string(run.parallelism) +
                              " · network " + options.network)
              << "\n";
    bool interrupted = false;
    {
        SignalWatcher signals(executor);
        executor.run();
        interrupted = signals.signalled();
    }
    const engine::RunState& state = executor.run_state();
    std::error_code ignored;
    std::filesystem::remove_all(run.scratch_dir, ignored);

    print_summary(state, terminal);
    ReportInput report;
    report.run_dir = run_dir;
    report.pipeline_file = std::filesystem::absolute(options.pipeline).string();
    report.pipeline_name = name;
    report.log_file = [&observer](const std::string& node_id) { return observer.log_file(node_id); };
    auto written = write_run_report(state, report);
    if (!written.ok()) {
        return fail(terminal, written.error(), k_exit_environment);
    }
    std::cout << "Report: " << (run_dir / "report.json").string() << "\n";
    if (interrupted) {
        return k_exit_interrupted;
    }
    return state.phase == engine::NodePhase::Succeeded ? k_exit_ok : k_exit_run_failed;
}

}  // namespace kfrun::cli
