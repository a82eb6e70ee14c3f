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
    bool init = false;  // HostConfig.Init: docker-init as PID 1 forwards SIGTERM (sidecars)
};

// What an init container or a sidecar is to its step.
enum class AuxRole { Init, Sidecar };

// The StepSpec an init container or sidecar is created from (then given to make_create_body):
//  - container_name "<step container>-init-<name>" / "-sidecar-<name>" (name sanitized);
//  - display_name "<step display> init <name>" / "sidecar <name>";
//  - image_id, command, args, env, working_dir, resources, privileged and security from the
//    AuxContainer;
//  - mounts: its own only (the engine adds the step's for mirrorVolumeMounts, as Argo does for
//    init containers and sidecars alike);
//  - no inputs, outputs, deadline or nested aux containers.
engine::StepSpec aux_step_spec(const engine::StepSpec& step, const engine::AuxContainer& aux,
                               AuxRole role);

// Docker's HostConfig.NetworkMode for a run's mode; Pod needs the sandbox container's Id.
std::string docker_network_mode(engine::NetworkMode mode, const std::string& sandbox_id);

// The create body as JSON text:
//  - Image = spec.image_id;
//  - Entrypoint = command (omitted when empty); Cmd = args, omitted when both are empty, and
//    [] when command is set without args (so the image's CMD is not appended);
//  - Env "K=V", WorkingDir (when set), Labels;
//  - HostConfig: Mounts (inputs as binds; volume, bind and tmpfs mounts), NetworkMode,
//    Memory with MemorySwap = Memory (no swap), NanoCpus, DeviceRequests for GPUs, Privileged,
//    Init (when config.init); from spec.security: User, ReadonlyRootfs, CapAdd, CapDrop and
//    SecurityOpt no-new-privileges.
//  - A volume mount's labels go to VolumeOptions.Labels: Docker puts them on the volume when
//    it creates it on first use (an existing volume keeps its own).
// Errors (kind Input) for relative paths and unsafe sub_paths; a volume sub_path must have been
// turned into a bind mount first (see sub_path.hpp): Docker API 1.41 has no
// VolumeOptions.Subpath.
base::Result<std::string> make_create_body(const engine::StepSpec& spec,
                                           const ContainerConfig& config);

}  // namespace kfrun::docker
