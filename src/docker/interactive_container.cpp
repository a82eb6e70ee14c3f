#include "docker/interactive_container.hpp"

#include <nlohmann/json.hpp>

#include "base/json_text.hpp"
#include "docker/docker_error.hpp"

namespace kfrun::docker {

base::Result<std::string> make_interactive_create_body(const engine::StepSpec& spec,
                                                       const ContainerConfig& config, bool tty) {
    auto body = make_create_body(spec, config);
    KFRUN_TRY(body);
    nlohmann::json json = nlohmann::json::parse(*body);
    json["Tty"] = tty;
    json["OpenStdin"] = true;
    json["StdinOnce"] = true;
    json["AttachStdin"] = true;
    json["AttachStdout"] = true;
    json["AttachStderr"] = true;
    return base::json_text(json);
}

base::Result<ImageCommand> image_default_command(const DockerClient& client,
                                                 std::string_view image) {
    DockerRequest request("GET", "/images/" + encode_path(image) + "/json",
                          client.config().quick_timeout);
    auto response = client.exchange(request);
    KFRUN_TRY(response);
    if (response->status != 200) {
        return make_docker_error(docker_call_name("GET", request.path), response->status,
                                 response->body);
    }
    auto json = nlohmann::json::parse(response->body, nullptr, false);
    ImageCommand command;
    if (json.is_object() && json.contains("Config") && json["Config"].is_object()) {
        for (const char* key : {"Entrypoint", "Cmd"}) {
            auto& argv = std::string_view(key) == "Cmd" ? command.cmd : command.entrypoint;
            const auto part = json["Config"].value(key, nlohmann::json());
            if (part.is_array()) {
                for (const auto& word : part) {
                    if (word.is_string()) {
                        argv.push_back(word.get<std::string>());
                    }
                }
            } else if (part.is_string()) {
                argv.push_back(part.get<std::string>());
            }
        }
    }
    return command;
}

}  // namespace kfrun::docker
