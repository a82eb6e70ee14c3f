#pragma once
// TreeMaterializer: recreates a directory artifact from its entries. Every path is created
// relative to an already opened directory, one component at a time with O_NOFOLLOW, so a
// symlink in the tree (or a manifest that was tampered with) can never redirect a write
// outside the destination.
#include <filesystem>
#include <span>
#include <string>
#include <unordered_set>

#include "base/result.hpp"
#include "store/blob_layout.hpp"
#include "store/tree_manifest.hpp"
#include "store/unique_fd.hpp"

namespace kfrun::store {

// What becomes of the tree's symbolic links. Keep: for a container's inputs, where the step's
// own view of its links is the point. StubOutside: for copies people open on the host (a
// run's artifacts/ folder, an output folder): a link that points outside the tree (absolute,
// `..` above its root, or through another link of the tree) becomes a small text file saying
// where it pointed, so an archiver that follows links copies no host file. Links that stay
// inside remain links. Its files and folders keep only their owner's bits of the recorded modes
// (0644 → 0600, 0755 → 0700; the top folder 0700), as everything else kfrun writes there.
enum class LinkPolicy { Keep, StubOutside };

// True when link `entry` (a Symlink entry) leaves the tree; `links` holds the paths of all
// links of the tree.
bool link_leaves_tree(const TreeEntry& entry, const std::unordered_set<std::string>& links);
// The text that replaces a link that leaves the tree.
std::string link_stub_text(const std::string& target);

class TreeMaterializer {
  public:
    explicit TreeMaterializer(const BlobLayout& layout, LinkPolicy links = LinkPolicy::Keep)
        : m_layout(layout), m_links(links) {}

    // Creates `destination` (0755, or 0700 for StubOutside; it must not exist, its parents are
    // created), then every entry in order (parents before children). Directory modes are
    // applied last, deepest first. Every file is checked against its digest as it is copied (a
    // damaged blob is removed from the store and fails the copy). On failure, what was created is
    // removed.
    base::Result<void> materialize(std::span<const TreeEntry> entries,
                                   const std::filesystem::path& destination);
    // The same, creating `name` in the open directory `parent_fd` (`where` names it in errors).
    base::Result<void> materialize_at(std::span<const TreeEntry> entries, int parent_fd,
                                      const std::string& name, const std::string& where);

  private:
    base::Result<void> create_all(std::span<const TreeEntry> entries, int root_fd,
                                  const std::string& destination);
    base::Result<void> create_entry(const TreeEntry& entry, int parent_fd, const std::string& name,
                                    const std::string& where);
    // The directory `relative` below `root_fd` ("" is the root itself), opened without
    // following links. Caches the last one, as consecutive entries usually share a parent.
    base::Result<int> open_parent(int root_fd, const std::string& relative,
                                  const std::string& where);
    // The mode an entry gets: as recorded, or only its owner's bits for a copy people open.
    unsigned mode_of(const TreeEntry& entry) const {
        return m_links == LinkPolicy::StubOutside ? entry.mode & 0700u : entry.mode & 0777u;
    }

    const BlobLayout& m_layout;
    LinkPolicy m_links;
    std::unordered_set<std::string> m_link_paths;
    std::string m_cached_path;
    UniqueFd m_cached_fd;
};

// Opens directory `relative` below `root_fd` component by component, refusing links.
base::Result<UniqueFd> open_directory_beneath(int root_fd, const std::string& relative,
                                              const std::string& where);

}  // namespace kfrun::store
