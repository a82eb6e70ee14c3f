// DockerClient: the image calls (inspect, pull, import, remove).
#include <nlohmann/json.hpp>

#include "docker/docker_client.hpp"
#include "docker/docker_error.hpp"
#include "docker/image_reference.hpp"
#include "docker/json_fields.hpp"

namespace kfrun::docker {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

base::Result<std::optional<ImageDetails>> DockerClient::inspect_image(std::string_view name) const {
    const DockerRequest request("GET", "/images/" + encode_path(name) + "/json",
                                m_config.quick_timeout);
    auto response = exchange(request);
    if (!response.ok()) {
        return response.error();
    }
    if (response->status == 404) {
        return std::optional<ImageDetails>{};
    }
    if (response->status != 200) {
        return make_docker_error(docker_call_name("GET", request.path), response->status,
                                 response->body);
    }
    using namespace json_fields;
    const auto json = nlohmann::json::parse(response->body, nullptr, false);
    return std::optional<ImageDetails>{
        ImageDetails{string_of(json, "Id"), strings_of(json, "RepoTags"),
                     strings_of(json, "RepoDigests"), string_of(member(json, "Config"), "User")}};
}

base::Result<void> DockerClient::pull_image(std::string_view reference,
                                            const std::function<void(std::string_view)>& progress,
                                            std::string registry_auth) const {
    const auto parsed = ImageReference::parse(reference);
    DockerRequest request("POST", "/images/create", m_config.call_timeout);
    request.query.add("fromImage", parsed.repository).add("tag", parsed.pull_tag());
    request.registry_auth = std::move(registry_auth);
    auto stream = open_stream(request, m_config.idle_timeout);
    if (!stream.ok()) {
        return stream.error();
    }
    return follow_progress(**stream, progress, Clock::now() + m_config.pull_timeout);
}

base::Result<void> DockerClient::import_image(std::string tar, std::string_view repository,
                                              std::string_view tag,
                                              const std::vector<std::string>& changes) const {
    DockerRequest request("POST", "/images/create", m_config.pull_timeout);
    request.with_body(std::move(tar), "application/x-tar");
    request.query.add("fromSrc", "-").add("repo", repository).add("tag", tag);
    for (const auto& change : changes) {
        request.query.add("changes", change);
    }
    auto stream = open_stream(request, m_config.idle_timeout);
    if (!stream.ok()) {
        return stream.error();
    }
    return follow_progress(**stream, {}, Clock::now() + m_config.pull_timeout);
}

base::Result<bool> DockerClient::remove_image(std::string_view name, bool force) const {
    DockerRequest request("DELETE", "/images/" + encode_path(name), m_config.call_timeout);
    request.query.add("force", force);
    auto response = exchange(request);
    if (!response.ok()) {
        return response.error();
    }
    if (response->status == 404) {
        return false;
    }
    if (response->status != 200) {
        return make_docker_error(docker_call_name("DELETE", request.path), response->status,
                                 response->body);
    }
    return true;
}

}  // namespace kfrun::docker
