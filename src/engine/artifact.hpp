#pragma once
// ArtifactRef: the content identity of a stored output (a file or a directory tree).
#include <cstdint>
#include <optional>
#include <string>

namespace kfrun::engine {

// What a typed artifact (KFP v2) carries beside its content, from the step that wrote it to
// every consumer, through task and DAG outputs, the step cache and report.json.
struct ArtifactInfo {
    // A stable ID (decimal digits, derived from uri, content and metadata): what a consumer's
    // executor input names the artifact, where the backend gives the MLMD artifact ID.
    std::string id;
    std::string uri;             // e.g. minio://kfrun/v2/artifacts/<pipeline>/<task path>/<output>
    std::string schema_title;    // e.g. system.Dataset
    std::string schema_version;  // e.g. 0.0.1
    // A JSON object (compact text): the declared metadata merged with executor_output.json's,
    // as the executor wrote it (the MLMD form consumers see is derived from it).
    std::string metadata = "{}";
    friend bool operator==(const ArtifactInfo&, const ArtifactInfo&) = default;
};

struct ArtifactRef {
    enum class Kind { File, Directory };
    Kind kind = Kind::File;
    // Lower-case hex SHA-256: of the file's bytes, or of the directory's canonical tree manifest
    // (see src/store/README.md). Equal digests mean equal content.
    std::string digest;
    std::uint64_t size = 0;        // bytes of regular files
    std::uint64_t file_count = 0;  // regular files (1 for a file artifact)
    // Typed artifacts only. A typed output whose file the step never wrote is still recorded
    // (as the KFP launcher does): it has `typed` and an empty digest (no content).
    std::optional<ArtifactInfo> typed;

    bool is_directory() const { return kind == Kind::Directory; }
    bool has_content() const { return !digest.empty(); }
    friend bool operator==(const ArtifactRef&, const ArtifactRef&) = default;
};

}  // namespace kfrun::engine
