#pragma once
// ShellSession: `kfrun shell` — a step's container made again from its persisted StepSpec,
// with a shell instead of its command, attached to this terminal (or to piped stdin).
//
//   check the image → stage the inputs from the store → adjust the mounts (volumes removed at
//   the run's end are replaced by empty ones) → create (Tty when stdin is a terminal; OpenStdin,
//   StdinOnce) → probe for a shell in the created container → attach → start → resize →
//   pump until the shell exits → wait for the exit code → remove the container and the staged
//   inputs (unless kept).
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "cli/step_spec_file.hpp"
#include "docker/docker_client.hpp"
#include "engine/artifact_store.hpp"

namespace kfrun::cli {

struct ShellRequest {
    StepSpecFile step;
    std::string run_id;
    bool run_command = false;            // --run: the step's command first, then the shell
    std::optional<std::string> image;    // --image: another image (e.g. one with a shell)
    bool keep = false;                   // --keep: leave the container (stopped) and its inputs
    std::filesystem::path scratch_root;  // where inputs are staged (under the data dir)
};

// The shells looked for, in order.
inline const std::vector<std::string> k_shell_candidates = {"/bin/sh", "/bin/bash", "/busybox/sh"};

// "'sh' '-c' 'echo hi'" → as a POSIX shell reads it back (words quoted only when needed).
std::string quoted_command(const std::vector<std::string>& argv);

// Runs the session; messages go to `notes` (stderr). Returns the shell's exit code, or an
// Error for Docker and store failures. An image without a shell is an Input error naming it.
base::Result<int> run_shell(const docker::DockerClient& client, engine::ArtifactStore& store,
                            const ShellRequest& request, std::ostream& notes);

}  // namespace kfrun::cli
