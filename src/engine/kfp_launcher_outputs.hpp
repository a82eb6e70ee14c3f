#pragma once
// A KFP v2 launcher step's outputs after its command exited 0, read as the backend's launcher
// reads them (shared/research/kfp-v2-semantics.md §6): executor_output.json first (its
// parameterValues win, its artifact metadata and URIs are merged), then each output parameter
// file by its declared type, then the output artifacts with their URIs and metadata.
#include <string>

#include "base/result.hpp"
#include "engine/artifact_store.hpp"
#include "engine/pod_job.hpp"

namespace kfrun::engine {

// An output parameter file's bytes → canonical text by the declared type: STRING as it is (no
// newline trimmed); NUMBER_INTEGER a trimmed base-10 integer (`7.0` fails); NUMBER_DOUBLE a
// trimmed float; BOOLEAN Go's ParseBool forms (1 t T TRUE true True, and the false ones);
// LIST/STRUCT JSON of that kind. An error says what the text is not.
base::Result<std::string> kfp_output_parameter_text(const std::string& bytes,
                                                    const std::string& type);

// Fills `result` (phase Succeeded so far, the outcome's files collected) with the launcher's
// outputs of `job` (job.launcher set); any problem fails the step (Failed), as the launcher
// fails the task although the command exited 0.
void collect_launcher_outputs(const PodJob& job, const StepOutcome& outcome, ArtifactStore& store,
                              PodResult& result);

}  // namespace kfrun::engine
