#pragma once
// Kubernetes subPath mounts on Docker API 1.41, which has no VolumeOptions.Subpath (it came in
// 1.45): the sub-directory is made on the daemon's host and bind-mounted instead of the volume.
// That needs kfrun on the daemon's host with access to the volume's Mountpoint (normally
// /var/lib/docker/volumes/<name>/_data, root-only): a clear error says so otherwise.
//
// Safety: a container can plant a symbolic link in a volume. The directories are made and
// checked with fstatat/mkdirat/openat(O_NOFOLLOW) from the volume's root, one component at a
// time, each looked up in the descriptor of the one before: a link anywhere in the sub-path is
// refused instead of being followed to a host directory outside the volume. The last
// descriptor is kept and bind-mounted onto a private staging path (SubPathStaging), which is
// what Docker gets: a container that swaps a checked directory for a link afterwards (an init
// container, a sidecar, a step beside it) changes nothing that Docker looks up.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "docker/sub_path_staging.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::docker {

class DockerClient;

// A sub_path as a clean relative path: "" for the whole volume ("", ".", "./", "a/.." is not
// accepted). Errors (kind Input) for absolute paths and ".." components, which Kubernetes
// refuses too.
base::Result<std::string> normalize_sub_path(std::string_view sub_path);

// mkdir -p `base`/`relative` (mode 0755) without following symbolic links below `base`: a link
// or a non-directory on the way is an error (kind Input). An existing regular file as the last
// component is accepted (a single-file mount, like a ConfigMap key). `relative` must be
// normalized. Returns the checked directory (or file) held open. With `create_missing` false
// (a read-only mount: a hostPath granted read-only, a secret's folder) a missing part is an
// error (kind Input) instead: a pipeline must not make folders where it may only read.
base::Result<SubPathTarget> make_sub_path(const std::filesystem::path& base,
                                          const std::string& relative, bool create_missing = true);

// Resolves the sub_paths of `mounts` (`where` names the step in errors):
//  - a Volume mount with a sub_path becomes a read-only-as-asked Bind mount of
//    <Mountpoint>/<sub_path>, staged: the volume is inspected (and created with the mount's
//    labels when missing), the directory made, opened and bind-mounted by `staging`;
//  - a Bind mount with a sub_path gets the directory made under its source (or mounts the file
//    there), staged the same way; a read-only Bind mount only opens what exists;
//  - other mounts are returned as they are (sub_path "" or ".").
base::Result<std::vector<engine::VolumeMount>> resolve_sub_paths(
    const DockerClient& client, std::vector<engine::VolumeMount> mounts, const std::string& where,
    SubPathStaging& staging);

}  // namespace kfrun::docker
