#pragma once
// What `kfrun run` prints besides live progress: the plan of a dry run, the final summary.
#include "cli/terminal.hpp"
#include "engine/run_state.hpp"

namespace kfrun::cli {

void print_plan(const engine::RunState& state, const Terminal& terminal);
void print_summary(const engine::RunState& state, const Terminal& terminal);

}  // namespace kfrun::cli
