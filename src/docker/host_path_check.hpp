#pragma once
// hostPath volumes, checked on the host right before a container is created: the engine let the
// path through lexically (it is under an --allow-host-path grant); here every symbolic link on
// the way is resolved (realpath), and a path that then ends outside every grant — a link planted
// in a granted folder that points at /etc, a `..` after a link — is refused. The mount's source
// becomes the resolved path, so Docker does not follow the links again, and it is read-only
// unless the grant that covers the resolved path is writable (PATH:rw).
//
// No check-then-use window: with a `staging` (kfrun as root), the resolved path is opened
// (O_PATH | O_NOFOLLOW), the object the descriptor holds is checked against the grants by its
// own path (/proc/self/fd/N: a directory on the way swapped for a link after realpath shows up
// as the link's target there), and that descriptor is bind-mounted onto a private staging path
// (sub_path_staging.hpp), which is what Docker gets. Without one (kfrun not root: it cannot
// mount), Docker gets the resolved path, and a process that can write into a granted folder
// could swap a directory of it for a link while the step starts.
#include <string>
#include <vector>

#include "base/result.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::docker {

class SubPathStaging;

// Checks and rewrites the host_path mounts of `mounts`; the others are returned as they are.
// Errors (kind Input) name `where` and the volume's host path. With `staging`, each checked
// host path is mounted from its descriptor (see above).
base::Result<std::vector<engine::VolumeMount>> check_host_paths(
    std::vector<engine::VolumeMount> mounts, const std::vector<engine::HostPathGrant>& grants,
    const std::string& where, SubPathStaging* staging = nullptr);

// `kfrun shell`: a hostPath the run was allowed is mounted again only as it was written (the
// run's grants are not known here): it must still resolve to itself, with no symbolic link on
// the way, or it is refused (kind Input). With `staging` (kfrun as root) it is mounted from its
// checked descriptor as check_host_paths does; otherwise Docker gets the path. It is mounted
// read-only: whether the run's grant was writable (PATH:rw) is not recorded.
base::Result<void> pin_host_path(engine::VolumeMount& mount, const std::string& where,
                                 SubPathStaging* staging);

// A hostPath of a remote daemon (its host's path, not ours): links cannot be resolved from
// here, so the path is only checked lexically (normalised, no `..` left) against the grants;
// outside every grant it is refused. Read-only unless the covering grant is writable.
// `daemon` names the daemon in errors.
base::Result<void> check_remote_host_path(engine::VolumeMount& mount,
                                          const std::vector<engine::HostPathGrant>& grants,
                                          const std::string& daemon, const std::string& where);

}  // namespace kfrun::docker
