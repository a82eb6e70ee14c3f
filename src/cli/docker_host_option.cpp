#include "cli/docker_host_option.hpp"

#include <set>

namespace kfrun::cli {
namespace {

std::string s_docker_host;

}  // namespace

void add_docker_host_option(CLI::App& app) {
    const std::set<std::string> names = {"run",   "resume", "run-component", "test",
                                         "shell", "gc",     "config"};
    for (CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (names.count(command->get_name()) == 0) {
            continue;
        }
        command->add_option_function<std::string>(
            "--docker-host", [](const std::string& value) { s_docker_host = value; },
            "The Docker daemon: unix:///path, tcp://host:port (TLS with DOCKER_TLS_VERIFY and "
            "DOCKER_CERT_PATH) or ssh://[user@]host[:port] (default: $DOCKER_HOST, "
            "$DOCKER_CONTEXT, the docker CLI's current context, else "
            "unix:///var/run/docker.sock)");
    }
}

const std::string& docker_host_flag() {
    return s_docker_host;
}

docker::DockerConfig docker_config() {
    docker::DockerConfig config;
    config.host = s_docker_host;
    config.host_source = "--docker-host";
    return config;
}

}  // namespace kfrun::cli
