#include "store/blob_gc.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <optional>
#include <vector>

#include "store/blob_layout.hpp"
#include "store/store_error.hpp"
#include "store/tree_manifest.hpp"

namespace kfrun::store {
namespace fs = std::filesystem;

namespace {

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// The blob's text when it starts like a tree manifest (nullopt otherwise).
std::optional<std::string> manifest_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    char head[TreeManifest::k_magic.size() + 1] = {};
    if (!in.read(head, sizeof head) || std::string_view(head, sizeof head) != "kfrun-tree ") {
        return std::nullopt;
    }
    in.seekg(0);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

base::SystemTime modified_at(const struct stat& info) {
    return base::SystemTime(std::chrono::duration_cast<base::SystemTime::duration>(
        std::chrono::seconds(info.st_mtim.tv_sec) +
        std::chrono::nanoseconds(info.st_mtim.tv_nsec)));
}

}  // namespace

void collect_digests(std::string_view text, std::set<std::string>& digests) {
    std::size_t run = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && is_hex(text[i])) {
            ++run;
            continue;
        }
        if (run == 64) {
            digests.emplace(text.substr(i - 64, 64));
        }
        run = 0;
    }
}

std::set<std::string> reachable_blobs(const fs::path& store_root,
                                      const std::set<std::string>& roots) {
    const BlobLayout layout(store_root);
    std::set<std::string> reached;
    std::vector<std::string> pending(roots.begin(), roots.end());
    while (!pending.empty()) {
        std::string digest = std::move(pending.back());
        pending.pop_back();
        if (!BlobLayout::is_valid_digest(digest) || !reached.insert(digest).second) {
            continue;
        }
        auto text = manifest_text(layout.blob_path(digest));
        if (!text) {
            continue;
        }
        auto manifest = TreeManifest::parse(*text);
        if (!manifest.ok()) {
            continue;
        }
        for (const TreeEntry& entry : manifest->entries()) {
            if (entry.type == TreeEntry::Type::File && reached.count(entry.digest) == 0) {
                pending.push_back(entry.digest);
            }
        }
    }
    return reached;
}

base::Result<BlobGcResult> collect_blobs(const fs::path& store_root,
                                         const std::set<std::string>& roots,
                                         const BlobGcOptions& options) {
    BlobGcResult result;
    const BlobLayout layout(store_root);
    const std::set<std::string> reached = reachable_blobs(store_root, roots);
    std::error_code ec;
    for (fs::directory_iterator shard(layout.blobs_dir(), ec), end; !ec && shard != end;
         shard.increment(ec)) {
        const std::string prefix = shard->path().filename().string();
        if (prefix.size() != 2 || !shard->is_directory()) {
            continue;
        }
        std::error_code inner;
        for (fs::directory_iterator blob(shard->path(), inner), stop; !inner && blob != stop;
             blob.increment(inner)) {
            const std::string digest = prefix + blob->path().filename().string();
            struct stat info {};
            if (!BlobLayout::is_valid_digest(digest) || ::lstat(blob->path().c_str(), &info) != 0 ||
                !S_ISREG(info.st_mode)) {
                continue;  // not a blob: never ours to remove
            }
            const auto size = static_cast<std::uint64_t>(info.st_size);
            if (reached.count(digest) != 0 || modified_at(info) > options.keep_newer_than) {
                ++result.blobs_kept;
                result.bytes_kept += size;
                continue;
            }
            if (!options.dry_run && ::unlink(blob->path().c_str()) != 0 && errno != ENOENT) {
                return io_error(blob->path().string(), "removing an unreferenced blob");
            }
            ++result.blobs_removed;
            result.bytes_removed += size;
        }
    }
    for (fs::directory_iterator temp(layout.tmp_dir(), ec), end; !ec && temp != end;
         temp.increment(ec)) {
        struct stat info {};
        if (::lstat(temp->path().c_str(), &info) != 0 || !S_ISREG(info.st_mode) ||
            modified_at(info) >= options.temp_older_than) {
            continue;
        }
        if (!options.dry_run && ::unlink(temp->path().c_str()) != 0 && errno != ENOENT) {
            continue;
        }
        ++result.temp_removed;
        result.temp_bytes_removed += static_cast<std::uint64_t>(info.st_size);
    }
    return result;
}

}  // namespace kfrun::store
