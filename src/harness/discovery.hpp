#pragma once
// Finding test files: a file given by name is taken as is; a folder is searched recursively
// for files named `*.kfrun-test.yaml` or `kfrun-test.yaml` (`.yml` too), skipping hidden
// folders (.git, ...). Sorted, without duplicates.
#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace kfrun::harness {

// True for `*.kfrun-test.yaml`, `*.kfrun-test.yml`, `kfrun-test.yaml`, `kfrun-test.yml`.
bool is_test_file_name(const std::string& file_name);

// A suite's name unless its file says `suite:`: the file name without `.kfrun-test.yaml` (or
// `.yaml`); for `kfrun-test.yaml`, its folder's name.
std::string default_suite_name(const std::filesystem::path& file);

// An Input error when a path does not exist.
base::Result<std::vector<std::filesystem::path>> discover_test_files(
    const std::vector<std::filesystem::path>& paths);

}  // namespace kfrun::harness
