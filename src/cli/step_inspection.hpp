#pragma once
// StepInspection: everything `kfrun inspect` shows about one step, as one JSON document —
// the Docker create payload (rebuilt from the persisted spec), the inputs and outputs with
// their paths and digests, and the cache outcome with the key's text and why it hit or missed.
#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "cli/step_spec_file.hpp"
#include "cli/step_target.hpp"
#include "engine/step_cache.hpp"

namespace kfrun::cli {

// The POST /containers/create body the step's container was made with, rebuilt: the sandbox
// appears by name ("container:kfrun-<run>-sandbox"), inputs at their staging paths, volume
// sub-paths under Docker's default data root. An env value that came from a Secret is shown as
// "<from Secret NAME/KEY: not shown>" (the spec file does not hold it either).
base::Result<nlohmann::json> rebuild_create_payload(const StepSpecFile& file);

// The document. `spec` is null when the step has none (`spec_problem` says why); `cache` (may
// be null) explains a miss that was not explained at run time, by comparing the key with the
// cache's latest entry for the step.
nlohmann::json inspect_step(const StepTarget& target, const StepSpecFile* spec,
                            const std::string& spec_problem, engine::StepCache* cache);

}  // namespace kfrun::cli
