#pragma once
// Which Docker volumes a pipeline may use by name. A PersistentVolumeClaim's name (and a
// VolumeSnapshot's) is the name of a Docker volume on the daemon, and the daemon's volumes are
// not the pipeline's: another project's database, a CI cache, a volume of another run. A claim
// may use a volume that does not exist yet (Docker or kfrun then makes it, labelled as the
// claim's) or one kfrun made for that same claim before (label org.kfrun.pvc=<claim>), as a
// PVC outlives a run on a cluster. Any other volume only when the command line names it with
// --allow-volume: mounted, copied from, or removed by a DeletePVC.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::engine {

inline constexpr const char* k_claim_label = "org.kfrun.pvc";
inline constexpr const char* k_snapshot_label = "org.kfrun.snapshot";

// What a volume stands for: a claim (k_claim_label) or a snapshot (k_snapshot_label) by name.
struct VolumeOwner {
    const char* label = k_claim_label;
    std::string name;
};

// True when a volume with `labels` was made by kfrun for `owner` (owner.label=owner.name).
bool made_for(const std::map<std::string, std::string>& labels, const VolumeOwner& owner);

// OK when `volume` is missing on the daemon, carries owner.label=owner.name, or is named in
// `allowed`; else a Step error that names the volume, the use and the flag. `use` says what
// would be done ("mount", "copy", "remove").
base::Result<void> check_volume_use(ContainerRuntime& runtime, const std::string& volume,
                                    const VolumeOwner& owner,
                                    const std::vector<std::string>& allowed, std::string_view use);

// check_volume_use for every claim volume the step's containers mount (main, init, sidecars):
// the Volume mounts labelled with k_claim_label.
base::Result<void> check_claim_mounts(ContainerRuntime& runtime, const StepSpec& spec,
                                      const std::vector<std::string>& allowed);

}  // namespace kfrun::engine
