#pragma once
// Where a KFP v2 importer's artifact is read on this host. The backend's importer accepts only
// remote URIs (gs://, s3://, minio://, mem://, oci://) and downloads nothing; kfrun has no object
// store, so a remote URI is read from the folder an --artifact-map PREFIX=DIR gives its prefix,
// and a local path (`/data/x` or `file:///data/x`, a kfrun extension as in kfp.local) must lie in
// an --allow-host-path grant. The URI comes from the pipeline (hostile input): it is checked
// lexically here (no `..`, no control characters, bounded) and read by the store without
// following a link below the folder (ArtifactStore::ingest_beneath). Pure.
#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "engine/container_runtime.hpp"
#include "engine/run_options.hpp"

namespace kfrun::engine {

struct ImportSource {
    std::filesystem::path root;  // the --artifact-map folder or the --allow-host-path grant
    std::string relative;        // below `root` ("" for root itself)
};

// `uri` after placeholders. An error (kind Input) says why it cannot be read and which flag
// would allow it.
base::Result<ImportSource> importer_source(const std::string& uri,
                                           const std::vector<ArtifactMapping>& artifact_map,
                                           const std::vector<HostPathGrant>& grants);

// The path where a consumer's container finds an imported local artifact: `file:///x` → `/x`,
// `/x` → `/x`; "" for other URIs.
std::string imported_local_path(const std::string& uri);

}  // namespace kfrun::engine
