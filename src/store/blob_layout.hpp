#pragma once
// BlobLayout: where things live under a store root (see README.md, "Layout").
#include <filesystem>
#include <string_view>

namespace kfrun::store {

class BlobLayout {
  public:
    explicit BlobLayout(std::filesystem::path root) : m_root(std::move(root)) {}

    const std::filesystem::path& root() const { return m_root; }
    std::filesystem::path blobs_dir() const { return m_root / "blobs" / "sha256"; }
    std::filesystem::path tmp_dir() const { return m_root / "tmp"; }
    std::filesystem::path format_file() const { return m_root / "kfrun-store"; }
    // blobs/sha256/<first 2 hex>/<other 62 hex>. `digest` must satisfy is_valid_digest.
    std::filesystem::path shard_dir(std::string_view digest) const {
        return blobs_dir() / std::string(digest.substr(0, 2));
    }
    std::filesystem::path blob_path(std::string_view digest) const {
        return shard_dir(digest) / std::string(digest.substr(2));
    }

    // 64 lower-case hex characters: the only digests that may become paths.
    static bool is_valid_digest(std::string_view digest) {
        if (digest.size() != 64) {
            return false;
        }
        for (char c : digest) {
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

  private:
    std::filesystem::path m_root;
};

}  // namespace kfrun::store
