#pragma once
// ArtifactRef: the content identity of a stored output (a file or a directory tree).
#include <cstdint>
#include <string>

namespace kfrun::engine {

struct ArtifactRef {
    enum class Kind { File, Directory };
    Kind kind = Kind::File;
    // Lower-case hex SHA-256: of the file's bytes, or of the directory's canonical tree manifest
    // (see src/store/README.md). Equal digests mean equal content.
    std::string digest;
    std::uint64_t size = 0;        // bytes of regular files
    std::uint64_t file_count = 0;  // regular files (1 for a file artifact)

    bool is_directory() const { return kind == Kind::Directory; }
    friend bool operator==(const ArtifactRef&, const ArtifactRef&) = default;
};

}  // namespace kfrun::engine
