#pragma once
// SubPathStaging: the bind mounts that hand Docker a step's checked sub-paths (issue 16,
// finding 2; the CVE-2017-1002101 class, fixed the way kubelet does).
//
// Checking <volume>/<sub-path> and then giving Docker that path leaves a window: Docker (runc,
// at start) resolves the path again, and a container that shares the volume (an init container,
// a sidecar, a step running beside it) can swap a checked directory for a symbolic link to
// anything on the host in between. So make_sub_path keeps the checked directory (or file) open,
// and stage() bind-mounts that open file descriptor (/proc/self/fd/N: the kernel takes the
// object the descriptor holds, no path is looked up again) onto a fresh, private target under
// `base` (<base>/<name>-XXXXXX/<n>, 0700, root's). Docker gets the target: a path no container
// can reach, mounted on what was checked.
//
// release() (and the destructor) lazily unmounts every target (MNT_DETACH: a container that
// still runs keeps its own copy of the mount) and removes the targets and the folder with
// rmdir/unlink only: nothing is ever removed recursively here, so a mount that would not go
// never costs the volume its files. Needs CAP_SYS_ADMIN in the Docker daemon's mount namespace
// (kfrun as root on the daemon's host, as sub-paths need anyway); otherwise a clear error.
#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "docker/unique_fd.hpp"

namespace kfrun::docker {

// The default staging base: root's only, outside every folder kfrun removes recursively (a
// mount a kill -9 left there must never be walked into), emptied at boot.
inline constexpr const char* k_default_sub_path_staging_dir = "/run/kfrun/subpaths";

// A run's steps stage in folders named "<prefix><container name>-XXXXXX", the prefix holding the
// whole run id ("kfrun-<run id>-"): the sweep of a dead run matches exactly its own folders,
// never those of a live run whose id starts with the same characters.
inline std::string run_staging_prefix(const std::string& run_id) {
    return "kfrun-" + run_id + "-";
}

// A `kfrun shell` stages the step's sub-paths and hostPaths in folders named after its own
// process ("kfrun-shell-<pid>-"): it has no run of its own, and its container carries the
// original run's labels, so only the process says whether the folder is still in use.
std::string shell_staging_prefix();

// A sub-path opened after its check: `fd` pins what was checked, `path` names it in messages.
struct SubPathTarget {
    UniqueFd fd;
    std::filesystem::path path;
    bool is_file = false;  // a single file (as a ConfigMap key is mounted), else a directory
    bool recursive = false;  // with the mounts below it (MS_REC; as Docker binds a hostPath)
};

class SubPathStaging {
  public:
    // `base`: where the private folders go (made 0700 when missing); `name` prefixes this
    // step's folder (its container name).
    SubPathStaging(std::filesystem::path base, std::string name);
    SubPathStaging(const SubPathStaging&) = delete;
    SubPathStaging& operator=(const SubPathStaging&) = delete;
    ~SubPathStaging();

    // Bind-mounts `target`'s descriptor onto a new private path and returns that path (to give
    // Docker as the mount's source). The mount is checked to show the same inode as the fd.
    base::Result<std::filesystem::path> stage(const SubPathTarget& target);

    // Unmounts and removes everything staged; what could not be undone, one line each.
    std::vector<std::string> release();

    const std::filesystem::path& folder() const { return m_folder; }

    // What a kfrun process that died (kill -9) left staged: every folder in `base` whose name
    // starts with `name_prefix` (a dead run's run_staging_prefix), unmounted and removed as
    // release() does. What could not be undone, one line each.
    static std::vector<std::string> release_leftovers(const std::filesystem::path& base,
                                                      const std::string& name_prefix);

    // What `kfrun shell`s whose process is gone left in `base` (shell_staging_prefix), released
    // as release_leftovers does. A folder whose process id is in use again is kept.
    static std::vector<std::string> release_dead_shells(const std::filesystem::path& base);

  private:
    base::Result<void> make_folder();

    std::filesystem::path m_base;
    std::string m_name;
    std::filesystem::path m_folder;  // <base>/<name>-XXXXXX once the first target is staged
    std::vector<std::filesystem::path> m_targets;
};

}  // namespace kfrun::docker
