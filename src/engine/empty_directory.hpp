#pragma once
// An empty, world-writable folder as a stored artifact: placed at a container path, it makes a
// folder exist before the command starts (the KFP launcher creates the folders of output files).
#include <set>
#include <string>

#include "base/result.hpp"
#include "engine/artifact_store.hpp"

namespace kfrun::engine {

// A stored tree holding the empty folders `names` (one path component each), mode 0777 (as an
// emptyDir: any user of the image may write there; a tree's own root is always materialized
// 0755, so the folders are entries below it). Place it at the folders' parent.
base::Result<ArtifactRef> ingest_empty_folders(ArtifactStore& store,
                                               const std::set<std::string>& names);

}  // namespace kfrun::engine
