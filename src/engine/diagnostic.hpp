#pragma once
// Diagnostic: one finding of validation, with the place it belongs to.
#include <string>
#include <vector>

namespace kfrun::engine {

struct Diagnostic {
    enum class Severity { Error, Warning, Info };
    Severity severity = Severity::Error;
    std::string where;  // "file.yaml:12:5 (spec.templates[3].dag.tasks[1])"
    std::string message;
    // An error that --skip-unsupported turns into a warning: the step is skipped at run time.
    bool skippable = false;
};

inline bool has_errors(const std::vector<Diagnostic>& diagnostics) {
    for (const Diagnostic& diagnostic : diagnostics) {
        if (diagnostic.severity == Diagnostic::Severity::Error) {
            return true;
        }
    }
    return false;
}

}  // namespace kfrun::engine
