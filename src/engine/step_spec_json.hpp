#pragma once
// StepSpec as JSON: what a step's container was made from, kept in the run folder
// (`specs/<node id>.json`) so `kfrun inspect` and `kfrun shell` can rebuild the container.
// Pure: no I/O.
//
// Every StepSpec field round-trips except `deadline` (a point on this process's steady clock,
// meaningless later), which is left out and read back as unset, and the values of env
// variables that came from a Secret (StepSpec::secret_env): only their source ("SECRET/KEY") is
// written, and they are read back empty — `kfrun shell --secret NAME=DIR` fills them again.
#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::engine {

nlohmann::json step_spec_to_json(const StepSpec& spec);

// Errors (kind Io, `where` = the JSON path such as "mounts[1].type") for a field of the wrong
// type or an unknown enum value. Absent fields keep StepSpec's defaults.
base::Result<StepSpec> step_spec_from_json(const nlohmann::json& json);

}  // namespace kfrun::engine
