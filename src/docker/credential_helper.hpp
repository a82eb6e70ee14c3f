#pragma once
// Runs a docker credential helper (`docker-credential-<name> get`) the way the docker CLI does:
// the program found on PATH, the registry on its stdin, its answer read from stdout. No shell.
// The answer is bounded in size and time: a helper that hangs or floods is killed.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kfrun::docker {

struct HelperAnswer {
    std::string output;   // stdout (stderr is discarded)
    int exit_status = 0;  // the exit code; 128 + N when killed by signal N
};

struct HelperLimits {
    std::chrono::milliseconds timeout{15'000};
    std::size_t max_output = 64 * 1024;
};

// `program` is looked up on PATH (posix_spawnp); `argument` is its one argument ("get"). Errors:
// not found / not executable, timed out (killed), answered more than max_output (killed). The
// messages name the program, never its output.
base::Result<HelperAnswer> run_credential_helper(const std::string& program,
                                                 const std::string& argument,
                                                 std::string_view input,
                                                 const HelperLimits& limits = {});

}  // namespace kfrun::docker
