#include "docker/container_config.hpp"

#include <nlohmann/json.hpp>

namespace kfrun::docker {
namespace {

using engine::VolumeMount;
using nlohmann::json;

base::Result<json> mount_json(const VolumeMount& mount, const std::string& step) {
    const std::string where = "step " + step + ", mount at " + mount.container_path;
    if (mount.container_path.empty() || mount.container_path.front() != '/') {
        return base::make_error(base::ErrorKind::Input,
                                "the mount path must be absolute: \"" + mount.container_path + "\"",
                                where);
    }
    switch (mount.type) {
        case VolumeMount::Type::Volume: {
            if (!mount.sub_path.empty()) {
                return base::make_error(
                    base::ErrorKind::Input,
                    "mounting a sub-path (\"" + mount.sub_path + "\") of volume " + mount.source +
                        " is not supported: Docker API 1.41 has no VolumeOptions.Subpath "
                        "(it arrived in 1.45); mount the whole volume instead",
                    where);
            }
            return json{{"Type", "volume"},
                        {"Source", mount.source},
                        {"Target", mount.container_path},
                        {"ReadOnly", mount.read_only}};
        }
        case VolumeMount::Type::Bind: {
            std::filesystem::path source = mount.source;
            if (!mount.sub_path.empty()) {
                source /= mount.sub_path;
            }
            if (!source.is_absolute()) {
                return base::make_error(
                    base::ErrorKind::Input,
                    "a bind mount needs an absolute host path, not \"" + source.string() + "\"",
                    where);
            }
            return json{{"Type", "bind"},
                        {"Source", source.lexically_normal().string()},
                        {"Target", mount.container_path},
                        {"ReadOnly", mount.read_only}};
        }
        case VolumeMount::Type::Tmpfs:
            return json{{"Type", "tmpfs"}, {"Target", mount.container_path}};
    }
    return base::make_error(base::ErrorKind::Internal, "unknown mount type", where);
}

}  // namespace

std::string docker_network_mode(engine::NetworkMode mode, const std::string& sandbox_id) {
    switch (mode) {
        case engine::NetworkMode::Pod:
            return "container:" + sandbox_id;
        case engine::NetworkMode::Bridge:
            return "bridge";
        case engine::NetworkMode::None:
            return "none";
        case engine::NetworkMode::Host:
            return "host";
    }
    return "bridge";
}

base::Result<std::string> make_create_body(const engine::StepSpec& spec,
                                           const ContainerConfig& config) {
    json body{{"Image", spec.image_id}};
    if (!spec.command.empty()) {
        body["Entrypoint"] = spec.command;
        body["Cmd"] = spec.args;  // [] when empty: the image's CMD must not be appended
    } else if (!spec.args.empty()) {
        body["Cmd"] = spec.args;
    }
    json env = json::array();
    for (const auto& [name, value] : spec.env) {
        env.push_back(name + "=" + value);
    }
    body["Env"] = env;
    if (!spec.working_dir.empty()) {
        body["WorkingDir"] = spec.working_dir;
    }
    body["Labels"] = config.labels;

    json mounts = json::array();
    for (const auto& input : config.inputs) {
        mounts.push_back(json{{"Type", "bind"},
                              {"Source", input.host_path.string()},
                              {"Target", input.container_path},
                              {"ReadOnly", false}});
    }
    for (const auto& mount : spec.mounts) {
        auto item =
            mount_json(mount, spec.display_name.empty() ? spec.container_name : spec.display_name);
        if (!item.ok()) {
            return item.error();
        }
        mounts.push_back(std::move(*item));
    }
    json host{{"Mounts", mounts}, {"NetworkMode", config.network_mode}};
    if (spec.resources.memory_bytes) {
        host["Memory"] = *spec.resources.memory_bytes;
        host["MemorySwap"] = *spec.resources.memory_bytes;
    }
    if (spec.resources.nano_cpus) {
        host["NanoCpus"] = *spec.resources.nano_cpus;
    }
    if (spec.resources.gpus > 0) {
        host["DeviceRequests"] =
            json::array({json{{"Driver", ""},
                              {"Count", spec.resources.gpus},
                              {"Capabilities", json::array({json::array({"gpu"})})}}});
    }
    if (spec.privileged) {
        host["Privileged"] = true;
    }
    body["HostConfig"] = std::move(host);
    return body.dump();
}

}  // namespace kfrun::docker
