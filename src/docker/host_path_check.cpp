#include "docker/host_path_check.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "docker/sub_path_staging.hpp"

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

// Whether this process may bind-mount (CAP_SYS_ADMIN in its effective set): root in a
// container without it, or a non-root member of the docker group, gets the resolved path.
bool can_mount() {
    static const bool can = [] {
        std::ifstream status("/proc/self/status");
        std::string line;
        while (std::getline(status, line)) {
            if (line.rfind("CapEff:", 0) == 0) {
                const unsigned long long caps = std::strtoull(line.c_str() + 7, nullptr, 16);
                return (caps & (1ULL << 21)) != 0;  // CAP_SYS_ADMIN
            }
        }
        return false;
    }();
    return can;
}

base::Error refused(const std::string& source, const std::string& resolved,
                    const std::string& where) {
    return base::make_error(base::ErrorKind::Input,
                            "hostPath " + source + " resolves to " + resolved +
                                " on the host, outside every --allow-host-path folder; refused",
                            where);
}

// Opens what `resolved` names and stages that very object: the descriptor's own path is checked
// against the grants again, so a directory swapped for a link since realpath is caught.
base::Result<std::string> stage_host_path(const engine::VolumeMount& mount,
                                          const std::string& resolved,
                                          const std::vector<engine::HostPathGrant>& grants,
                                          const std::string& where, SubPathStaging& staging) {
    SubPathTarget target;
    target.fd = UniqueFd(::open(resolved.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    target.path = mount.source;
    if (!target.fd.valid()) {
        return base::make_error(
            base::ErrorKind::Input,
            "hostPath " + mount.source + " cannot be opened on the host: " + std::strerror(errno),
            where);
    }
    struct stat info {};
    if (::fstat(target.fd.get(), &info) != 0) {
        return base::make_error(base::ErrorKind::Io, "cannot stat hostPath " + mount.source, where);
    }
    if (S_ISLNK(info.st_mode)) {  // the last component became a link since realpath
        return refused(mount.source, resolved + " (now a symbolic link)", where);
    }
    target.is_file = !S_ISDIR(info.st_mode);
    target.recursive = true;  // Docker binds a hostPath with what is mounted below it (rbind)
    // The descriptor's own path, as the kernel keeps it (never looked up again by name).
    const std::string link = "/proc/self/fd/" + std::to_string(target.fd.get());
    std::string opened(PATH_MAX + 1, '\0');
    const ssize_t length = ::readlink(link.c_str(), opened.data(), opened.size());
    opened.resize(length > 0 ? static_cast<std::size_t>(length) : 0);
    if (opened.empty() || opened != resolved || covering(opened, grants) == nullptr) {
        return refused(mount.source, opened.empty() ? resolved : opened, where);
    }
    auto staged = staging.stage(target);
    if (!staged.ok()) {
        return staged.error();
    }
    return staged->string();
}

}  // namespace

base::Result<std::vector<engine::VolumeMount>> check_host_paths(
    std::vector<engine::VolumeMount> mounts, const std::vector<engine::HostPathGrant>& grants,
    const std::string& where, SubPathStaging* staging) {
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
            return refused(mount.source, *resolved, where);
        }
        mount.read_only = mount.read_only || !grant->writable;
        if (staging != nullptr && can_mount()) {
            auto staged = stage_host_path(mount, *resolved, resolved_grants, where, *staging);
            if (!staged.ok()) {
                return staged.error();
            }
            mount.source = std::move(*staged);
        } else {
            mount.source = *resolved;
        }
    }
    return mounts;
}

base::Result<void> pin_host_path(engine::VolumeMount& mount, const std::string& where,
                                 SubPathStaging* staging) {
    auto resolved = real_path(mount.source, where);
    if (!resolved.ok()) {
        return resolved.error();
    }
    std::string written = std::filesystem::path(mount.source).lexically_normal().string();
    while (written.size() > 1 && written.back() == '/') {
        written.pop_back();
    }
    if (*resolved != written) {
        return base::make_error(
            base::ErrorKind::Input,
            "hostPath " + mount.source + " now resolves through a symbolic link, to " + *resolved,
            where);
    }
    mount.read_only = true;
    if (staging != nullptr && can_mount()) {
        auto staged = stage_host_path(mount, *resolved, {engine::HostPathGrant{*resolved, false}},
                                      where, *staging);
        if (!staged.ok()) {
            return staged.error();
        }
        mount.source = std::move(*staged);
    } else {
        mount.source = std::move(*resolved);
    }
    return {};
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
