#pragma once
// Validator: everything about a workflow that can be checked before any container starts —
// unknown templates, dependency cycles, dangling references, unknown placeholders, malformed
// conditions, and fields kfrun cannot honour, each named with its YAML path.
#include <vector>

#include "engine/diagnostic.hpp"
#include "model/workflow.hpp"

namespace kfrun::engine {

std::vector<Diagnostic> validate_workflow(const model::Workflow& workflow);

}  // namespace kfrun::engine
