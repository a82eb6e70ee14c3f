#pragma once
// Task resolution: a task call's fields with placeholders substituted from a scope, and its
// artifact arguments resolved to stored artifacts — the step between "ready" and "called".
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "engine/execution_context.hpp"
#include "engine/placeholder.hpp"
#include "engine/scope.hpp"
#include "model/template.hpp"

namespace kfrun::engine {

// A TaskCall whose strings are substituted (unresolved tags kept or refused, per `unresolved`).
base::Result<model::TaskCall> substitute_task(const model::TaskCall& call, const Scope& scope,
                                              Unresolved unresolved);

// The artifact arguments of a substituted call: `from` tags looked up as artifacts, `raw`
// data kept as text. An optional argument that cannot be resolved is dropped.
base::Result<std::vector<ArgumentArtifact>> resolve_artifact_arguments(
    const model::TaskCall& call, const Scope& scope);

// The loop items of a substituted call (withItems, withParam or withSequence).
base::Result<std::vector<nlohmann::json>> loop_items(const model::TaskCall& call, bool dry_run);

// Checks that every item of a loop substitutes into the call with nothing left unresolved
// (Argo refuses the whole task otherwise); the first error, if any.
base::Result<void> check_loop_items(const model::TaskCall& call,
                                    const std::vector<nlohmann::json>& items, const Scope& scope);

// Evaluates a substituted `when`; in a dry run a condition on symbolic values counts as true.
base::Result<bool> task_should_run(const std::string& when, bool dry_run);

}  // namespace kfrun::engine
