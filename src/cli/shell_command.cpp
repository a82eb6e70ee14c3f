// `kfrun shell RUN STEP [--run] [--image IMG] [--keep]`: a shell in a step's container, made
// again from what the run kept (specs/<node id>.json), with its inputs in place.
#include <iostream>
#include <memory>

#include "cli/app_paths.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/shell_session.hpp"
#include "cli/step_target.hpp"
#include "cli/terminal.hpp"
#include "store/file_artifact_store.hpp"

namespace kfrun::cli {

namespace {

struct ShellOptions {
    std::string data_dir;
    std::string run;
    std::string step;
    bool run_command = false;
    std::string image;
    bool keep = false;
};

int exit_code_for(const base::Error& error) {
    return error.kind == base::ErrorKind::Input ? k_exit_bad_input : k_exit_environment;
}

int run(const ShellOptions& options) {
    Terminal terminal = Terminal::detect(false);
    auto fail = [&](const base::Error& error) {
        std::cerr << terminal.red("error: ") << error.to_string() << "\n";
        return exit_code_for(error);
    };
    AppPaths paths = AppPaths::resolve(options.data_dir, "");
    auto target = find_step_target(paths, options.run, options.step);
    if (!target.ok()) {
        return fail(target.error());
    }
    auto file = load_step_spec(*target);
    if (!file.ok()) {
        return fail(file.error());
    }
    auto store = store::FileArtifactStore::open(paths.store_dir());
    if (!store.ok()) {
        return fail(store.error());
    }
    auto client = docker::DockerClient::connect(docker::DockerConfig{});
    if (!client.ok()) {
        return fail(client.error());
    }
    ShellRequest request;
    request.step = std::move(*file);
    request.run_id = target->run_id;
    request.run_command = options.run_command;
    if (!options.image.empty()) {
        request.image = options.image;
    }
    request.keep = options.keep;
    request.scratch_root = paths.data_dir / "scratch";
    auto code = run_shell(*client, **store, request, std::cerr);
    if (!code.ok()) {
        return fail(code.error());
    }
    return *code;
}

}  // namespace

void add_shell_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ShellOptions>();
    CLI::App* cmd = app.add_subcommand(
        "shell",
        "Open a shell in a step's container: same image, env, working dir, mounts and "
        "inputs (the step's command is printed)");
    cmd->add_option("run", options->run, "Run ID (or a unique prefix)")->required();
    cmd->add_option("step", options->step, "The step: its name, label or node ID")->required();
    cmd->add_flag("--run", options->run_command,
                  "Run the step's command first, then stay in the shell");
    cmd->add_option("--image", options->image, "Use this local image instead of the step's");
    cmd->add_flag("--keep", options->keep, "Keep the container afterwards (stopped)");
    cmd->add_option("--data-dir", options->data_dir,
                    "State directory (default: $XDG_DATA_HOME/kfrun)");
    cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace kfrun::cli
