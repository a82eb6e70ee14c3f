#pragma once
// Internal to the validator's files (validator*.cpp), not for other parts of the engine: the
// class that walks a workflow and collects its diagnostics. Its checks are defined in
// validator.cpp (top level, templates), validator_placeholders.cpp (which tags resolve where),
// validator_leaf.cpp (containers, launchers, volumes, importers, resources) and
// validator_calls.cpp (task calls, DAGs, steps). The interface is validate_workflow().
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/diagnostic.hpp"
#include "model/workflow.hpp"

namespace kfrun::engine {

class WorkflowValidator {
public:
    explicit WorkflowValidator(const model::Workflow& workflow) : m_workflow(workflow) {}

    std::vector<Diagnostic> run();

private:
    using Severity = Diagnostic::Severity;
    // Does a tag name resolve in some validation scope? Returns an error message, or "".
    using TagChecker = std::function<std::string(const std::string&)>;

    // validator.cpp
    void add(Severity severity, const std::string& path, std::string message);
    void error(const std::string& path, std::string message);
    void warning(const std::string& path, std::string message);
    void check_notices();
    void check_top_level();
    void check_template(const model::Template& tmpl);

    // validator_placeholders.cpp
    TagChecker global_scope_checker() const;
    std::string check_global(const std::string& name) const;
    void check_tags(const std::string& path, const std::string& text, const TagChecker& checker);
    TagChecker leaf_checker(const model::Template& tmpl) const;
    TagChecker task_checker(const model::Template& parent, const model::TaskCall& call,
                            const std::function<std::string(const std::string&)>& sibling) const;
    std::string check_sibling_reference(const std::string& name, const std::string& prefix,
                                        const std::map<std::string, const model::TaskCall*>& tasks);

    // validator_leaf.cpp
    void check_container(const model::Template& tmpl, const model::ContainerSpec& container,
                         const TagChecker& checker);
    void check_launcher(const model::Template& tmpl);
    void check_leaf(const model::Template& tmpl);
    void check_volumes(const model::Template& tmpl);
    void check_importer(const model::Template& tmpl);
    void check_resource(const model::Template& tmpl);

    // validator_calls.cpp
    void check_call(const model::Template& parent, const model::TaskCall& call,
                    const TagChecker& checker);
    void check_supplied_inputs(const model::TaskCall& call);
    void check_dag(const model::Template& tmpl);
    void check_steps(const model::Template& tmpl);

    const model::Workflow& m_workflow;
    std::vector<Diagnostic> m_diagnostics;
    std::set<std::string> m_reported;
};

}  // namespace kfrun::engine
