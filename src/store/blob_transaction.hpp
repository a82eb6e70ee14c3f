#pragma once
// BlobTransaction: collects the staged blobs of one ingest and publishes them together.
// Nothing reaches blobs/ before commit(); destroying an uncommitted transaction removes
// every temp file it holds, so a failed ingest leaves nothing behind.
#include <string>
#include <unordered_set>
#include <vector>

#include "base/result.hpp"
#include "engine/artifact.hpp"
#include "store/blob_layout.hpp"
#include "store/staged_blob.hpp"
#include "store/tree_manifest.hpp"

namespace kfrun::store {

class BlobTransaction {
  public:
    explicit BlobTransaction(const BlobLayout& layout) : m_layout(layout) {}
    BlobTransaction(const BlobTransaction&) = delete;
    BlobTransaction& operator=(const BlobTransaction&) = delete;

    // Takes the temp file. A digest already staged here is dropped at once (deduplication).
    void add(StagedBlob blob);
    // Renames every staged file to blobs/sha256/<xx>/<rest> (creating the shard directory).
    // Renaming over an existing blob is fine: same name, same content.
    base::Result<void> commit();
    // Adds `file` and commits: the reference of a file artifact.
    base::Result<engine::ArtifactRef> commit_file(StagedBlob file);
    // Adds the manifest's text form and commits: the reference of a directory artifact.
    base::Result<engine::ArtifactRef> commit_tree(const TreeManifest& manifest);

  private:
    const BlobLayout& m_layout;
    std::vector<StagedBlob> m_blobs;
    std::unordered_set<std::string> m_digests;
};

}  // namespace kfrun::store
