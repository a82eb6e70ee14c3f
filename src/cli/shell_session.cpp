#include "cli/shell_session.hpp"

#include <unistd.h>

#include <csignal>
#include <ostream>
#include <thread>

#include "base/random_id.hpp"
#include "base/strings.hpp"
#include "base/visible_text.hpp"
#include "cli/raw_terminal.hpp"
#include "docker/attach_session.hpp"
#include "docker/docker_runtime.hpp"
#include "docker/host_path_check.hpp"
#include "docker/interactive_container.hpp"
#include "docker/scope_guard.hpp"
#include "docker/sub_path.hpp"
#include "engine/volume_ownership.hpp"

namespace kfrun::cli {

namespace {

std::string short_id(const std::string& id) {
    std::string bare = id.rfind("sha256:", 0) == 0 ? id.substr(7) : id;
    return bare.substr(0, 12);
}

std::string input_leaf(const std::string& container_path) {
    std::string leaf = std::filesystem::path(container_path).filename().string();
    return leaf.empty() ? std::string("input") : leaf;
}

// The image to use: --image, else the step's image Id, else (it was removed) its reference.
base::Result<void> resolve_image(const docker::DockerClient& client, const ShellRequest& request,
                                 engine::StepSpec& spec, std::ostream& notes) {
    const std::string wanted = request.image ? *request.image : spec.image_id;
    auto found = client.inspect_image(wanted);
    KFRUN_TRY(found);
    if (*found) {
        if (request.image) {
            spec.image = *request.image;
        }
        spec.image_id = (*found)->id;
        return {};
    }
    if (!request.image && !spec.image.empty()) {
        auto by_name = client.inspect_image(spec.image);
        KFRUN_TRY(by_name);
        if (*by_name) {
            notes << "kfrun: the step's image " << short_id(spec.image_id)
                  << " is gone; using what " << spec.image << " names now ("
                  << short_id((*by_name)->id) << ")\n";
            spec.image_id = (*by_name)->id;
            return {};
        }
    }
    return base::make_error(
        base::ErrorKind::Input,
        "the image " + (request.image ? *request.image : spec.image + " (" + spec.image_id + ")") +
            " is not on this Docker daemon (kfrun shell does not pull)");
}

// The command the step ran, as argv.
std::vector<std::string> original_argv(const docker::DockerClient& client,
                                       const engine::StepSpec& step) {
    std::vector<std::string> argv = step.command;
    if (!step.command.empty()) {
        argv.insert(argv.end(), step.args.begin(), step.args.end());
        return argv;
    }
    auto image = image_default_command(client, step.image_id);
    if (!image.ok()) {
        return step.args;
    }
    argv = image->entrypoint;
    const auto& rest = step.args.empty() ? image->cmd : step.args;
    argv.insert(argv.end(), rest.begin(), rest.end());
    return argv;
}

// Volumes that are gone (removed with the run), or that a claim names but kfrun did not make
// for it, become empty anonymous ones; bind sources that
// are gone are left out; sub-paths become bind mounts.
base::Result<std::vector<engine::VolumeMount>> adjust_mounts(const docker::DockerClient& client,
                                                             std::vector<engine::VolumeMount> in,
                                                             const std::string& where,
                                                             docker::SubPathStaging& staging,
                                                             std::ostream& notes) {
    std::vector<engine::VolumeMount> out;
    for (engine::VolumeMount& mount : in) {
        if (mount.type == engine::VolumeMount::Type::Volume && !mount.source.empty()) {
            auto volume = client.inspect_volume(mount.source);
            KFRUN_TRY(volume);
            // A claim's volume that kfrun did not make for it was refused by the run unless
            // --allow-volume named it; those grants are not known here, so it is not mounted.
            const auto claim = mount.labels.find(engine::k_claim_label);
            const bool foreign =
                *volume && claim != mount.labels.end() &&
                !engine::made_for((**volume).labels,
                                  engine::VolumeOwner{engine::k_claim_label, claim->second});
            if (!*volume || foreign) {
                notes << "kfrun: volume " << base::visible_text(mount.source) << " (at "
                      << base::visible_text(mount.container_path) << ") "
                      << (foreign ? "was not made by kfrun for its claim (the run needed "
                                    "--allow-volume for it)"
                                  : "no longer exists (removed at the end of the run)")
                      << "; an empty one is mounted there instead\n";
                mount.source.clear();  // anonymous: removed with the container
                mount.sub_path.clear();
                mount.labels.clear();
            }
        } else if (mount.type == engine::VolumeMount::Type::Bind) {
            std::error_code ec;
            if (!std::filesystem::exists(mount.source, ec)) {
                notes << "kfrun: " << base::visible_text(mount.source) << " (bound at "
                      << base::visible_text(mount.container_path)
                      << ") no longer exists; left out\n";
                continue;
            }
            // A hostPath was allowed as written; a link that appeared on the way since is not
            // followed (the run's --allow-host-path grants are not known here, so it is mounted
            // read-only), and what was checked is what is mounted (staged from its descriptor).
            if (mount.host_path) {
                const std::string at = mount.container_path;
                if (auto pinned = docker::pin_host_path(mount, where, &staging); !pinned.ok()) {
                    notes << "kfrun: " << base::visible_text(pinned.error().message) << " (at "
                          << base::visible_text(at) << "); left out\n";
                    continue;
                }
            }
        }
        out.push_back(std::move(mount));
    }
    return docker::resolve_sub_paths(client, std::move(out), where, staging);
}

// The first shell of k_shell_candidates present in the created container; "" when none.
base::Result<std::string> find_shell(const docker::DockerClient& client, const std::string& id) {
    for (const std::string& candidate : k_shell_candidates) {
        auto stat = client.stat_path(id, candidate);
        KFRUN_TRY(stat);
        if (!*stat) {
            continue;
        }
        if ((*stat)->is_symlink() && !(*stat)->link_target.empty()) {
            auto target = client.stat_path(id, (*stat)->link_target);
            KFRUN_TRY(target);
            if (!*target) {
                continue;  // a dangling link
            }
        }
        return candidate;
    }
    return std::string();
}

// Waits (briefly) for the container to stop and returns its exit code.
base::Result<int> exit_code_of(const docker::DockerClient& client, const std::string& id) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (true) {
        auto details = client.inspect_container(id);
        KFRUN_TRY(details);
        if (!details->state.running || std::chrono::steady_clock::now() > until) {
            return details->state.exit_code;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace

std::string quoted_command(const std::vector<std::string>& argv) {
    std::string out;
    for (const std::string& word : argv) {
        out += (out.empty() ? "" : " ") + base::shell_quote(word);
    }
    return out;
}

base::Result<int> run_shell(const docker::DockerClient& client, engine::ArtifactStore& store,
                            const ShellRequest& request, std::ostream& notes) {
    const StepSpecFile& step = request.step;
    engine::StepSpec spec = step.spec;
    const std::vector<std::string> original = original_argv(client, step.spec);
    KFRUN_TRY(resolve_image(client, request, spec, notes));
    // Released after the shell's container is removed (declared before its guard).
    docker::SubPathStaging staging(docker::k_default_sub_path_staging_dir,
                                   docker::shell_staging_prefix() + base::random_suffix(8));
    auto mounts = adjust_mounts(client, spec.mounts, "step " + step.label, staging, notes);
    KFRUN_TRY(mounts);
    spec.mounts = std::move(*mounts);
    if (!spec.init_containers.empty() || !spec.sidecars.empty()) {
        notes << "kfrun: the step's init containers and sidecars are not started\n";
    }
    spec.init_containers.clear();
    spec.sidecars.clear();

    // Inputs, from the store, bind-mounted where the step had them.
    const std::filesystem::path scratch =
        request.scratch_root / ("shell-" + base::random_suffix(8));
    bool keep_scratch = false;
    docker::ScopeGuard remove_scratch([&] {
        if (!keep_scratch) {
            std::error_code ignored;
            std::filesystem::remove_all(scratch, ignored);
        }
    });
    docker::ContainerConfig config;
    for (std::size_t i = 0; i < spec.inputs.size(); ++i) {
        const engine::InputPlacement& input = spec.inputs[i];
        if (!store.contains(input.artifact, false)) {
            notes << "kfrun: input " << input.container_path << " (sha256 "
                  << input.artifact.digest.substr(0, 12)
                  << ") is no longer in the artifact store; not placed\n";
            continue;
        }
        auto host = scratch / "inputs" / std::to_string(i) / input_leaf(input.container_path);
        KFRUN_TRY(store.materialize(input.artifact, host));
        config.inputs.push_back(docker::InputBind{host, input.container_path});
    }
    config.network_mode = step.network == engine::NetworkMode::None   ? "none"
                          : step.network == engine::NetworkMode::Host ? "host"
                                                                      : "bridge";
    config.labels = step.run_labels;
    for (const auto& [key, value] : spec.labels) {
        config.labels[key] = value;
    }
    config.labels[docker::k_run_label] = request.run_id;
    config.labels[docker::k_role_label] = "shell";

    const bool tty = ::isatty(STDIN_FILENO) != 0;
    const std::string name = spec.container_name + "-shell-" + base::random_suffix(5);
    std::string shell = k_shell_candidates.front();
    std::string id;
    bool keep_container = false;
    docker::ScopeGuard remove_container([&] {
        if (!id.empty() && !keep_container) {
            static_cast<void>(client.remove_container(id));
        }
    });
    while (true) {
        engine::StepSpec shell_spec = spec;
        shell_spec.container_name = name;
        shell_spec.command = {shell};
        shell_spec.args.clear();
        if (request.run_command) {
            shell_spec.args = {"-c", quoted_command(original) +
                                         "; echo \"kfrun: the step's command exited with code "
                                         "$?\" >&2; exec " +
                                         shell};
        }
        auto body = docker::make_interactive_create_body(shell_spec, config, tty);
        KFRUN_TRY(body);
        auto created = client.create_container(name, *body);
        KFRUN_TRY(created);
        id = *created;
        auto found = find_shell(client, id);
        KFRUN_TRY(found);
        if (*found == shell) {
            break;
        }
        static_cast<void>(client.remove_container(id));
        id.clear();
        if (found->empty()) {
            return base::make_error(
                base::ErrorKind::Input,
                "the image " + spec.image + " (" + short_id(spec.image_id) +
                    ") has no shell: none of " + base::join(k_shell_candidates, ", ") +
                    " is in it. Use --image IMAGE for an image with a shell, or `kfrun inspect` "
                    "to see how the step's container was made");
        }
        shell = *found;
    }

    notes << "kfrun: shell in step " << step.label << " of run " << request.run_id << "\n"
          << "kfrun: image " << spec.image << " (" << short_id(spec.image_id) << ")"
          << (spec.working_dir.empty() ? "" : ", working dir " + spec.working_dir) << "\n";
    for (const auto& bind : config.inputs) {
        notes << "kfrun: input at " << bind.container_path << "\n";
    }
    notes << "kfrun: the step's command:\n  " << quoted_command(original) << "\n";
    if (request.run_command) {
        notes << "kfrun: running it first, then " << shell << "\n";
    }
    notes.flush();

    auto attach = docker::AttachSession::open(client, id, tty);
    KFRUN_TRY(attach);
    KFRUN_TRY(client.start_container(id));

    bool stopped_by_signal = false;
    {
        std::optional<RawTerminal> raw = tty ? RawTerminal::enter(STDIN_FILENO) : std::nullopt;
        auto resize = [&] {
            int fd = ::isatty(STDOUT_FILENO) != 0 ? STDOUT_FILENO : STDIN_FILENO;
            if (auto size = window_size(fd)) {
                static_cast<void>(docker::resize_tty(client, id, size->rows, size->columns));
            }
        };
        std::vector<int> signals = {SIGINT, SIGTERM, SIGHUP};
        if (tty) {
            signals.push_back(SIGWINCH);
            resize();
        }
        SignalPipe signal_pipe(signals);
        auto pumped = (*attach)->pump(docker::AttachStreams{}, signal_pipe.fd(), [&] {
            for (int signal : signal_pipe.drain()) {
                if (signal == SIGWINCH) {
                    resize();
                } else {
                    stopped_by_signal = true;
                }
            }
            return !stopped_by_signal;
        });
        KFRUN_TRY(pumped);
    }
    if (stopped_by_signal) {
        static_cast<void>(client.kill_container(id));
    }
    auto code = exit_code_of(client, id);
    KFRUN_TRY(code);
    if (request.keep) {
        keep_container = true;
        keep_scratch = !config.inputs.empty();
        notes << "kfrun: kept container " << name << " (docker start -ai " << name << ")"
              << (keep_scratch ? "; its inputs stay in " + scratch.string() : "") << "\n";
    }
    return stopped_by_signal ? 130 : *code;
}

}  // namespace kfrun::cli
