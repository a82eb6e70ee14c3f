#pragma once
// An interactive container made from a step's StepSpec (`kfrun shell`): the create body with
// stdin open, and the image's own command (what a step without a command runs).
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "docker/container_config.hpp"
#include "docker/docker_client.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::docker {

// make_create_body(spec, config) plus OpenStdin, StdinOnce (closing the attach's stdin closes
// the container's), AttachStdin/Stdout/Stderr and Tty. Pure.
base::Result<std::string> make_interactive_create_body(const engine::StepSpec& spec,
                                                       const ContainerConfig& config, bool tty);

struct ImageCommand {
    std::vector<std::string> entrypoint;
    std::vector<std::string> cmd;
};

// The image's Config.Entrypoint and Config.Cmd (GET /images/{name}/json).
base::Result<ImageCommand> image_default_command(const DockerClient& client,
                                                 std::string_view image);

}  // namespace kfrun::docker
