// DockerClient: the container calls (create, start, wait, logs, kill, stop, remove, inspect, list).
#include <nlohmann/json.hpp>

#include "base/strings.hpp"
#include "docker/docker_client.hpp"
#include "docker/docker_error.hpp"
#include "docker/json_fields.hpp"

namespace kfrun::docker {
namespace {

std::string container_path(std::string_view id, std::string_view suffix = {}) {
    return "/containers/" + encode_path(id) + std::string(suffix);
}

bool message_contains(const base::Error& error, std::string_view text) {
    return error.message.find(text) != std::string::npos;
}

}  // namespace

base::Result<std::string> DockerClient::create_container(std::string_view name,
                                                         const std::string& config_json) const {
    DockerRequest request("POST", "/containers/create", m_config.call_timeout);
    request.with_body(config_json, "application/json");
    if (!name.empty()) {
        request.query.add("name", name);
    }
    auto response = call(request);
    if (!response.ok()) {
        return response.error();
    }
    const auto json = nlohmann::json::parse(response->body, nullptr, false);
    std::string id = json_fields::string_of(json, "Id");
    if (id.empty()) {
        return make_transport_error(docker_call_name("POST", request.path),
                                    "the response has no container Id: " + response->body);
    }
    return id;
}

base::Result<void> DockerClient::start_container(std::string_view id) const {
    auto response =
        exchange(DockerRequest("POST", container_path(id, "/start"), m_config.call_timeout));
    if (!response.ok()) {
        return response.error();
    }
    if (response->status == 304 || response->status == 204 || response->status == 200) {
        return {};
    }
    return make_docker_error(docker_call_name("POST", container_path(id, "/start")),
                             response->status, response->body);
}

base::Result<std::unique_ptr<ResponseStream>> DockerClient::open_wait(
    std::string_view id, std::string_view condition) const {
    DockerRequest request("POST", container_path(id, "/wait"), m_config.call_timeout);
    request.query.add("condition", condition);
    return open_stream(request, m_config.idle_timeout);
}

base::Result<WaitResult> DockerClient::parse_wait_result(std::string_view body) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object() || !json_fields::member(json, "StatusCode").is_number()) {
        return make_transport_error("docker POST /containers/wait",
                                    "unexpected wait result: " + std::string(body));
    }
    return WaitResult{static_cast<int>(json_fields::int_of(json, "StatusCode")),
                      json_fields::string_of(json_fields::member(json, "Error"), "Message")};
}

base::Result<std::unique_ptr<ResponseStream>> DockerClient::open_logs(
    std::string_view id, bool follow, bool timestamps, std::string_view since) const {
    DockerRequest request("GET", container_path(id, "/logs"), m_config.call_timeout);
    request.query.add("stdout", true).add("stderr", true);
    if (follow) {
        request.query.add("follow", true);
    }
    if (timestamps) {
        request.query.add("timestamps", true);
    }
    if (!since.empty()) {
        request.query.add("since", since);
    }
    return open_stream(request, m_config.idle_timeout);
}

base::Result<void> DockerClient::kill_container(std::string_view id,
                                                std::string_view signal) const {
    DockerRequest request("POST", container_path(id, "/kill"), m_config.call_timeout);
    request.query.add("signal", signal);
    auto response = call(request);
    if (!response.ok() && http_status(response.error()) == 409u &&
        message_contains(response.error(), "is not running")) {
        return {};
    }
    if (!response.ok()) {
        return response.error();
    }
    return {};
}

base::Result<void> DockerClient::stop_container(std::string_view id, int timeout_seconds) const {
    DockerRequest request(
        "POST", container_path(id, "/stop"),
        m_config.call_timeout + std::chrono::seconds(std::max(timeout_seconds, 0)));
    request.query.add("t", static_cast<long long>(timeout_seconds));
    auto response = exchange(request);
    if (!response.ok()) {
        return response.error();
    }
    if (response->status == 304 || response->status == 204) {
        return {};
    }
    return make_docker_error(docker_call_name("POST", request.path), response->status,
                             response->body);
}

base::Result<void> DockerClient::remove_container(std::string_view id, bool force,
                                                  bool volumes) const {
    DockerRequest request("DELETE", container_path(id), m_config.call_timeout);
    request.query.add("force", force).add("v", volumes);
    auto response = call(request);
    if (response.ok()) {
        return {};
    }
    const auto status = http_status(response.error());
    if (status == 404u ||
        (status == 409u && message_contains(response.error(), "already in progress"))) {
        return {};
    }
    return response.error();
}

base::Result<ContainerDetails> DockerClient::inspect_container(std::string_view id) const {
    auto response = call(DockerRequest("GET", container_path(id, "/json"), m_config.quick_timeout));
    if (!response.ok()) {
        return response.error();
    }
    using namespace json_fields;
    const auto json = nlohmann::json::parse(response->body, nullptr, false);
    const auto& state = member(json, "State");
    ContainerDetails details;
    details.id = string_of(json, "Id");
    details.name = string_of(json, "Name");
    if (!details.name.empty() && details.name.front() == '/') {
        details.name.erase(0, 1);
    }
    details.image = string_of(json, "Image");
    details.state = ContainerState{string_of(state, "Status"), bool_of(state, "Running"),
                                   static_cast<int>(int_of(state, "ExitCode")),
                                   bool_of(state, "OOMKilled"), string_of(state, "Error")};
    details.network_mode = string_of(member(json, "HostConfig"), "NetworkMode");
    details.labels = string_map_of(member(json, "Config"), "Labels");
    const auto& driver = member(json, "GraphDriver");
    details.graph_driver = string_of(driver, "Name");
    const auto& data = member(driver, "Data");
    details.upper_dir = string_of(data, "UpperDir");
    for (const auto& dir : base::split(string_of(data, "LowerDir"), ':')) {
        if (!dir.empty()) {
            details.lower_dirs.push_back(dir);
        }
    }
    if (const auto& mounts = member(json, "Mounts"); mounts.is_array()) {
        for (const auto& mount : mounts) {
            details.mount_points.push_back(string_of(mount, "Destination"));
        }
    }
    for (const auto& [point, options] : string_map_of(member(json, "HostConfig"), "Tmpfs")) {
        details.mount_points.push_back(point);
    }
    return details;
}

base::Result<std::vector<ContainerSummary>> DockerClient::list_containers(
    const std::map<std::string, std::string>& labels, bool all) const {
    DockerRequest request("GET", "/containers/json", m_config.quick_timeout);
    request.query.add("all", all);
    if (!labels.empty()) {
        request.query.add("filters", label_filter_json(labels));
    }
    auto response = call(request);
    if (!response.ok()) {
        return response.error();
    }
    using namespace json_fields;
    std::vector<ContainerSummary> out;
    const auto json = nlohmann::json::parse(response->body, nullptr, false);
    if (json.is_array()) {
        for (const auto& item : json) {
            out.push_back(ContainerSummary{string_of(item, "Id"), strings_of(item, "Names"),
                                           string_of(item, "State"),
                                           string_map_of(item, "Labels")});
        }
    }
    return out;
}

}  // namespace kfrun::docker
