#include "docker/host_path_check.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

namespace kfrun::docker {

namespace {

base::Result<std::string> real_path(const std::string& path, const std::string& where) {
    std::unique_ptr<char, decltype(&std::free)> resolved(realpath(path.c_str(), nullptr),
                                                         &std::free);
    if (!resolved) {
        return base::make_error(
            base::ErrorKind::Input,
            "hostPath " + path + " cannot be resolved on the host: " + std::strerror(errno), where);
    }
    return std::string(resolved.get());
}

// The grant whose folder holds `path` (both resolved), the writable one when several do.
const engine::HostPathGrant* covering(const std::filesystem::path& path,
                                      const std::vector<engine::HostPathGrant>& grants) {
    const engine::HostPathGrant* found = nullptr;
    for (const engine::HostPathGrant& grant : grants) {
        auto [g, p] = std::mismatch(grant.path.begin(), grant.path.end(), path.begin(), path.end());
        if (g == grant.path.end() && (found == nullptr || (!found->writable && grant.writable))) {
            found = &grant;
        }
    }
    return found;
}

}  // namespace

base::Result<std::vector<engine::VolumeMount>> check_host_paths(
    std::vector<engine::VolumeMount> mounts, const std::vector<engine::HostPathGrant>& grants,
    const std::string& where) {
    // The grants' own links are resolved too: --allow-host-path /data where /data -> /srv/data.
    std::vector<engine::HostPathGrant> resolved_grants;
    for (const engine::HostPathGrant& grant : grants) {
        auto resolved = real_path(grant.path.string(), where);
        if (resolved.ok()) {
            resolved_grants.push_back(engine::HostPathGrant{*resolved, grant.writable});
        }
    }
    for (engine::VolumeMount& mount : mounts) {
        if (!mount.host_path) {
            continue;
        }
        auto resolved = real_path(mount.source, where);
        if (!resolved.ok()) {
            return resolved.error();
        }
        const engine::HostPathGrant* grant = covering(*resolved, resolved_grants);
        if (grant == nullptr) {
            return base::make_error(base::ErrorKind::Input,
                                    "hostPath " + mount.source + " resolves to " + *resolved +
                                        " on the host, outside every --allow-host-path folder; "
                                        "refused",
                                    where);
        }
        mount.source = *resolved;
        mount.read_only = mount.read_only || !grant->writable;
    }
    return mounts;
}

base::Result<void> check_remote_host_path(engine::VolumeMount& mount,
                                          const std::vector<engine::HostPathGrant>& grants,
                                          const std::string& daemon, const std::string& where) {
    const std::filesystem::path path = std::filesystem::path(mount.source).lexically_normal();
    std::vector<engine::HostPathGrant> normal;
    for (const engine::HostPathGrant& grant : grants) {
        normal.push_back(engine::HostPathGrant{grant.path.lexically_normal(), grant.writable});
    }
    const bool dotted = std::any_of(path.begin(), path.end(), [](const auto& part) {
        return part == "..";
    });
    const engine::HostPathGrant* grant = dotted ? nullptr : covering(path, normal);
    if (!path.is_absolute() || grant == nullptr) {
        return base::make_error(base::ErrorKind::Input,
                                "hostPath " + mount.source + " on the daemon's host (" + daemon +
                                    ") is outside every --allow-host-path folder; refused",
                                where);
    }
    mount.source = path.string();
    mount.read_only = mount.read_only || !grant->writable;
    return {};
}

}  // namespace kfrun::docker
