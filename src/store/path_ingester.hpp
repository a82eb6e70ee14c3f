#pragma once
// PathIngester: stores a host file or directory. Symlinks inside a directory are stored as
// links and never followed; devices, fifos and sockets are skipped.
#include <filesystem>

#include "base/result.hpp"
#include "engine/artifact.hpp"
#include "store/blob_layout.hpp"
#include "store/unique_fd.hpp"

namespace kfrun::store {

class PathIngester {
  public:
    explicit PathIngester(const BlobLayout& layout) : m_layout(layout) {}

    // A symlink given as `path` itself is rejected, as a top-level link in a tar is.
    base::Result<engine::ArtifactRef> ingest(const std::filesystem::path& path);
    // Stores `root`/`relative` without following a link below `root` (each component is opened
    // from the one before with O_NOFOLLOW; `..` is refused): a link on the way is an error.
    base::Result<engine::ArtifactRef> ingest_beneath(const std::filesystem::path& root,
                                                     const std::string& relative);

  private:
    base::Result<engine::ArtifactRef> ingest_open(UniqueFd fd, const std::filesystem::path& path);

    const BlobLayout& m_layout;
};

}  // namespace kfrun::store
