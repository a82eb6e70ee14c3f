#pragma once
// `--docker-host URL` on every command that talks to Docker (and the `docker-host:` setting of
// a .kfrun.yaml named with --config or $KFRUN_CONFIG; a found one may not set it). The value
// is process-wide, like --limit: the commands build their DockerConfig with docker_config().
#include <string>

#include <CLI/CLI.hpp>

#include "docker/docker_client.hpp"

namespace kfrun::cli {

// The commands that get the flag: run, resume, run-component, test, shell, gc, config.
void add_docker_host_option(CLI::App& app);

// --docker-host's value ("" when not given).
const std::string& docker_host_flag();

// A DockerConfig with --docker-host in it (empty: the daemon is found as the docker CLI finds
// it, see docker/context_store.hpp).
docker::DockerConfig docker_config();

}  // namespace kfrun::cli
