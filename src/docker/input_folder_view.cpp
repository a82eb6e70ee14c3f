#include "docker/input_folder_view.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "docker/overlay_view.hpp"

namespace kfrun::docker {
namespace {

FolderEntry unresolved(std::string reason) {
    FolderEntry entry;
    entry.reason = std::move(reason);
    return entry;
}

FolderEntry missing() {
    FolderEntry entry;
    entry.kind = FolderEntry::Kind::Missing;
    return entry;
}

// Whether `prefix` is `path` or one of its parent directories, component by component.
bool leads_to(const std::vector<std::string>& prefix, const std::vector<std::string>& path) {
    return prefix.size() <= path.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

// A mount point's components ("/a/b/" counts as "/a/b"); empty when it is not plain.
std::vector<std::string> point_components(std::string_view point) {
    while (point.size() > 1 && point.back() == '/') {
        point.remove_suffix(1);
    }
    return plain_path_components(point);
}

FolderEntry kind_of(const struct stat& info, std::filesystem::path host_path, UniqueFd parent) {
    if (S_ISLNK(info.st_mode)) {
        return unresolved("a symbolic link");
    }
    if (!S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode)) {
        return unresolved("not a regular file or directory");
    }
    FolderEntry entry;
    entry.kind = S_ISDIR(info.st_mode) ? FolderEntry::Kind::Directory : FolderEntry::Kind::File;
    entry.host_path = std::move(host_path);
    entry.parent = std::move(parent);
    return entry;
}

}  // namespace

InputFolderView::InputFolderView(std::vector<InputBind> binds,
                                 std::vector<std::string> mount_points)
    : m_binds(std::move(binds)), m_mount_points(std::move(mount_points)) {
    for (const auto implied : implied_mount_points()) {
        m_mount_points.emplace_back(implied);
    }
}

const InputBind* InputFolderView::owning_bind(std::string_view container_path,
                                              std::size_t& bind_components) const {
    const auto parts = plain_path_components(container_path);
    if (parts.empty()) {
        return nullptr;
    }
    std::vector<std::string> deepest;
    bool found = false;
    for (const auto& point : m_mount_points) {
        const auto components = point_components(point);
        if (components.empty()) {
            return nullptr;  // a mount point we cannot place: let the daemon answer
        }
        if (leads_to(parts, components) && components.size() > parts.size()) {
            return nullptr;  // something else is mounted inside the path
        }
        if (leads_to(components, parts) && (!found || components.size() > deepest.size())) {
            deepest = components;
            found = true;
        }
    }
    if (!found) {
        return nullptr;
    }
    const InputBind* owner = nullptr;
    for (const auto& bind : m_binds) {
        if (point_components(bind.container_path) == deepest) {
            if (owner != nullptr) {
                return nullptr;  // two binds at one place: Docker would have refused it
            }
            owner = &bind;
        }
    }
    bind_components = deepest.size();
    return owner;
}

FolderEntry InputFolderView::locate(std::string_view container_path) const {
    std::size_t skip = 0;
    const InputBind* bind = owning_bind(container_path, skip);
    if (bind == nullptr || !bind->host_path.is_absolute()) {
        return unresolved("not in one of the step's input folders alone");
    }
    const auto parts = plain_path_components(container_path);
    struct stat info {};
    if (skip == parts.size()) {
        // The bind's own source: kfrun's staging path, which the container cannot replace (it
        // is the mount point).
        if (::lstat(bind->host_path.c_str(), &info) != 0) {
            return unresolved(bind->host_path.string() + ": " + std::strerror(errno));
        }
        return kind_of(info, bind->host_path, UniqueFd{});
    }
    UniqueFd dir(::open(bind->host_path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir.valid()) {
        return unresolved(bind->host_path.string() + ": " + std::strerror(errno));
    }
    for (std::size_t i = skip; i + 1 < parts.size(); ++i) {
        const int next =
            ::openat(dir.get(), parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) {
            if (errno == ENOENT) {
                return missing();
            }
            // ELOOP or ENOTDIR: a link or a file on the way, which the container resolves.
            return unresolved(parts[i] + ": " + std::strerror(errno));
        }
        dir.reset(next);
    }
    const std::string& name = parts.back();
    if (::fstatat(dir.get(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) {
            return missing();
        }
        return unresolved(name + ": " + std::strerror(errno));
    }
    std::filesystem::path host_path =
        std::filesystem::path("/proc/self/fd") / std::to_string(dir.get()) / name;
    return kind_of(info, std::move(host_path), std::move(dir));
}

}  // namespace kfrun::docker
