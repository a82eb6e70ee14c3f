#pragma once
// KFP v2 placeholders in a launcher template's command and args, resolved as the backend's
// driver and launcher passes do (shared/research/kfp-v2-semantics.md §4), with kfrun's choices:
// IfPresent over parameters and artifacts (outputs allowed inside), Concat joined, nested forms,
// unknown `{{$.…}}` left literal with a warning; then Kubernetes' `$(VAR)` expansion.
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "engine/kfp_executor_input.hpp"
#include "model/launcher.hpp"

namespace kfrun::engine {

struct LauncherArgv {
    std::vector<std::string> argv;      // command + args: argv[0] replaces the entrypoint
    std::vector<std::string> warnings;  // e.g. a placeholder left literal
};

// Resolves `command + args` into one argv. `executor_input` is the `{{$}}` text; `env` the
// container's variables for `$(VAR)` (applied when launcher.expand_env). An input parameter
// placeholder naming an input without a value fails, as in the backend's driver ("parameter …
// not found in executor input"); so does an empty argv.
base::Result<LauncherArgv> resolve_launcher_argv(const model::Launcher& launcher,
                                                 const LauncherIo& io,
                                                 const std::string& executor_input,
                                                 const std::map<std::string, std::string>& env);

// Kubernetes' dependent variable expansion: `$(NAME)` → its value when NAME is defined, left as
// it is otherwise; `$$` → `$` (so `$$(NAME)` is the literal `$(NAME)`).
std::string expand_k8s_variables(const std::string& text,
                                 const std::map<std::string, std::string>& variables);

// Env as Kubernetes makes it: each value expanded with the variables defined before it. The
// `hidden` names (values from a Secret) are neither expanded nor offered to other values, so a
// Secret's value never lands in a variable that spec files and `kfrun inspect` show.
std::vector<std::pair<std::string, std::string>> expand_k8s_env(
    const std::vector<std::pair<std::string, std::string>>& env,
    const std::set<std::string>& hidden = {});

// The names a launcher template's placeholders use, for the validator: "inputs.parameters.x",
// "inputs.artifacts.a", "outputs.parameters.y", "outputs.artifacts.m" (IfPresent's InputName
// as "inputs.any.n"); malformed IfPresent/Concat JSON is an error.
base::Result<std::vector<std::string>> launcher_placeholder_names(const std::string& element);

}  // namespace kfrun::engine
