#pragma once
// The body of POST /containers/create for a step: how a StepSpec maps to Docker's fields.
// Pure: no I/O, so the mapping is unit-tested without a daemon.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::docker {

// A staged input: a host file or directory bind-mounted (read-write, like Argo's subPath
// mounts) at a container path.
struct InputBind {
    std::filesystem::path host_path;  // absolute
    std::string container_path;
};

struct ContainerConfig {
    std::string network_mode;  // "bridge", "none", "host" or "container:<sandbox id>"
    std::map<std::string, std::string> labels;  // the complete label set
    std::vector<InputBind> inputs;
};

// Docker's HostConfig.NetworkMode for a run's mode; Pod needs the sandbox container's Id.
std::string docker_network_mode(engine::NetworkMode mode, const std::string& sandbox_id);

// The create body as JSON text:
//  - Image = spec.image_id;
//  - Entrypoint = command (omitted when empty); Cmd = args, omitted when both are empty, and
//    [] when command is set without args (so the image's CMD is not appended);
//  - Env "K=V", WorkingDir (when set), Labels;
//  - HostConfig: Mounts (inputs as binds; volume, bind and tmpfs mounts), NetworkMode,
//    Memory with MemorySwap = Memory (no swap), NanoCpus, DeviceRequests for GPUs, Privileged.
// Errors (kind Input) for mounts Docker API 1.41 cannot express (a volume sub_path) and for
// relative bind sources.
base::Result<std::string> make_create_body(const engine::StepSpec& spec,
                                           const ContainerConfig& config);

}  // namespace kfrun::docker
