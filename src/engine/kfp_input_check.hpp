#pragma once
// The KFP v2 driver's checks of a task's typed inputs once they are bound
// (shared/research/kfp-v2-semantics.md §2.3.6-7): STRING takes any text; every other type must
// parse as its type; a required input with neither value nor default fails the task.
#include <optional>
#include <string>

#include "engine/node.hpp"
#include "model/template.hpp"

namespace kfrun::engine {

// What is wrong with the typed inputs bound to `node`, or nothing. In a dry run a symbolic
// value (`<dry-run:…>`) passes every type.
std::optional<std::string> kfp_input_problem(const Node& node, const model::Template& tmpl,
                                             bool dry_run);

}  // namespace kfrun::engine
