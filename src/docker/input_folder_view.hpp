#pragma once
// InputFolderView: finds a stopped container's output path in the host folders kfrun staged and
// bind-mounted into it (the step's inputs, `<scratch>/<container>/inputs/<i>/<leaf>`), so that
// outputs written under an input mount are read straight from the host instead of through
// GET /containers/{id}/archive (one Docker call per path, 35-60 ms each). KFP v2 steps write
// every output there: the parameter files under /tmp/kfp/outputs, executor_output.json and the
// output artifacts under the task root are all in folders kfrun places as inputs.
//
// A path is answered only when the deepest mount point at or above it (inspect's Mounts, the
// tmpfs mounts and the mounts every container gets) is one of these binds, and no mount lies
// below it: then what the container saw there is exactly the host folder's content. The walk
// from the bind's host folder opens each directory with O_NOFOLLOW|O_DIRECTORY relative to the
// one before, so a symbolic link the step planted on the way (`/tmp/kfp/outputs -> /`) is never
// followed on the host; such a path, a link as the last component and anything not a plain file
// or directory are Unresolved and left to the archive, which resolves them inside the container
// as before. The entry found is named through its open parent directory
// (`/proc/self/fd/<n>/<name>`), so a reader that opens it with O_NOFOLLOW gets that very entry.
//
// Only valid for a container that is not running (nothing may write the folders meanwhile).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "docker/container_config.hpp"
#include "docker/unique_fd.hpp"

namespace kfrun::docker {

struct FolderEntry {
    enum class Kind { File, Directory, Missing, Unresolved };
    Kind kind = Kind::Unresolved;
    // File and Directory: a path reaching exactly the entry while `parent` stays open.
    std::filesystem::path host_path;
    UniqueFd parent;     // the directory holding it (invalid when it is the bind's own root)
    std::string reason;  // Unresolved: why the folders cannot answer
};

class InputFolderView {
  public:
    // `binds`: the step's staged inputs as given to Docker; `mount_points`: the container's mount
    // points (ContainerDetails::mount_points; the implied ones are added).
    InputFolderView(std::vector<InputBind> binds, std::vector<std::string> mount_points);

    FolderEntry locate(std::string_view container_path) const;

  private:
    // The bind whose folder holds `container_path` as the container saw it, or null.
    const InputBind* owning_bind(std::string_view container_path,
                                 std::size_t& bind_components) const;

    std::vector<InputBind> m_binds;
    std::vector<std::string> m_mount_points;
};

}  // namespace kfrun::docker
