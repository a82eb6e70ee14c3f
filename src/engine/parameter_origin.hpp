#pragma once
// The values an input parameter of a template can have before the run starts: followed from
// its callers' arguments back to constants and the run's parameters. Used by the run preflight
// to check a Secret or ConfigMap whose name is a placeholder (KFP v2's secretNameParameter
// from a pipeline input) before any container starts.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/workflow.hpp"

namespace kfrun::engine {

// Every value `inputs.parameters.<parameter>` of `template_name` can take, or nullopt when one
// of them is only known during the run (a task output, a loop item, an expression, an unset
// optional input).
std::optional<std::vector<std::string>> values_before_run(
    const model::Workflow& workflow,
    const std::vector<std::pair<std::string, std::string>>& run_parameters,
    const std::string& template_name, const std::string& parameter);

}  // namespace kfrun::engine
