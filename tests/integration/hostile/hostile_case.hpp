#pragma once
// HostileCase: one case file of fixtures/hostile/** — a `#` header (hostile, finding, command,
// args, exit, expect, file) above the pipeline, component or other input that kfrun is given.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kfrun::testing {

struct HostileCase {
    std::filesystem::path file;     // the case file
    std::filesystem::path subject;  // what kfrun reads: the case file, or `file:` beside it
    std::string id;                 // its path under fixtures/hostile, e.g. argo/cycle.yaml
    std::string hostile;            // what the case is
    std::string finding;            // issue-16 finding number, or "argo"
    std::string command = "validate";  // validate | run | dry-run
    std::vector<std::string> args;
    int exit = -1;
    std::vector<std::string> expect;  // substrings of stdout+stderr
};

// Reads the header of `file`; nullopt when the file has none (a data file a case names with
// `file:`). A header that lacks `hostile`, `exit` or `expect`, or names an unknown key or
// command, is an error (`problem` says which).
std::optional<HostileCase> read_hostile_case(const std::filesystem::path& root,
                                             const std::filesystem::path& file,
                                             std::string& problem);

// Every case under `root` (sorted by path), and in `problems` the files that are neither a
// well-formed case nor the `file:` of one.
std::vector<HostileCase> find_hostile_cases(const std::filesystem::path& root,
                                            std::vector<std::string>& problems);

// A gtest-safe name for a case id (letters, digits and `_`).
std::string hostile_test_name(const std::string& id);

}  // namespace kfrun::testing
