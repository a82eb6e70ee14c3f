#pragma once
// Where a viewer's data comes from (mlpipeline-ui-metadata `source`), resolved offline:
//   storage: inline                  → the source text is the data
//   a path of the step's own outputs → that artifact's stored bytes (or a file inside an
//                                      exported directory artifact)
//   minio:// s3:// gs:// to this run → the stored artifact, when the key names a step of this
//                                      run (KFP's ".../<pod name>/<artifact>.tgz" keys) or an
//                                      artifact name found in this run
//   anything else                    → not available offline (a notice with the URI)
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "report/run_files.hpp"
#include "report/run_view.hpp"

namespace kfrun::report {

struct StorageUri {
    std::string scheme;  // minio, s3, gs
    std::string bucket;
    std::string key;  // without a leading '/'
};
std::optional<StorageUri> parse_storage_uri(std::string_view uri);

// An output artifact of some step of the run that a source names.
struct ArtifactMatch {
    const StepInfo* step = nullptr;
    const nlohmann::json* artifact = nullptr;  // the report.json outputs.artifacts entry
    std::string sub_path;                      // a file inside a directory artifact, or empty
    std::string how;                           // why it matched, for the reader
};
std::optional<ArtifactMatch> match_source(const RunView& run, const StepInfo& step,
                                          std::string_view source);

struct ResolvedSource {
    bool available = false;
    std::string data;        // the viewer's input, when available
    std::string origin;      // "inline", "output artifact `x`", ... (plain text)
    std::string uri;         // the source as written (not for inline)
    std::string notice;      // why it is unavailable (plain text)
    std::string local_path;  // an exported artifact directory/file, relative to the run dir
};

inline constexpr std::size_t k_max_viewer_bytes = 16 * 1024 * 1024;

// Reads the data of `viewer` for `step`. Directory-valued sources (tensorboard) resolve to a
// local_path with no data. Never fails: problems become a notice.
ResolvedSource resolve_source(const RunView& run, const StepInfo& step,
                              const nlohmann::json& viewer, const RunFiles& files);

}  // namespace kfrun::report
