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
    // The security policy as `kfrun run` applies it (docs/security-policy.md).
    bool allow_privileged = false;
    std::vector<std::string> allow_host_paths;
};

int validate_command(const ValidateCommandOptions& options);

}  // namespace kfrun::cli
