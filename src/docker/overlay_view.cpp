#include "docker/overlay_view.hpp"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <span>
#include <utility>

namespace kfrun::docker {
namespace {

// What Docker and the kernel mount into every container besides its Mounts.
constexpr std::array<std::string_view, 7> k_implied_mounts = {"/proc",
                                                              "/sys",
                                                              "/dev",
                                                              "/etc/hosts",
                                                              "/etc/hostname",
                                                              "/etc/resolv.conf",
                                                              "/sbin/docker-init"};

// overlayfs keeps its metadata in the trusted.* namespace, or user.* when mounted with userxattr
// (rootless Docker).
bool has_overlay_xattr(const std::filesystem::path& path, const char* name,
                       std::string_view value = {}) {
    for (const char* prefix : {"trusted.overlay.", "user.overlay."}) {
        const std::string key = std::string(prefix) + name;
        char buffer[8];
        const ssize_t size = ::lgetxattr(path.c_str(), key.c_str(), buffer, sizeof buffer);
        if (size < 0) {
            if (errno == ERANGE) {
                return value.empty();  // present, with a longer value than any we compare
            }
            continue;
        }
        if (value.empty() || std::string_view(buffer, static_cast<std::size_t>(size)) == value) {
            return true;
        }
    }
    return false;
}

bool is_whiteout(const struct stat& info) {
    return S_ISCHR(info.st_mode) && info.st_rdev == makedev(0, 0);
}

bool starts_path(std::string_view path, std::string_view prefix) {
    // `prefix` equals `path` or is one of its parent directories.
    if (prefix == "/") {
        return true;
    }
    return path.size() >= prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
           (path.size() == prefix.size() || path[prefix.size()] == '/');
}

OverlayEntry unresolved(std::string reason) {
    return OverlayEntry{OverlayEntry::Kind::Unresolved, {}, std::move(reason)};
}

OverlayEntry found(OverlayEntry::Kind kind, std::filesystem::path path) {
    return OverlayEntry{kind, std::move(path), {}};
}

bool parameter_is_off(const char* name) {
    std::ifstream in(std::string("/sys/module/overlay/parameters/") + name);
    std::string value;
    return static_cast<bool>(in >> value) && value == "N";
}

}  // namespace

std::vector<std::string> plain_path_components(std::string_view path) {
    std::vector<std::string> parts;
    if (path.size() < 2 || path.front() != '/' || path.back() == '/') {
        return {};
    }
    std::size_t begin = 1;
    while (begin <= path.size()) {
        const std::size_t end = std::min(path.find('/', begin), path.size());
        const std::string_view part = path.substr(begin, end - begin);
        if (part.empty() || part == "." || part == "..") {
            return {};
        }
        parts.emplace_back(part);
        begin = end + 1;
    }
    return parts;
}

std::span<const std::string_view> implied_mount_points() { return k_implied_mounts; }

OverlayView::OverlayView(OverlayLayers layers, std::vector<std::string> mount_points)
    : m_layers(std::move(layers)), m_mount_points(std::move(mount_points)) {
    for (const auto implied : k_implied_mounts) {
        m_mount_points.emplace_back(implied);
    }
}

bool OverlayView::kernel_allows_layer_reads() {
    return parameter_is_off("redirect_dir") && parameter_is_off("metacopy");
}

bool OverlayView::touches_mount(std::string_view path, bool as_directory) const {
    for (const auto& mount : m_mount_points) {
        std::string_view point = mount;
        while (point.size() > 1 && point.back() == '/') {
            point.remove_suffix(1);
        }
        if (starts_path(path, point) || (as_directory && starts_path(point, path))) {
            return true;
        }
    }
    return false;
}

OverlayEntry OverlayView::locate(std::string_view container_path) const {
    const auto parts = plain_path_components(container_path);
    if (parts.empty()) {
        return unresolved("not a plain absolute path");
    }
    if (m_layers.upper.empty()) {
        return unresolved("the container has no upper layer");
    }
    if (touches_mount(container_path, false)) {
        return unresolved("a mount is there");
    }
    // The directories that make up the merged directory reached so far, topmost first.
    std::vector<std::filesystem::path> merged{m_layers.upper};
    merged.insert(merged.end(), m_layers.lower.begin(), m_layers.lower.end());
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const bool last = i + 1 == parts.size();
        std::vector<std::filesystem::path> below;
        for (const auto& layer_dir : merged) {
            auto candidate = layer_dir / parts[i];
            struct stat info {};
            if (::lstat(candidate.c_str(), &info) != 0) {
                if (errno == ENOENT) {
                    continue;
                }
                return unresolved(candidate.string() + ": " + std::strerror(errno));
            }
            if (is_whiteout(info)) {
                break;  // hides this name in every layer below
            }
            if (!S_ISDIR(info.st_mode)) {
                if (!below.empty()) {
                    break;  // a directory above ends the merge at a non-directory
                }
                if (S_ISLNK(info.st_mode)) {
                    return unresolved("a symbolic link is on the path");
                }
                if (!last || !S_ISREG(info.st_mode)) {
                    return unresolved("not a regular file or directory");
                }
                if (has_overlay_xattr(candidate, "metacopy")) {
                    return unresolved("a metadata-only copy");
                }
                return found(OverlayEntry::Kind::File, std::move(candidate));
            }
            if (has_overlay_xattr(candidate, "redirect")) {
                return unresolved("a redirected directory");
            }
            const bool opaque = has_overlay_xattr(candidate, "opaque", "y");
            below.push_back(std::move(candidate));
            if (opaque) {
                break;
            }
        }
        if (below.empty()) {
            return OverlayEntry{OverlayEntry::Kind::Missing, {}, {}};
        }
        merged = std::move(below);
    }
    if (merged.size() != 1) {
        return unresolved("a directory merged from several layers");
    }
    if (touches_mount(container_path, true)) {
        return unresolved("a mount is inside");
    }
    return found(OverlayEntry::Kind::Directory, std::move(merged.front()));
}

}  // namespace kfrun::docker
