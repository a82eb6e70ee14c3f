#pragma once
// Command-line resolution as KFP v1 does it (_resolve_command_line_and_paths): placeholders are
// expanded against the inputs a run actually has, `if` branches chosen, `concat` joined, and
// the input and output paths the command line uses collected.
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "component/component_spec.hpp"

namespace kfrun::component {

// The inputs of one run: which are present (given, or by their default) and their values.
struct PresentInputs {
    std::map<std::string, std::string> values;  // input name → value (given or default)
    std::set<std::string> files;                // inputs given as a host file or directory
    // How an {inputValue} appears on the command line (e.g. "{{inputs.parameters.x}}");
    // null: the value itself.
    std::function<std::string(const InputSpec&)> value_text;

    bool present(const std::string& name) const {
        return values.count(name) != 0 || files.count(name) != 0;
    }
};

struct ResolvedCommandLine {
    std::vector<std::string> command;
    std::vector<std::string> args;
    // In first-use order, as KFP keeps them (they become the template's declarations).
    std::vector<std::pair<std::string, std::string>> input_paths;   // input → container path
    std::vector<std::pair<std::string, std::string>> output_paths;  // output → container path
    std::vector<std::string> inputs_consumed_by_value;
};

// "/tmp/inputs/<file name>/data" and "/tmp/outputs/<file name>/data".
std::string input_file_path(const std::string& input_name);
std::string output_file_path(const std::string& output_name);

// Errors (Input) name the placeholder's place: a required input without a value, an input given
// as a file but used as a value, an `if` condition that is not a boolean, a placeholder kfrun
// cannot honour (inputUri/outputUri need KFP's v2-compatible launcher).
base::Result<ResolvedCommandLine> resolve_command_line(const ComponentSpec& spec,
                                                       const PresentInputs& inputs);

}  // namespace kfrun::component
