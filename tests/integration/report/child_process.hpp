#pragma once
// run_process: runs a program in its own process group with a deadline, its output in files.
// On timeout the whole group (the program and anything it started, e.g. Chromium's helper
// processes) is killed by its id.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace kfrun::report::testing {

struct ProcessResult {
    int exit_code = -1;  // 128 + signal when killed; -1 when it could not start
    bool timed_out = false;
    std::string out;
    std::string err;
};

ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::seconds timeout,
                          const std::filesystem::path& work_dir);

}  // namespace kfrun::report::testing
