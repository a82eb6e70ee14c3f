#pragma once
// The KFP v2 launcher's view of one step: its typed inputs (defaults added), input artifacts
// placed at the local paths of their URIs, output parameter files, output artifact URIs under
// the pipeline root, and the executor input (`{{$}}`) built from them, as the backend's driver
// and launcher make them (shared/research/kfp-v2-semantics.md §3.2, §5).
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "engine/node.hpp"
#include "model/template.hpp"

namespace kfrun::engine {

// One artifact as the executor input shows it.
struct LauncherArtifact {
    std::string id;  // `name` in the executor input: the output name for outputs
    std::string uri;
    std::string path;  // the local path in the container (empty when the scheme has none)
    std::string schema_title;
    std::string schema_version;
    nlohmann::json metadata = nlohmann::json::object();
};

struct LauncherIo {
    // Input name → canonical text, in declaration order: bound inputs and defaults, with
    // self-references (`{{$.inputs.parameters['p']}}` inside a value) resolved once.
    std::vector<std::pair<std::string, std::string>> parameters;
    std::vector<std::pair<std::string, std::string>> parameter_types;  // name → declared type
    std::vector<std::pair<std::string, std::vector<LauncherArtifact>>> input_artifacts;
    std::vector<std::pair<std::string, std::string>> output_parameters;  // name → file path
    std::vector<std::pair<std::string, LauncherArtifact>> output_artifacts;
    std::string output_file;     // <local task root>/output_metadata.json
    std::string task_root_uri;   // <pipeline root>/<pipeline name>/<task path>
    std::string task_root_path;  // its local path

    const std::string* parameter(const std::string& name) const;
    const std::vector<LauncherArtifact>* input_artifact(const std::string& name) const;
    const LauncherArtifact* output_artifact(const std::string& name) const;
};

// The node's place below the workflow as a `/`-separated path: stable across runs (no run ID,
// so argv and the cache key do not change between runs), unique per node (loop iterations
// differ), shared by the retries of one node. `wf.dag.for-loop(0:a)(1)` → `dag/for-loop(0_a)`.
std::string kfp_task_path(const std::string& node_name, const std::string& workflow_name,
                          bool retry_attempt);

// The launcher's local path for a URI: minio://b/k → /minio/b/k, gs:// → /gcs/, s3:// → /s3/;
// an imported local file keeps its path (file:///x → /x, /x → /x); empty for other schemes.
std::string kfp_local_path(const std::string& uri);

// A stable artifact ID (decimal digits) from what identifies a stored output.
std::string kfp_artifact_id(const std::string& uri, const std::string& digest,
                            const std::string& metadata_text);

// TASK_FINAL_STATUS text as the front end passes it (`state` an Argo phase) → KFP's states:
// Succeeded → COMPLETE, Failed/Error → FAILED, Skipped/Omitted → CANCELED.
std::string kfp_final_status_text(const std::string& text);

// Artifact metadata as MLMD stores it and consumers see it: bool → 1/0, list → {"list": …},
// object → {"struct": …}; a null value is an error naming the key.
base::Result<nlohmann::json> kfp_mlmd_metadata(const nlohmann::json& metadata);

// The launcher's view of a pod node of a template with `launcher` set. `task_path` from
// kfp_task_path.
base::Result<LauncherIo> launcher_io(const Node& node, const model::Template& tmpl,
                                     const std::string& task_path);

// The executor input (§5): parameter values typed by their declared types (integral numbers
// as JSON integers, as protojson prints them), input artifacts as MLMD returns them to a
// consumer, output parameter files, output artifacts with their URIs and declared metadata.
base::Result<nlohmann::json> executor_input_json(const LauncherIo& io);

}  // namespace kfrun::engine
