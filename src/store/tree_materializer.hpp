#pragma once
// TreeMaterializer: recreates a directory artifact from its entries. Every path is created
// relative to an already opened directory, one component at a time with O_NOFOLLOW, so a
// symlink in the tree (or a manifest that was tampered with) can never redirect a write
// outside the destination.
#include <filesystem>
#include <span>
#include <string>

#include "base/result.hpp"
#include "store/blob_layout.hpp"
#include "store/tree_manifest.hpp"
#include "store/unique_fd.hpp"

namespace kfrun::store {

class TreeMaterializer {
  public:
    explicit TreeMaterializer(const BlobLayout& layout) : m_layout(layout) {}

    // Creates `destination` (0755; it must not exist, its parents are created), then every
    // entry in order (parents before children). Directory modes are applied last, deepest
    // first. On failure, what was created is removed.
    base::Result<void> materialize(std::span<const TreeEntry> entries,
                                   const std::filesystem::path& destination);

  private:
    base::Result<void> create_all(std::span<const TreeEntry> entries, int root_fd,
                                  const std::filesystem::path& destination);
    base::Result<void> create_entry(const TreeEntry& entry, int parent_fd, const std::string& name,
                                    const std::string& where);
    // The directory `relative` below `root_fd` ("" is the root itself), opened without
    // following links. Caches the last one, as consecutive entries usually share a parent.
    base::Result<int> open_parent(int root_fd, const std::string& relative,
                                  const std::string& where);

    const BlobLayout& m_layout;
    std::string m_cached_path;
    UniqueFd m_cached_fd;
};

// Opens directory `relative` below `root_fd` component by component, refusing links.
base::Result<UniqueFd> open_directory_beneath(int root_fd, const std::string& relative,
                                              const std::string& where);

}  // namespace kfrun::store
