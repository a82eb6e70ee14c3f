#pragma once
// The step spec files of a run: `<run dir>/specs/<node id>.json`, one per step that was given
// to the container runtime (failed steps and cache hits too), written at the end of the run
// with mode 0600. An env value that came from a Secret is not in it, only its source
// (engine/step_spec_json); `kfrun shell --secret NAME=DIR` supplies it again. `kfrun inspect`
// and `kfrun shell` read these files.
//
// Format (versioned; another format or version is refused with a clear message):
//   {"format": "kfrun-step-spec", "version": 1, "runId", "nodeId", "nodeName", "label",
//    "network": "pod|bridge|none|host", "scratchDir", "runLabels": {…},
//    "cache": {"step", "keyText", "explanation": […]}, "spec": <engine/step_spec_json>}
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "engine/container_runtime.hpp"
#include "engine/run_options.hpp"
#include "engine/run_state.hpp"

namespace kfrun::cli {

inline constexpr const char* k_step_spec_format = "kfrun-step-spec";
inline constexpr int k_step_spec_version = 1;

struct StepSpecFile {
    std::string run_id;
    std::string node_id;
    std::string node_name;
    std::string label;
    engine::NetworkMode network = engine::NetworkMode::Pod;
    std::filesystem::path scratch_dir;  // where the run staged inputs (gone after the run)
    std::map<std::string, std::string> run_labels;
    std::string cache_step;  // the step's identity in the cache ("<pipeline>/<node below wf>")
    std::string cache_key_text;
    std::vector<std::string> cache_explanation;
    engine::StepSpec spec;
};

std::filesystem::path step_spec_path(const std::filesystem::path& run_dir,
                                     const std::string& node_id);

// Writes a file for every pod node of `state` that has a spec. Temp-then-rename, mode 0600
// (the folder 0700). Returns how many were written.
base::Result<std::size_t> write_step_spec_files(const engine::RunState& state,
                                                const engine::RunOptions& options,
                                                const std::filesystem::path& run_dir);

// Reads one file; an Io error when it is missing, unreadable or of another format.
base::Result<StepSpecFile> read_step_spec_file(const std::filesystem::path& path);

const char* network_name(engine::NetworkMode mode);

}  // namespace kfrun::cli
