#pragma once
// Loop items: expanding withItems / withParam / withSequence, and what an item looks like
// inside placeholders and node names (as Argo spells them).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "engine/scope.hpp"
#include "model/template.hpp"

namespace kfrun::engine {

// An error when `count` items are more than the loop-items limit (`what`: "withSequence", ...).
base::Result<void> check_loop_item_count(std::uint64_t count, const std::string& what);
// An error when a run that has `existing` nodes may not add `adding` more (run-nodes limit).
base::Result<void> check_run_nodes(std::uint64_t existing, std::uint64_t adding);
// withParam: the substituted text must be a JSON list ([] and null give no items).
base::Result<std::vector<nlohmann::json>> items_from_param(const std::string& text);
// withSequence after substitution: count or end, start, printf-style format; every item a string.
base::Result<std::vector<nlohmann::json>> items_from_sequence(const model::Sequence& sequence);

// {{item}}: a scalar as text (strings unquoted, numbers as spelled); maps and lists as
// compact JSON with sorted keys.
std::string item_text(const nlohmann::json& item);
// Sets `item` and, for maps, `item.KEY` in `scope`.
void bind_item(Scope& scope, const nlohmann::json& item);
// The "(index:description)" suffix Argo puts on iteration node names.
std::string iteration_suffix(std::size_t index, const nlohmann::json& item);

}  // namespace kfrun::engine
