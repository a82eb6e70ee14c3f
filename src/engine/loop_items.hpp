#pragma once
// Loop items: expanding withItems / withParam / withSequence, and what an item looks like
// inside placeholders and node names (as Argo spells them).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "engine/scope.hpp"
#include "model/template.hpp"

namespace kfrun::engine {

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
