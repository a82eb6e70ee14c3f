#pragma once
// OverlayView: finds a stopped container's file or directory in its overlay2 layers on the
// daemon's host, so that outputs are read straight from disk instead of through
// GET /containers/{id}/archive (which makes the daemon mount the container's root filesystem
// and write a tar: 35-60 ms for one small file, most of what a trivial step costs beyond the
// Docker floor).
//
// The layers are GraphDriver.Data of the container's inspect: UpperDir (what the container
// wrote) on top of LowerDir (its -init layer, then the image's layers, topmost first). A path is
// looked up the way overlayfs merges them: component by component, the topmost layer that has an
// entry decides; a whiteout (a 0/0 character device) hides everything below; a directory is
// merged with the same directory in the layers below until one of them is opaque
// (trusted.overlay.opaque=y) or has a non-directory there.
//
// The answer is only ever File or Directory when it is certain to be exactly what the container
// saw at that path; everything else is Unresolved with a reason, and the caller asks the daemon
// (the archive). Unresolved: a path at, under or above a mount (volumes, binds, tmpfs, the
// inputs, /etc/hosts and the like, /proc, /sys, /dev), a symbolic link on the way or at the end,
// a directory that several layers contribute to, a redirect or metacopy xattr (overlay features
// that move data elsewhere), anything not a regular file or directory, a path that is not plain
// (relative, `.`, `..`, empty components, a trailing `/`), and any error but "no such file".
// Missing is certain too: no layer has the path, or a whiteout hides it.
//
// Only valid for a container that is not running: nothing may write to its layers meanwhile.
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kfrun::docker {

// "/a/b" -> {"a", "b"}; empty when the path is not plain (relative, `.`, `..`, empty
// components, a trailing `/`).
std::vector<std::string> plain_path_components(std::string_view path);

// What Docker and the kernel mount into every container besides its Mounts (/proc, /sys, /dev,
// /etc/hosts, ...).
std::span<const std::string_view> implied_mount_points();

struct OverlayLayers {
    std::filesystem::path upper;               // GraphDriver.Data.UpperDir
    std::vector<std::filesystem::path> lower;  // GraphDriver.Data.LowerDir, topmost first
};

struct OverlayEntry {
    enum class Kind { File, Directory, Missing, Unresolved };
    Kind kind = Kind::Unresolved;
    std::filesystem::path host_path;  // File and Directory: where it is on the host
    std::string reason;               // Unresolved: why the layers cannot answer
};

class OverlayView {
  public:
    // `mount_points`: the container paths where something other than the layers is mounted
    // (inspect's Mounts[].Destination); the fixed ones Docker and the kernel add are implied.
    OverlayView(OverlayLayers layers, std::vector<std::string> mount_points);

    OverlayEntry locate(std::string_view container_path) const;

    // "overlay2" with an UpperDir, and overlayfs' redirect_dir and metacopy off on this kernel
    // (/sys/module/overlay/parameters): the conditions under which the layers can be read
    // directly. Reading sysfs only; no Docker call.
    static bool kernel_allows_layer_reads();

  private:
    // Whether `path` is a mount point, below one, or (for a directory) above one.
    bool touches_mount(std::string_view path, bool as_directory) const;

    OverlayLayers m_layers;
    std::vector<std::string> m_mount_points;
};

}  // namespace kfrun::docker
