#pragma once
// Copies each step's output artifacts out of the store into the run directory, so the report
// folder can be moved or archived on its own:
//   <run dir>/artifacts/<step id>/<artifact name>        (a file, or a directory tree)
// Each is a copy (a reflink where the filesystem can), never a link into the store, checked
// against its digest as it is copied; a damaged blob is skipped with a warning (and removed
// from the store). Links in a directory that point outside it become small text files. The
// folders are created 0700 and opened without following links.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/artifact.hpp"
#include "engine/artifact_store.hpp"

namespace kfrun::report {

struct ExportedArtifact {
    std::string step_id;
    std::string name;
    std::string digest;
    std::string relative_path;  // from the run directory, '/'-separated
    bool directory = false;
};

struct ArtifactExport {
    std::vector<ExportedArtifact> artifacts;
    std::vector<std::string> warnings;  // artifacts that could not be exported, and why
};

// The store reference described by a report.json artifact entry ({sha256, size, kind, files}).
// An empty digest when the entry has none.
engine::ArtifactRef artifact_ref(const nlohmann::json& artifact);

// Exports the outputs of every step in report["steps"]. Never fails as a whole: a missing blob
// or an I/O error skips that artifact with a warning. Re-exporting replaces what is there.
ArtifactExport export_artifacts(const nlohmann::json& report, engine::ArtifactStore& store,
                                const std::filesystem::path& run_dir);

}  // namespace kfrun::report
