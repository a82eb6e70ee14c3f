#pragma once
// CheckResult: the verdict of one expectation — what was checked, where the test file says so,
// and when it failed, expected vs actual (with a diff for text).
#include <filesystem>
#include <optional>
#include <string>

namespace kfrun::harness {

// `--update-golden`: the bytes a golden file should hold.
struct GoldenUpdate {
    std::filesystem::path path;
    std::string bytes;
};

struct CheckResult {
    std::string subject;  // "output Sum", "step evaluate: metric accuracy", "run status"
    std::string check;    // "equals", ">= 0.9", "golden golden/hash.txt"
    bool passed = false;
    std::string message;  // expected vs actual; a note when passed (e.g. golden updated)
    std::string diff;     // a unified diff for text, or empty
    std::string where;    // the place in the test file
    std::optional<GoldenUpdate> golden_update;
};

}  // namespace kfrun::harness
