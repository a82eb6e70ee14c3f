#pragma once
// RunFiles: what the renderers may read besides report.json: the step logs in the run
// directory, the artifact store, and the artifacts exported next to the report.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "engine/artifact_store.hpp"
#include "report/artifact_export.hpp"

namespace kfrun::report {

struct LogExcerpt {
    bool found = false;
    std::string text;                // the whole log, or its last part
    std::uintmax_t total_bytes = 0;  // the log's size on disk
    bool truncated = false;          // text holds only the end of the log
    std::string relative_path;       // as report.json gives it (for a link)
};

class RunFiles {
  public:
    // `store` may be null: artifact contents are then unavailable.
    RunFiles(std::filesystem::path run_dir, engine::ArtifactStore* store,
             std::vector<ExportedArtifact> exported = {});

    const std::filesystem::path& run_dir() const { return m_run_dir; }
    bool has_store() const { return m_store != nullptr; }

    // The step's log (report "logFile", relative to the run dir). When it is larger than
    // max_bytes, only its end, starting at a line break. Without a log file, "logTail".
    LogExcerpt read_log(const nlohmann::json& step, std::size_t max_bytes) const;

    // The bytes of a file artifact described by a report.json artifact entry.
    base::Result<std::string> read_artifact(const nlohmann::json& artifact,
                                            std::size_t max_bytes) const;
    // A file below an exported directory artifact; `sub_path` is relative and may not leave it.
    base::Result<std::string> read_exported_file(const ExportedArtifact& exported,
                                                 std::string_view sub_path,
                                                 std::size_t max_bytes) const;

    const ExportedArtifact* exported(std::string_view step_id, std::string_view name) const;
    // An exported output with this content, for linking a step's inputs to their producer.
    const ExportedArtifact* exported_with_digest(std::string_view digest) const;

  private:
    std::filesystem::path m_run_dir;
    engine::ArtifactStore* m_store;
    std::vector<ExportedArtifact> m_exported;
};

// The last `max_lines` lines of `text` (without a trailing empty line).
std::string last_lines(std::string_view text, std::size_t max_lines);

}  // namespace kfrun::report
