// DockerRuntime: volumes (create, remove, copy, the run's sweep) and the GPU probe.
#include "docker/docker_error.hpp"
#include "docker/docker_runtime.hpp"
#include "docker/pause_container.hpp"
#include "docker/run_owner_labels.hpp"
#include "docker/scope_guard.hpp"

namespace kfrun::docker {

std::map<std::string, std::string> DockerRuntime::helper_labels(const std::string& role) const {
    std::map<std::string, std::string> labels;
    {
        std::lock_guard lock(m_mutex);
        if (m_run) {
            labels = m_run->context.labels;
            labels[k_run_label] = m_run->context.run_id;
        }
    }
    labels[k_role_label] = role;
    return labels;
}

base::Result<void> DockerRuntime::create_volume(const std::string& name,
                                                const std::map<std::string, std::string>& labels) {
    std::map<std::string, std::string> context_labels;
    {
        std::lock_guard lock(m_mutex);
        if (m_run) {
            context_labels = m_run->context.labels;
        }
    }
    return m_client.create_volume(name, with_owner_labels(labels, context_labels));
}

base::Result<void> DockerRuntime::remove_volume(const std::string& name) {
    // A finished step that mounted the volume may still be queued for removal (the reaper
    // removes containers off the steps' path): the daemon refuses to remove a volume in use.
    m_reaper.wait_idle();
    return m_client.remove_volume(name);
}

base::Result<std::optional<std::map<std::string, std::string>>> DockerRuntime::volume_labels(
    const std::string& name) {
    auto volume = m_client.inspect_volume(name);
    if (!volume.ok()) {
        return volume.error();
    }
    if (!volume->has_value()) {
        return std::optional<std::map<std::string, std::string>>();
    }
    return std::optional<std::map<std::string, std::string>>((*volume)->labels);
}

base::Result<void> DockerRuntime::copy_volume(const std::string& from, const std::string& to) {
    if (from == to) {
        return {};
    }
    auto source = m_client.inspect_volume(from);
    if (!source.ok()) {
        return source.error();
    }
    if (!source->has_value()) {
        return base::make_error(
            base::ErrorKind::Docker,
            "cannot copy volume " + from + " to " + to + ": there is no volume " + from,
            "docker GET /volumes/" + from + ": HTTP 404");
    }
    auto image_id = ensure_pause_image();
    if (!image_id.ok()) {
        return image_id.error();
    }
    PauseContainerSpec reader;
    reader.image_id = *image_id;
    reader.labels = helper_labels("copy");
    reader.mounts.push_back({from, "/from", true});
    PauseContainerSpec writer = reader;
    writer.mounts = {{to, "/to", false}};

    std::vector<std::string> created;
    ScopeGuard remove([&] {
        for (const auto& id : created) {
            static_cast<void>(m_client.remove_container(id));
        }
    });
    for (const auto* spec : {&reader, &writer}) {
        auto id = create_pause_container(m_client, *spec);
        if (!id.ok()) {
            return id.error();
        }
        created.push_back(std::move(*id));
    }
    // GET holds the reader's lock until its body is drained; the PUT takes the writer's.
    auto archive = m_client.get_archive(created[0], "/from/.");
    if (!archive.ok()) {
        return archive.error();
    }
    if (*archive == nullptr) {
        return base::make_error(base::ErrorKind::Docker,
                                "volume " + from + " is not visible in its copy container",
                                "docker GET /containers/archive: HTTP 404");
    }
    if (auto copied = m_client.put_archive(created[1], "/to", **archive); !copied.ok()) {
        return base::make_error(
            copied.error().kind,
            "copying volume " + from + " to " + to +
                " failed (the target may be partly written): " + copied.error().message,
            copied.error().where);
    }
    return {};
}

base::Result<bool> DockerRuntime::gpus_available() {
    std::lock_guard lock(m_gpu_mutex);
    if (m_gpus) {
        return *m_gpus;
    }
    auto image_id = ensure_pause_image();
    if (!image_id.ok()) {
        return image_id.error();
    }
    PauseContainerSpec probe;
    probe.image_id = *image_id;
    probe.labels = helper_labels("probe");
    probe.gpus = true;
    auto id = create_pause_container(m_client, probe);
    if (!id.ok()) {
        return id.error();
    }
    ScopeGuard remove([&] { static_cast<void>(m_client.remove_container(*id)); });
    auto started = m_client.start_container(*id);
    if (started.ok()) {
        m_gpus = true;
    } else if (http_status(started.error()) == 500u &&
               started.error().message.find("could not select device driver") !=
                   std::string::npos) {
        m_gpus = false;
    } else {
        return started.error();
    }
    return *m_gpus;
}

base::Result<void> DockerRuntime::remove_run_volumes(const std::string& run_id,
                                                     bool keep_containers) {
    auto volumes = m_client.list_volumes({{k_run_label, run_id}});
    if (!volumes.ok()) {
        return volumes.error();
    }
    base::Result<void> result;
    for (const auto& volume : *volumes) {
        const auto keep = volume.labels.find(k_keep_label);
        if (keep != volume.labels.end() && keep->second == "true") {
            continue;
        }
        auto removed = m_client.remove_volume(volume.name);
        if (!removed.ok() && keep_containers && http_status(removed.error()) == 409u) {
            continue;  // still used by a kept container: it stays with it
        }
        if (!removed.ok() && result.ok()) {
            result = removed.error();
        }
    }
    return result;
}

}  // namespace kfrun::docker
