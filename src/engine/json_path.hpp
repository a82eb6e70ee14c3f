#pragma once
// JsonPath: the part of kubectl's JSONPath that resource templates use for their outputs
// ("{.metadata.name}", "{.status.capacity.storage}", "{.items[0].x}", "{}").
#include <string>

#include <nlohmann/json.hpp>

#include "base/result.hpp"

namespace kfrun::engine {

// Evaluates a template such as "{.metadata.name}" (literal text around braces is kept).
// Maps and lists print as compact JSON, scalars as plain text, a missing field as "" —
// as `kubectl get -o jsonpath` prints them with missing keys allowed.
base::Result<std::string> evaluate_json_path(const std::string& expression,
                                             const nlohmann::json& object);

// A kubectl-style label-selector condition over JSON paths, as Argo's successCondition and
// failureCondition use: "status.readyToUse == true, status.phase != Failed". Requirements are
// separated by commas and must all hold; operators: ==, =, !=, >, <, in (a,b), notin (a,b).
base::Result<bool> evaluate_resource_condition(const std::string& condition,
                                               const nlohmann::json& object);

}  // namespace kfrun::engine
