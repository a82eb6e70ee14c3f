#pragma once
// Files for a container on a remote daemon: what a local run bind-mounts from this host (a
// step's inputs, secrets and config maps as files) is sent with PUT /containers/{id}/archive
// into the created container before it starts. The target's missing parent directories are
// made in the same archive (0755, root), as a bind mount would have made them; the deepest
// existing one is found with HEAD /archive.
#include <string>
#include <vector>

#include "base/result.hpp"
#include "docker/container_config.hpp"
#include "docker/docker_client.hpp"

namespace kfrun::docker {

// Copies each `copies[i].host_path` (file or directory tree) to `container_path` in the created
// container `id`. `where` names the step in errors.
base::Result<void> copy_into_container(const DockerClient& client, const std::string& id,
                                       const std::vector<InputBind>& copies,
                                       const std::string& where);

}  // namespace kfrun::docker
