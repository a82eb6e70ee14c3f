#pragma once
// An empty directory as a stored artifact: placed at a container path, it makes that directory
// exist before the command starts (the KFP launcher creates the folders of output files).
#include "base/result.hpp"
#include "engine/artifact_store.hpp"

namespace kfrun::engine {

// Stores an empty directory (mode 0777, as an emptyDir: any user of the image may write there).
base::Result<ArtifactRef> ingest_empty_directory(ArtifactStore& store);

}  // namespace kfrun::engine
