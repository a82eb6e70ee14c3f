#pragma once
// TreeBuilder: collects the entries of a directory artifact in any order (as a tar stream or a
// directory walk yields them), enforcing the tree rules as it goes: nothing below a symlink or
// a file, no conflicting duplicates, missing parents become 0755 directories.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "store/tree_manifest.hpp"

namespace kfrun::store {

class TreeBuilder {
  public:
    // A directory seen twice keeps the mode it was given last.
    base::Result<void> add_directory(const std::string& path, std::uint32_t mode);
    base::Result<void> add_file(const std::string& path, std::uint32_t mode, std::string digest,
                                std::uint64_t size);
    base::Result<void> add_symlink(const std::string& path, std::string target);
    // A hard link becomes a copy of `existing`, which must be a file added earlier.
    base::Result<void> add_hardlink(const std::string& path, const std::string& existing);
    // A device, fifo or socket: not stored, but nothing may be added below it either.
    base::Result<void> add_skipped(const std::string& path);

    base::Result<TreeManifest> finish() &&;

  private:
    struct Node {
        TreeEntry entry;
        bool skipped = false;
    };
    // Checks the parents of `path` (adding missing ones) and that `path` itself is new.
    base::Result<void> prepare(const std::string& path, bool is_directory);

    std::map<std::string, Node> m_nodes;
};

}  // namespace kfrun::store
