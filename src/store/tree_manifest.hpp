#pragma once
// TreeManifest: the canonical, versioned description of a directory artifact. Its text form
// (see README.md, "Tree manifest") is stored as a blob; its SHA-256 is the directory's digest.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace kfrun::store {

struct TreeEntry {
    enum class Type { Directory, File, Symlink };
    Type type = Type::File;
    std::string path;        // relative, '/'-separated, no empty, "." or ".." component
    std::uint32_t mode = 0;  // permission bits (0 to 0777) of directories and files
    std::uint64_t size = 0;  // files
    std::string digest;      // files: SHA-256 of the bytes
    std::string target;      // symlinks: the link text, never resolved

    friend bool operator==(const TreeEntry&, const TreeEntry&) = default;
};

class TreeManifest {
  public:
    static constexpr std::string_view k_magic = "kfrun-tree";
    static constexpr int k_version = 1;

    // Sorts the entries by path (bytewise) and checks them: valid paths, no duplicates, every
    // parent is a directory entry (so nothing lies below a file or a symlink), modes <= 0777,
    // file digests are 64 lower-case hex characters, link targets are non-empty.
    static base::Result<TreeManifest> build(std::vector<TreeEntry> entries);
    // Parses the text form; rejects an unknown version and any non-canonical spelling.
    static base::Result<TreeManifest> parse(std::string_view text);

    std::string serialize() const;
    const std::vector<TreeEntry>& entries() const { return m_entries; }
    std::uint64_t total_file_size() const;
    std::uint64_t file_count() const;

  private:
    explicit TreeManifest(std::vector<TreeEntry> entries) : m_entries(std::move(entries)) {}

    std::vector<TreeEntry> m_entries;
};

// Percent-escapes '%', bytes <= 0x20 (space, newline, controls) and 0x7f as "%XX" (upper-case
// hex); every other byte, UTF-8 included, is kept as is.
std::string escape_manifest_field(std::string_view text);
// The inverse; fails on a malformed or non-canonical escape or an unescaped special byte.
base::Result<std::string> unescape_manifest_field(std::string_view text);

}  // namespace kfrun::store
