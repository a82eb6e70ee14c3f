#include "engine/parameter_origin.hpp"

#include "engine/placeholder.hpp"

namespace kfrun::engine {

namespace {

constexpr int k_max_depth = 64;      // nesting of DAGs followed before giving up
constexpr int k_max_visits = 10000;  // callers looked at before giving up

class Origins {
  public:
    Origins(const model::Workflow& workflow,
            const std::vector<std::pair<std::string, std::string>>& run_parameters)
        : m_workflow(workflow), m_run_parameters(run_parameters) {}

    bool add_values(const std::string& template_name, const std::string& parameter, int depth,
                    std::vector<std::string>& out) const {
        if (depth > k_max_depth || ++m_visits > k_max_visits) {
            return false;
        }
        bool called = false;
        for (const model::Template& caller : m_workflow.templates) {
            auto visit = [&](const model::TaskCall& call) {
                if (call.template_name != template_name) {
                    return true;
                }
                called = true;
                const model::Parameter* argument =
                    model::find_by_name(call.arguments.parameters, parameter);
                if (argument == nullptr || !argument->value) {
                    return default_of(template_name, parameter, out);
                }
                return add_argument(caller.name, *argument->value, depth, out);
            };
            for (const model::TaskCall& call : caller.dag.tasks) {
                if (!visit(call)) {
                    return false;
                }
            }
            for (const auto& group : caller.steps.groups) {
                for (const model::TaskCall& call : group) {
                    if (!visit(call)) {
                        return false;
                    }
                }
            }
        }
        if (template_name == m_workflow.entrypoint) {
            called = true;
            if (!run_value(parameter, out)) {
                return false;
            }
        }
        return called;
    }

  private:
    // An argument's text: a constant, or exactly one `{{inputs.parameters.X}}` of the caller or
    // `{{workflow.parameters.X}}`.
    bool add_argument(const std::string& caller, const std::string& value, int depth,
                      std::vector<std::string>& out) const {
        std::vector<Tag> tags = find_tags(value);
        if (tags.empty()) {
            out.push_back(value);
            return true;
        }
        if (tags.size() != 1 || tags.front().expression || tags.front().begin != 0 ||
            tags.front().end != value.size()) {
            return false;
        }
        const std::string& name = tags.front().name;
        const std::string input = "inputs.parameters.";
        const std::string global = "workflow.parameters.";
        if (name.rfind(input, 0) == 0) {
            return add_values(caller, name.substr(input.size()), depth + 1, out);
        }
        if (name.rfind(global, 0) == 0) {
            return run_value(name.substr(global.size()), out);
        }
        return false;
    }

    // The run's value of a pipeline parameter: -p, else the workflow's argument.
    bool run_value(const std::string& parameter, std::vector<std::string>& out) const {
        for (const auto& [name, value] : m_run_parameters) {
            if (name == parameter) {
                out.push_back(value);
                return true;
            }
        }
        const model::Parameter* argument =
            model::find_by_name(m_workflow.arguments.parameters, parameter);
        if (argument != nullptr) {
            const auto& value = argument->value ? argument->value : argument->default_value;
            if (value && !has_tags(*value)) {
                out.push_back(*value);
                return true;
            }
        }
        return default_of(m_workflow.entrypoint, parameter, out);
    }

    bool default_of(const std::string& template_name, const std::string& parameter,
                    std::vector<std::string>& out) const {
        const model::Template* tmpl = m_workflow.find_template(template_name);
        const model::Parameter* declared =
            tmpl == nullptr ? nullptr : model::find_by_name(tmpl->inputs.parameters, parameter);
        if (declared == nullptr) {
            return false;
        }
        const auto& value = declared->value ? declared->value : declared->default_value;
        if (!value || has_tags(*value)) {
            return false;
        }
        out.push_back(*value);
        return true;
    }

    const model::Workflow& m_workflow;
    const std::vector<std::pair<std::string, std::string>>& m_run_parameters;
    mutable int m_visits = 0;
};

}  // namespace

std::optional<std::vector<std::string>> values_before_run(
    const model::Workflow& workflow,
    const std::vector<std::pair<std::string, std::string>>& run_parameters,
    const std::string& template_name, const std::string& parameter) {
    std::vector<std::string> values;
    if (!Origins(workflow, run_parameters).add_values(template_name, parameter, 0, values)) {
        return std::nullopt;
    }
    return values;
}

}  // namespace kfrun::engine
