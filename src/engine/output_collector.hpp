#pragma once
// OutputCollector: a finished container's outcome → the node's phase, message and outputs,
// following Argo's rules (one trailing newline trimmed, defaults for missing files,
// Failed for the user's exit code, Error for anything kfrun or Argo's wait container owns).
#include "engine/artifact_store.hpp"
#include "engine/pod_job.hpp"

namespace kfrun::engine {

// The most bytes of an output parameter file kfrun reads.
inline constexpr std::size_t k_max_parameter_bytes = 16u << 20;
// Argo keeps the last 256 KiB of stdout as outputs.result.
inline constexpr std::size_t k_max_result_bytes = 256u << 10;

PodResult collect_outputs(const PodJob& job, const StepOutcome& outcome, ArtifactStore& store);

// Reads mlpipeline-metrics / mlpipeline-ui-metadata into the step record (warnings on it).
void read_kfp_outputs(const NamedArtifact& artifact, ArtifactStore& store, PodResult& result);

// Removes exactly one trailing "\n", as Argo does for parameters and results.
std::string trim_one_newline(std::string value);

}  // namespace kfrun::engine
