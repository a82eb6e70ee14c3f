// DockerClient: the volume calls (create, inspect, remove, list).
#include <nlohmann/json.hpp>

#include "base/json_text.hpp"
#include "docker/docker_client.hpp"
#include "docker/docker_error.hpp"
#include "docker/json_fields.hpp"

namespace kfrun::docker {
namespace {

std::string volume_path(std::string_view name) {
    return "/volumes/" + encode_path(name);
}

VolumeDetails volume_of(const nlohmann::json& json) {
    using namespace json_fields;
    return VolumeDetails{string_of(json, "Name"), string_of(json, "Driver"),
                         string_of(json, "Mountpoint"), string_map_of(json, "Labels")};
}

}  // namespace

base::Result<void> DockerClient::create_volume(
    std::string_view name, const std::map<std::string, std::string>& labels) const {
    const nlohmann::json body{{"Name", name}, {"Labels", labels}};
    auto response = call(DockerRequest("POST", "/volumes/create", m_config.call_timeout)
                             .with_body(base::json_text(body), "application/json"));
    if (!response.ok()) {
        return response.error();
    }
    return {};
}

base::Result<std::optional<VolumeDetails>> DockerClient::inspect_volume(
    std::string_view name) const {
    const DockerRequest request("GET", volume_path(name), m_config.quick_timeout);
    auto response = exchange(request);
    if (!response.ok()) {
        return response.error();
    }
    if (response->status == 404) {
        return std::optional<VolumeDetails>{};
    }
    if (response->status != 200) {
        return make_docker_error(docker_call_name("GET", request.path), response->status,
                                 response->body);
    }
    return std::optional<VolumeDetails>{
        volume_of(nlohmann::json::parse(response->body, nullptr, false))};
}

base::Result<void> DockerClient::remove_volume(std::string_view name) const {
    const DockerRequest request("DELETE", volume_path(name), m_config.call_timeout);
    auto response = exchange(request);
    if (!response.ok()) {
        return response.error();
    }
    if (response->status == 204 || response->status == 404) {
        return {};
    }
    auto error = make_docker_error(docker_call_name("DELETE", request.path), response->status,
                                   response->body);
    if (response->status == 409) {
        // Docker says "remove <name>: volume is in use - [<container ids>]".
        error.message = "volume " + std::string(name) +
                        " is in use by a container (remove the containers first): " + error.message;
    }
    return error;
}

base::Result<std::vector<VolumeDetails>> DockerClient::list_volumes(
    const std::map<std::string, std::string>& labels) const {
    DockerRequest request("GET", "/volumes", m_config.quick_timeout);
    if (!labels.empty()) {
        request.query.add("filters", label_filter_json(labels));
    }
    auto response = call(request);
    if (!response.ok()) {
        return response.error();
    }
    std::vector<VolumeDetails> out;
    const auto json = nlohmann::json::parse(response->body, nullptr, false);
    const auto& volumes = json_fields::member(json, "Volumes");
    if (volumes.is_array()) {
        for (const auto& volume : volumes) {
            out.push_back(volume_of(volume));
        }
    }
    return out;
}

}  // namespace kfrun::docker
