#pragma once
// PathIngester: stores a host file or directory. Symlinks inside a directory are stored as
// links and never followed; devices, fifos and sockets are skipped.
#include <filesystem>

#include "base/result.hpp"
#include "engine/artifact.hpp"
#include "store/blob_layout.hpp"

namespace kfrun::store {

class PathIngester {
  public:
    explicit PathIngester(const BlobLayout& layout) : m_layout(layout) {}

    // A symlink given as `path` itself is rejected, as a top-level link in a tar is.
    base::Result<engine::ArtifactRef> ingest(const std::filesystem::path& path);

  private:
    const BlobLayout& m_layout;
};

}  // namespace kfrun::store
