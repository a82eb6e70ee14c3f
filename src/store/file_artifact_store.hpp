#pragma once
// FileArtifactStore: the content-addressed ArtifactStore on the local filesystem.
// Layout, formats and guarantees: src/store/README.md.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "engine/artifact_store.hpp"
#include "store/blob_layout.hpp"
#include "store/tree_manifest.hpp"

namespace kfrun::store {

class FileArtifactStore final : public engine::ArtifactStore {
  public:
    // Opens (creating if needed) a store at `root`: root/kfrun-store (format marker),
    // root/blobs/sha256/, root/tmp/. Fails on a store of another format version. The root is
    // made 0700 (an existing one of this user's is tightened to 0700).
    static base::Result<std::unique_ptr<FileArtifactStore>> open(const std::filesystem::path& root);

    base::Result<engine::ArtifactRef> ingest_tar(engine::ByteSource& tar) override;
    base::Result<engine::ArtifactRef> ingest_path(const std::filesystem::path& path) override;
    base::Result<engine::ArtifactRef> ingest_beneath(const std::filesystem::path& root,
                                                     const std::string& relative) override;
    base::Result<engine::ArtifactRef> ingest_bytes(std::string_view bytes) override;

    base::Result<void> materialize(const engine::ArtifactRef& artifact,
                                   const std::filesystem::path& destination) override;
    base::Result<void> export_copy(const engine::ArtifactRef& artifact, int parent_fd,
                                   const std::string& name, const std::string& where) override;
    base::Result<std::string> read_text(const engine::ArtifactRef& artifact,
                                        std::size_t max_bytes) override;
    bool contains(const engine::ArtifactRef& artifact, bool deep) override;
    std::filesystem::path blob_path(const engine::ArtifactRef& artifact) const override;

    // The parsed manifest of a directory artifact.
    base::Result<TreeManifest> load_manifest(const engine::ArtifactRef& artifact) const;
    const std::filesystem::path& root() const { return m_layout.root(); }

  private:
    explicit FileArtifactStore(std::filesystem::path root) : m_layout(std::move(root)) {}

    base::Result<void> materialize_file(const engine::ArtifactRef& artifact,
                                        const std::filesystem::path& destination);
    bool blob_intact(std::string_view digest, bool deep) const;
    // Copies file artifact `artifact` into the new file `out`, verified; `where` names it.
    base::Result<void> copy_file_artifact(const engine::ArtifactRef& artifact, int out,
                                          const std::string& where) const;

    BlobLayout m_layout;
};

}  // namespace kfrun::store
