#pragma once
// StepSpec as JSON: what a step's container was made from, kept in the run folder
// (`specs/<node id>.json`) so `kfrun inspect` and `kfrun shell` can rebuild the container.
// Pure: no I/O. The env may hold secret values, so this JSON never goes into report.json.
//
// Every StepSpec field round-trips except `deadline` (a point on this process's steady clock,
// meaningless later): it is left out and read back as unset.
#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::engine {

nlohmann::json step_spec_to_json(const StepSpec& spec);

// Errors (kind Io, `where` = the JSON path such as "mounts[1].type") for a field of the wrong
// type or an unknown enum value. Absent fields keep StepSpec's defaults.
base::Result<StepSpec> step_spec_from_json(const nlohmann::json& json);

}  // namespace kfrun::engine
