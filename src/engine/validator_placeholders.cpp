// Validator: which placeholder names resolve where — the workflow's globals, a leaf template's
// own inputs, a task's caller and its earlier sibling tasks or steps.
#include <set>

#include "engine/placeholder.hpp"
#include "engine/workflow_validator.hpp"

namespace kfrun::engine {

WorkflowValidator::TagChecker WorkflowValidator::global_scope_checker() const {
    return [this](const std::string& name) { return check_global(name); };
}

std::string WorkflowValidator::check_global(const std::string& name) const {
    static const std::set<std::string> k_globals = {"workflow.name",
                                                    "workflow.namespace",
                                                    "workflow.uid",
                                                    "workflow.serviceAccountName",
                                                    "workflow.priority",
                                                    "workflow.status",
                                                    "workflow.failures",
                                                    "workflow.duration",
                                                    "workflow.parameters",
                                                    "workflow.labels",
                                                    "workflow.annotations",
                                                    "workflow.scheduledTime",
                                                    "workflow.creationTimestamp"};
    if (k_globals.count(name) != 0 || name.rfind("workflow.creationTimestamp.", 0) == 0 ||
        name.rfind("workflow.outputs.", 0) == 0 || name.rfind("workflow.labels.", 0) == 0 ||
        name.rfind("workflow.annotations.", 0) == 0) {
        return "";
    }
    if (name.rfind("workflow.parameters.", 0) == 0) {
        std::string parameter = name.substr(20);
        if (model::find_by_name(m_workflow.arguments.parameters, parameter) != nullptr) {
            return "";
        }
        return "the workflow has no parameter `" + parameter + "`";
    }
    static const std::vector<std::string> k_checked_prefixes = {
        "item", "steps.", "inputs.", "outputs.", "pod.", "workflow.", "tasks."};
    for (const std::string& prefix : k_checked_prefixes) {
        if (name == prefix || name.rfind(prefix, 0) == 0) {
            return "unknown";
        }
    }
    return "";  // other tags ({{$}}, {{foo}}) are never checked, as in Argo
}

void WorkflowValidator::check_tags(const std::string& path, const std::string& text,
                                   const TagChecker& checker) {
    // A "{{" with no "}}" after it is not a placeholder: Argo leaves it in the text as it
    // is, and so does kfrun; most likely a typo, so say so.
    std::size_t open = text.rfind("{{");
    if (open != std::string::npos && text.find("}}", open + 2) == std::string::npos) {
        std::string excerpt = text.substr(open, 40);
        warning(path, "unterminated `{{` (in `" + excerpt +
                          "`): it is used literally, as Argo does; a placeholder needs `}}`");
    }
    for (const Tag& tag : find_tags(text)) {
        if (tag.expression) {
            error(path, "expression tags such as {{" + tag.name + "}} are not supported");
            continue;
        }
        std::string problem = checker(tag.name);
        if (problem == "unknown") {
            error(path, "unknown placeholder {{" + tag.name + "}}");
        } else if (!problem.empty()) {
            error(path, "placeholder {{" + tag.name + "}}: " + problem);
        }
    }
}

WorkflowValidator::TagChecker WorkflowValidator::leaf_checker(const model::Template& tmpl) const {
    return [this, &tmpl](const std::string& name) -> std::string {
        if (name == "pod.name" || name == "inputs.parameters" || name == "retries" ||
            name.rfind("outputs.", 0) == 0) {
            return "";
        }
        if (name.rfind("inputs.parameters.", 0) == 0) {
            std::string input = name.substr(18);
            return model::find_by_name(tmpl.inputs.parameters, input) != nullptr
                       ? ""
                       : "template `" + tmpl.name + "` declares no input parameter `" + input + "`";
        }
        if (name.rfind("inputs.artifacts.", 0) == 0) {
            std::string rest = name.substr(17);
            std::string artifact = rest.substr(0, rest.find('.'));
            return model::find_by_name(tmpl.inputs.artifacts, artifact) != nullptr
                       ? ""
                       : "template `" + tmpl.name + "` declares no input artifact `" + artifact +
                             "`";
        }
        return check_global(name);
    };
}

// Placeholders inside a DAG task or step: the caller's inputs, globals, earlier tasks.
WorkflowValidator::TagChecker WorkflowValidator::task_checker(
    const model::Template& parent, const model::TaskCall& call,
    const std::function<std::string(const std::string&)>& sibling) const {
    return [this, &parent, &call, sibling](const std::string& name) -> std::string {
        if (name == "item" || name.rfind("item.", 0) == 0) {
            return call.is_loop() ? "" : "{{item}} is used outside a loop";
        }
        if (name.rfind("tasks.", 0) == 0 || name.rfind("steps.", 0) == 0) {
            return sibling(name);
        }
        if (name.rfind("inputs.parameters.", 0) == 0) {
            std::string input = name.substr(18);
            return model::find_by_name(parent.inputs.parameters, input) != nullptr
                       ? ""
                       : "template `" + parent.name + "` declares no input parameter `" + input +
                             "`";
        }
        if (name.rfind("inputs.artifacts.", 0) == 0) {
            std::string artifact = name.substr(17);
            return model::find_by_name(parent.inputs.artifacts, artifact) != nullptr
                       ? ""
                       : "template `" + parent.name + "` declares no input artifact `" + artifact +
                             "`";
        }
        return check_global(name);
    };
}

// The names `tasks.X.*` may use: X must exist, and X's outputs must be declared.
std::string WorkflowValidator::check_sibling_reference(
    const std::string& name, const std::string& prefix,
    const std::map<std::string, const model::TaskCall*>& tasks) {
    std::string rest = name.substr(prefix.size());
    std::string task = rest.substr(0, rest.find('.'));
    auto it = tasks.find(task);
    if (it == tasks.end()) {
        return "there is no task or step `" + task + "` here";
    }
    std::string field = rest.size() > task.size() ? rest.substr(task.size() + 1) : "";
    const model::Template* tmpl = m_workflow.find_template(it->second->template_name);
    if (tmpl == nullptr) {
        return "";
    }
    if (field.rfind("outputs.parameters.", 0) == 0) {
        std::string output = field.substr(19);
        if (model::find_by_name(tmpl->outputs.parameters, output) == nullptr) {
            return "template `" + tmpl->name + "` declares no output parameter `" + output + "`";
        }
    } else if (field.rfind("outputs.artifacts.", 0) == 0) {
        std::string output = field.substr(18);
        if (model::find_by_name(tmpl->outputs.artifacts, output) == nullptr) {
            return "template `" + tmpl->name + "` declares no output artifact `" + output + "`";
        }
    }
    return "";
}

}  // namespace kfrun::engine
