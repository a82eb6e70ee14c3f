#include "cli/workflow_preflight.hpp"

#include "engine/executor.hpp"
#include "engine/null_artifact_store.hpp"
#include "engine/run_preflight.hpp"
#include "engine/validator.hpp"

namespace kfrun::cli {

base::Result<std::vector<engine::Diagnostic>> preflight_workflow(
    const model::Workflow& workflow, const engine::RunOptions& options) {
    std::vector<engine::Diagnostic> diagnostics = engine::validate_workflow(workflow);
    for (engine::Diagnostic& diagnostic : engine::check_run_options(workflow, options)) {
        diagnostics.push_back(std::move(diagnostic));
    }
    std::vector<engine::Diagnostic> kept;
    std::string errors;
    std::string first_where;
    for (engine::Diagnostic& diagnostic : diagnostics) {
        if (diagnostic.severity != engine::Diagnostic::Severity::Error) {
            kept.push_back(std::move(diagnostic));
            continue;
        }
        if (first_where.empty()) {
            first_where = diagnostic.where;
            errors = diagnostic.message;
        } else {
            errors += "\n" + diagnostic.where + ": " + diagnostic.message;
        }
    }
    if (!first_where.empty() || !errors.empty()) {
        return base::make_error(base::ErrorKind::Input, errors, first_where);
    }
    engine::NullArtifactStore no_store;
    engine::RunObserver silent;
    engine::Executor check(workflow, options, nullptr, no_store, silent);
    KFRUN_TRY(check.prepare());
    return kept;
}

}  // namespace kfrun::cli
