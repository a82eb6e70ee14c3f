#pragma once
// A task's CEL condition (KFP v2 triggerPolicy.condition), decided as the backend's driver does:
// over the task's own resolved inputs, `inputs.parameter_values['name']` typed by the called
// template's declarations (numbers are doubles, as google.protobuf.Value holds them). Any CEL
// error (a parse error, a missing key, a result that is not a bool) fails the task.
#include <string>

#include "base/result.hpp"
#include "model/template.hpp"

namespace kfrun::engine {

// `resolved` is the call with its arguments substituted; `called` its template (may be null).
// In a dry run, a condition over values not known yet counts as true.
base::Result<bool> task_condition_holds(const model::TaskCall& resolved,
                                        const model::Template* called, bool dry_run);

}  // namespace kfrun::engine
