// `kfrun run-component`: placeholder until the component runner lands.
#include "cli/commands.hpp"

namespace kfrun::cli {

void add_run_component_command(CLI::App& app, int& exit_code) { (void)app, (void)exit_code; }

}  // namespace kfrun::cli
