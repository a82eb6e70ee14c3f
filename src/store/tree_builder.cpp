#include "store/tree_builder.hpp"

#include <utility>
#include <vector>

#include "store/store_error.hpp"

namespace kfrun::store {

namespace {

base::Error tree_error(const std::string& path, std::string message) {
    return input_error("entry " + escape_manifest_field(path), std::move(message));
}

}  // namespace

base::Result<void> TreeBuilder::prepare(const std::string& path, bool is_directory) {
    if (path.empty()) {
        return tree_error(path, "empty path");
    }
    for (std::size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
        std::string parent = path.substr(0, slash);
        auto [it, inserted] = m_nodes.try_emplace(parent);
        if (inserted) {
            it->second.entry = TreeEntry{TreeEntry::Type::Directory, parent, 0755, 0, {}, {}};
            continue;
        }
        if (it->second.skipped || it->second.entry.type != TreeEntry::Type::Directory) {
            const bool link =
                !it->second.skipped && it->second.entry.type == TreeEntry::Type::Symlink;
            return tree_error(path, link ? "entry below a symlink" : "entry below a non-directory");
        }
    }
    auto it = m_nodes.find(path);
    if (it != m_nodes.end()) {
        const bool both_directories = is_directory && !it->second.skipped &&
                                      it->second.entry.type == TreeEntry::Type::Directory;
        if (!both_directories) {
            return tree_error(path, "duplicate entry");
        }
    }
    return base::ok();
}

base::Result<void> TreeBuilder::add_directory(const std::string& path, std::uint32_t mode) {
    KFRUN_TRY(prepare(path, true));
    m_nodes[path].entry = TreeEntry{TreeEntry::Type::Directory, path, mode & 0777, 0, {}, {}};
    return base::ok();
}

base::Result<void> TreeBuilder::add_file(const std::string& path, std::uint32_t mode,
                                         std::string digest, std::uint64_t size) {
    KFRUN_TRY(prepare(path, false));
    m_nodes[path].entry =
        TreeEntry{TreeEntry::Type::File, path, mode & 0777, size, std::move(digest), {}};
    return base::ok();
}

base::Result<void> TreeBuilder::add_symlink(const std::string& path, std::string target) {
    if (target.empty()) {
        return tree_error(path, "symlink with an empty target");
    }
    KFRUN_TRY(prepare(path, false));
    m_nodes[path].entry = TreeEntry{TreeEntry::Type::Symlink, path, 0, 0, {}, std::move(target)};
    return base::ok();
}

base::Result<void> TreeBuilder::add_hardlink(const std::string& path, const std::string& existing) {
    auto it = m_nodes.find(existing);
    if (it == m_nodes.end() || it->second.skipped ||
        it->second.entry.type != TreeEntry::Type::File) {
        return tree_error(
            path, "hard link to a missing or non-regular entry " + escape_manifest_field(existing));
    }
    TreeEntry copy = it->second.entry;  // copied before prepare() may rebalance the map
    KFRUN_TRY(prepare(path, false));
    copy.path = path;
    m_nodes[path].entry = std::move(copy);
    return base::ok();
}

base::Result<void> TreeBuilder::add_skipped(const std::string& path) {
    KFRUN_TRY(prepare(path, false));
    Node& node = m_nodes[path];
    node.entry.path = path;
    node.skipped = true;
    return base::ok();
}

base::Result<TreeManifest> TreeBuilder::finish() && {
    std::vector<TreeEntry> entries;
    entries.reserve(m_nodes.size());
    for (auto& [path, node] : m_nodes) {
        if (!node.skipped) {
            entries.push_back(std::move(node.entry));
        }
    }
    m_nodes.clear();
    auto manifest = TreeManifest::build(std::move(entries));
    if (!manifest) {
        return input_error(manifest.error().where, manifest.error().message);
    }
    return manifest;
}

}  // namespace kfrun::store
