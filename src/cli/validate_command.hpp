#pragma once
// `kfrun validate PIPELINE…`: everything that can be checked without running.
#include <string>
#include <vector>

namespace kfrun::cli {

struct ValidateCommandOptions {
    std::vector<std::string> pipelines;
    bool verbose = false;
    bool skip_unsupported = false;
    bool no_color = false;
};

int validate_command(const ValidateCommandOptions& options);

}  // namespace kfrun::cli
