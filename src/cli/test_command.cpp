// `kfrun test`: placeholder until the test harness lands.
#include "cli/commands.hpp"

namespace kfrun::cli {

void add_test_command(CLI::App& app, int& exit_code) { (void)app, (void)exit_code; }

}  // namespace kfrun::cli
