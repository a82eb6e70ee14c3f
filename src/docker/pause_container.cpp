#include "docker/pause_container.hpp"

#include <nlohmann/json.hpp>

#include "base/json_text.hpp"
#include "docker/docker_error.hpp"

namespace kfrun::docker {

std::string pause_create_body(const PauseContainerSpec& spec) {
    using nlohmann::json;
    json mounts = json::array();
    for (const auto& mount : spec.mounts) {
        mounts.push_back(json{{"Type", "volume"},
                              {"Source", mount.volume},
                              {"Target", mount.target},
                              {"ReadOnly", mount.read_only}});
    }
    json host{{"NetworkMode", spec.network_mode}, {"Mounts", mounts}};
    if (spec.gpus) {
        host["DeviceRequests"] = json::array({json{
            {"Driver", ""}, {"Count", -1}, {"Capabilities", json::array({json::array({"gpu"})})}}});
    }
    return base::json_text(json{{"Image", spec.image_id},
                                {"Entrypoint", {"/pause"}},
                                {"Cmd", json::array()},
                                {"Labels", spec.labels},
                                {"HostConfig", std::move(host)}});
}

base::Result<std::string> create_pause_container(const DockerClient& client,
                                                 const PauseContainerSpec& spec) {
    auto id = client.create_container(spec.name, pause_create_body(spec));
    if (!id.ok() && !http_status(id.error()) && !spec.name.empty()) {
        // No answer: the create may still have happened. Remove by name.
        static_cast<void>(client.remove_container(spec.name));
    }
    return id;
}

base::Result<std::string> start_pause_container(const DockerClient& client,
                                                const PauseContainerSpec& spec) {
    auto id = create_pause_container(client, spec);
    if (!id.ok()) {
        return id.error();
    }
    if (auto started = client.start_container(*id); !started.ok()) {
        static_cast<void>(client.remove_container(*id));
        return started.error();
    }
    return *id;
}

}  // namespace kfrun::docker
