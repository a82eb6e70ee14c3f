#include "docker/container_config.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "base/json_text.hpp"
#include "base/strings.hpp"
#include "docker/sub_path.hpp"

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
                    base::ErrorKind::Internal,
                    "the sub-path \"" + mount.sub_path + "\" of volume " + mount.source +
                        " was not resolved to a bind mount (Docker API 1.41 has no "
                        "VolumeOptions.Subpath)",
                    where);
            }
            json item{{"Type", "volume"},
                      {"Source", mount.source},
                      {"Target", mount.container_path},
                      {"ReadOnly", mount.read_only}};
            if (!mount.labels.empty()) {
                item["VolumeOptions"] = json{{"Labels", mount.labels}};
            }
            return item;
        }
        case VolumeMount::Type::Bind: {
            auto relative = normalize_sub_path(mount.sub_path);
            if (!relative.ok()) {
                return base::make_error(relative.error().kind, relative.error().message, where);
            }
            std::filesystem::path source = mount.source;
            if (!relative->empty()) {
                source /= *relative;
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
        case VolumeMount::Type::Tmpfs: {
            json item{{"Type", "tmpfs"}, {"Target", mount.container_path}};
            if (mount.read_only) {
                item["ReadOnly"] = true;
            }
            return item;
        }
    }
    return base::make_error(base::ErrorKind::Internal, "unknown mount type", where);
}

}  // namespace

engine::StepSpec aux_step_spec(const engine::StepSpec& step, const engine::AuxContainer& aux,
                               AuxRole role) {
    const bool init = role == AuxRole::Init;
    std::string name_part = base::sanitize_name(aux.name, 40);
    if (name_part.empty()) {
        name_part = "aux";
    }
    engine::StepSpec spec;
    spec.container_name = step.container_name + (init ? "-init-" : "-sidecar-") + name_part;
    spec.display_name = (step.display_name.empty() ? step.container_name : step.display_name) +
                        (init ? " init " : " sidecar ") + aux.name;
    spec.image = aux.image;
    spec.image_id = aux.image_id;
    spec.command = aux.command;
    spec.args = aux.args;
    spec.env = aux.env;
    spec.working_dir = aux.working_dir;
    spec.labels = step.labels;
    spec.resources = aux.resources;
    spec.privileged = aux.privileged;
    spec.security = aux.security;
    spec.pull_policy = step.pull_policy;
    spec.mounts = aux.mounts;
    return spec;
}

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
    if (!spec.security.user.empty()) {
        body["User"] = spec.security.user;
    }

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
    if (spec.security.read_only_root) {
        host["ReadonlyRootfs"] = true;
    }
    if (!spec.security.cap_add.empty()) {
        host["CapAdd"] = spec.security.cap_add;
    }
    if (!spec.security.cap_drop.empty()) {
        host["CapDrop"] = spec.security.cap_drop;
    }
    if (spec.security.no_new_privileges) {
        host["SecurityOpt"] = json::array({"no-new-privileges"});
    }
    if (config.init) {
        host["Init"] = true;
    }
    body["HostConfig"] = std::move(host);
    return base::json_text(body);
}

}  // namespace kfrun::docker
