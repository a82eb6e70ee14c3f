#pragma once
// The checks on one output value or artifact (equals, regex, contains, JSON subset, JSON path,
// number with tolerance, golden file, exists), each a CheckResult with expected vs actual.
#include <optional>
#include <string>
#include <vector>

#include "harness/check_result.hpp"
#include "harness/test_file.hpp"

namespace kfrun::harness {

// What a run produced under a name.
struct ActualValue {
    std::string label;  // "output Sum", "artifact calculate-data-hash-Hash"
    bool present = false;
    bool directory = false;
    std::optional<std::string> bytes;  // absent when not present or not readable
    std::string problem;               // why there are no bytes
};

// Appends one result per check given in `check`.
void check_value(const ValueCheck& check, const ActualValue& actual, bool update_golden,
                 std::vector<CheckResult>& out);

// Argo's rule for output parameters: exactly one trailing newline is removed.
std::string trim_one_newline(std::string text);
// A value for a message: quoted, escaped, shortened.
std::string quote(const std::string& text, std::size_t max = 200);

}  // namespace kfrun::harness
