#include "docker/run_owner_labels.hpp"

#include <unistd.h>

#include <climits>
#include <set>
#include <thread>

#include "docker/docker_error.hpp"
#include "docker/docker_runtime.hpp"

namespace kfrun::docker {

std::string this_host_id() {
    char name[HOST_NAME_MAX + 1] = {};
    if (::gethostname(name, sizeof name) != 0 || name[0] == '\0') {
        return "localhost";
    }
    name[HOST_NAME_MAX] = '\0';
    return name;
}

std::map<std::string, std::string> with_owner_labels(
    std::map<std::string, std::string> labels,
    const std::map<std::string, std::string>& context_labels) {
    const auto keep = labels.find(k_keep_label);
    if (labels.count(k_run_label) == 0 || (keep != labels.end() && keep->second == "true")) {
        return labels;
    }
    for (const char* key : {k_owner_label, k_host_label}) {
        if (const auto found = context_labels.find(key); found != context_labels.end()) {
            labels[key] = found->second;
        }
    }
    return labels;
}

base::Result<SweepCounts> remove_run_resources(const DockerClient& client,
                                               const std::string& run_id, const std::string& host,
                                               bool dry_run) {
    SweepCounts counts;
    const std::map<std::string, std::string> filter = {{k_run_label, run_id}, {k_host_label, host}};
    auto containers = client.list_containers(filter);
    KFRUN_TRY(containers);
    // Step containers first: they joined the sandbox's network namespace.
    std::vector<const ContainerSummary*> ordered;
    for (const auto& container : *containers) {
        const auto role = container.labels.find(k_role_label);
        const bool sandbox = role != container.labels.end() && role->second == "sandbox";
        if (sandbox) {
            ordered.push_back(&container);
        } else {
            ordered.insert(ordered.begin(), &container);
        }
    }
    for (const ContainerSummary* container : ordered) {
        if (!dry_run) {
            if (auto removed = client.remove_container(container->id); !removed.ok()) {
                counts.problems.push_back(removed.error().to_string());
                continue;
            }
        }
        ++counts.containers;
    }
    // Volumes labelled with the run: the owner labels came with this change, so older volumes
    // are matched by the run label alone (a run id is random: it names one run).
    auto volumes = client.list_volumes({{k_run_label, run_id}});
    KFRUN_TRY(volumes);
    for (const auto& volume : *volumes) {
        const auto keep = volume.labels.find(k_keep_label);
        const auto on = volume.labels.find(k_host_label);
        if ((keep != volume.labels.end() && keep->second == "true") ||
            (on != volume.labels.end() && on->second != host)) {
            continue;
        }
        if (!dry_run) {
            auto removed = client.remove_volume(volume.name);
            // "In use" right after a forced container removal: the daemon may still be
            // finishing it. A few short waits, then it is left for the next sweep.
            for (int attempt = 0;
                 attempt < 20 && !removed.ok() && http_status(removed.error()) == 409u; ++attempt) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                removed = client.remove_volume(volume.name);
            }
            if (!removed.ok()) {
                counts.problems.push_back(removed.error().to_string());
                continue;
            }
        }
        ++counts.volumes;
    }
    return counts;
}

base::Result<std::vector<OrphanRun>> find_orphan_runs(
    const DockerClient& client, const std::string& host,
    const std::function<bool(const std::string& owner)>& owner_gone, bool volumes) {
    std::map<std::string, std::string> owners;  // run id -> owner
    const std::map<std::string, std::string> filter = {{k_host_label, host}, {k_owner_label, ""}};
    auto containers = client.list_containers(filter);
    KFRUN_TRY(containers);
    for (const auto& container : *containers) {
        const auto run = container.labels.find(k_run_label);
        const auto owner = container.labels.find(k_owner_label);
        if (run != container.labels.end() && owner != container.labels.end()) {
            owners.emplace(run->second, owner->second);
        }
    }
    if (volumes) {
        auto listed = client.list_volumes(filter);
        KFRUN_TRY(listed);
        for (const auto& volume : *listed) {
            const auto run = volume.labels.find(k_run_label);
            const auto owner = volume.labels.find(k_owner_label);
            if (run != volume.labels.end() && owner != volume.labels.end()) {
                owners.emplace(run->second, owner->second);
            }
        }
    }
    std::vector<OrphanRun> out;
    std::map<std::string, bool> gone;  // one probe per owner
    for (const auto& [run_id, owner] : owners) {
        auto probed = gone.find(owner);
        if (probed == gone.end()) {
            probed = gone.emplace(owner, owner_gone(owner)).first;
        }
        if (probed->second) {
            out.push_back({run_id, owner});
        }
    }
    return out;
}

}  // namespace kfrun::docker
