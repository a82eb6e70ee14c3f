#pragma once
// ArtifactStore: the content-addressed store where step outputs live (implemented in src/store).
#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "engine/artifact.hpp"
#include "engine/byte_source.hpp"

namespace kfrun::engine {

class ArtifactStore {
public:
    virtual ~ArtifactStore() = default;

    // Stores the single top-level entry of a tar stream laid out as Docker's
    // GET /containers/{id}/archive writes it: a file `name`, or a directory `name/` with
    // entries under `name/...`. Links are stored as links and never followed; absolute names,
    // `..` components and entries below a link are rejected. Memory does not grow with size.
    // Nothing partial is left in the store when this fails.
    virtual base::Result<ArtifactRef> ingest_tar(ByteSource& tar) = 0;
    // Stores a host file or directory (for --input-file and tests).
    virtual base::Result<ArtifactRef> ingest_path(const std::filesystem::path& path) = 0;
    // Stores `root`/`relative` (a KFP importer's artifact): `root` is a folder the user named
    // (--artifact-map, --allow-host-path) and is opened as given; below it no symbolic link is
    // followed and no `..` accepted, so a URI a pipeline controls cannot leave the folder.
    virtual base::Result<ArtifactRef> ingest_beneath(const std::filesystem::path& root,
                                                     const std::string& relative) = 0;
    // Stores bytes as a file artifact (raw artifacts, small generated content).
    virtual base::Result<ArtifactRef> ingest_bytes(std::string_view bytes) = 0;

    // Recreates the artifact at `destination`, which must not exist (its parents are created).
    virtual base::Result<void> materialize(const ArtifactRef& artifact,
                                           const std::filesystem::path& destination) = 0;
    // Copies the artifact for people on the host (a run's artifacts/ folder, an output folder)
    // as `name` in the open directory `parent_fd`, which must not hold it yet: a copy, never a
    // link into the store, checked against its digest as it is read (a damaged blob is removed
    // from the store and fails the export); files 0600 (a tree: the owner's bits of its
    // recorded modes, under a 0700 top folder); a
    // link that points outside the tree becomes a small text file saying where it pointed.
    // `where` names the destination in errors.
    virtual base::Result<void> export_copy(const ArtifactRef& artifact, int parent_fd,
                                           const std::string& name, const std::string& where) = 0;
    // The bytes of a file artifact; an error if it is a directory or larger than max_bytes.
    virtual base::Result<std::string> read_text(const ArtifactRef& artifact,
                                                std::size_t max_bytes) = 0;
    // True when every blob the artifact needs is present (deep: and re-hashes to its digest; a
    // blob that does not is removed from the store, so it is written again by the next ingest).
    virtual bool contains(const ArtifactRef& artifact, bool deep) = 0;
    // Host path of a file artifact's blob, for links in reports. Empty for directories.
    virtual std::filesystem::path blob_path(const ArtifactRef& artifact) const = 0;
};

}  // namespace kfrun::engine
