// `kfrun shell RUN STEP [--run] [--image IMG] [--keep]`: a shell in a step's container, made
// again from what the run kept (specs/<node id>.json), with its inputs in place.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "cli/app_paths.hpp"
#include "cli/commands.hpp"
#include "cli/docker_host_option.hpp"
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
    std::vector<std::string> secrets;  // NAME=DIR, as `kfrun run --secret`
};

// The spec file keeps where a Secret's value came from ("SECRET/KEY"), never the value: each
// such variable gets its value again from a --secret NAME=DIR given here (the file DIR/KEY),
// or stays empty with a note saying how to set it.
base::Result<void> fill_secret_env(engine::StepSpec& spec, const std::vector<std::string>& given,
                                   std::ostream& notes) {
    std::map<std::string, std::filesystem::path> dirs;
    for (const std::string& item : given) {
        std::size_t equals = item.find('=');
        if (equals == std::string::npos || equals == 0 || equals + 1 == item.size()) {
            return base::make_error(base::ErrorKind::Input,
                                    "--secret takes NAME=DIR, not `" + item + "`");
        }
        dirs[item.substr(0, equals)] = item.substr(equals + 1);
    }
    std::set<std::string> missing;
    for (auto& [name, value] : spec.env) {
        auto secret = spec.secret_env.find(name);
        if (secret == spec.secret_env.end()) {
            continue;
        }
        const std::string& source = secret->second;
        std::size_t slash = source.find('/');
        std::string secret_name = source.substr(0, slash);
        std::string key = slash == std::string::npos ? "" : source.substr(slash + 1);
        auto dir = dirs.find(secret_name);
        if (dir == dirs.end()) {
            missing.insert(secret_name);
            continue;
        }
        if (key.empty() || key == "." || key == ".." || key.find('/') != std::string::npos) {
            return base::make_error(base::ErrorKind::Input,
                                    "the step spec names Secret key `" + key + "`, which is not a "
                                    "file name");
        }
        std::ifstream in(dir->second / key, std::ios::binary);
        if (!in) {
            return base::make_error(base::ErrorKind::Input,
                                    "--secret " + secret_name + "=" + dir->second.string() +
                                        ": no readable file `" + key + "` (env " + name + ")");
        }
        std::stringstream buffer;
        buffer << in.rdbuf();
        value = buffer.str();
    }
    for (const std::string& secret_name : missing) {
        notes << "note: env from Secret `" << secret_name
              << "` is empty in this shell (kfrun does not keep secret values); pass --secret "
              << secret_name << "=DIR to set it\n";
    }
    return base::ok();
}

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
    if (auto filled = fill_secret_env(file->spec, options.secrets, std::cerr); !filled.ok()) {
        return fail(filled.error());
    }
    auto store = store::FileArtifactStore::open(paths.store_dir());
    if (!store.ok()) {
        return fail(store.error());
    }
    auto client = docker::DockerClient::connect(docker_config());
    if (!client.ok()) {
        return fail(client.error());
    }
    if (client->remote()) {
        return fail(base::make_error(base::ErrorKind::Input,
                                     "kfrun shell needs the Docker daemon on this host (it mounts "
                                     "the step's inputs from here); " +
                                         client->endpoint().url() + " is remote",
                                     "--docker-host"));
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
    cmd->add_option("--secret", options->secrets,
                    "NAME=DIR: the Secret the step's env came from (its values are not kept)");
    cmd->add_option("--data-dir", options->data_dir,
                    "State directory (default: $XDG_DATA_HOME/kfrun)");
    cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace kfrun::cli
