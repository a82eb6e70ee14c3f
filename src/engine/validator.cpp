#include "engine/validator.hpp"

#include <functional>
#include <map>
#include <set>

#include "base/strings.hpp"
#include "base/time.hpp"
#include "engine/depends_expression.hpp"
#include "engine/kfp_executor_input.hpp"
#include "engine/kfp_placeholders.hpp"
#include "engine/loop_items.hpp"
#include "engine/placeholder.hpp"
#include "engine/resource_runner.hpp"
#include "engine/when_expression.hpp"

namespace kfrun::engine {

namespace {

using Severity = Diagnostic::Severity;

class WorkflowValidator {
public:
    explicit WorkflowValidator(const model::Workflow& workflow) : m_workflow(workflow) {}

    std::vector<Diagnostic> run() {
        check_notices();
        check_top_level();
        std::set<std::string> seen;
        for (const model::Template& tmpl : m_workflow.templates) {
            if (!seen.insert(tmpl.name).second) {
                error(tmpl.yaml_path, "template name `" + tmpl.name + "` is used twice");
            }
            check_template(tmpl);
        }
        return std::move(m_diagnostics);
    }

private:
    void add(Severity severity, const std::string& path, std::string message) {
        std::string where = m_workflow.sources.describe(path);
        if (!m_reported.insert(where + "\n" + message).second) {
            return;  // the same finding at the same place once
        }
        m_diagnostics.push_back(Diagnostic{severity, std::move(where), std::move(message)});
    }
    void error(const std::string& path, std::string message) {
        add(Severity::Error, path, std::move(message));
    }
    void warning(const std::string& path, std::string message) {
        add(Severity::Warning, path, std::move(message));
    }

    void check_notices() {
        std::set<std::string> ignored_keys;
        for (const model::Notice& notice : m_workflow.notices) {
            if (notice.severity == model::Notice::Severity::Unsupported) {
                error(notice.yaml_path, notice.message);
            } else {
                // List each ignored field once per name, not once per template.
                std::string key = notice.yaml_path.substr(notice.yaml_path.rfind('.') + 1);
                if (ignored_keys.insert(key).second) {
                    add(Severity::Info, notice.yaml_path, notice.message);
                }
            }
        }
    }

    void check_top_level() {
        if (m_workflow.active_deadline_seconds) {
            // Kubernetes' int64 seconds: "1h" is refused, not read as 1.
            auto seconds = base::parse_k8s_int64(*m_workflow.active_deadline_seconds);
            if (!seconds || *seconds <= 0) {
                error("spec.activeDeadlineSeconds",
                      "activeDeadlineSeconds must be a positive whole number of seconds (an "
                      "int64), not `" +
                          *m_workflow.active_deadline_seconds + "`");
            }
        }
        if (m_workflow.entrypoint.empty()) {
            error("spec", "the workflow has no `entrypoint`");
        } else if (m_workflow.find_template(m_workflow.entrypoint) == nullptr) {
            error("spec.entrypoint", "entrypoint `" + m_workflow.entrypoint +
                                         "` names no template of this workflow");
        }
        if (!m_workflow.on_exit.empty() && m_workflow.find_template(m_workflow.on_exit) == nullptr) {
            error("spec.onExit",
                  "onExit `" + m_workflow.on_exit + "` names no template of this workflow");
        }
        auto v2 = m_workflow.annotations.find("pipelines.kubeflow.org/v2_pipeline");
        if (v2 != m_workflow.annotations.end() && v2->second == "true") {
            error("metadata.annotations",
                  "this pipeline was compiled in KFP's v2-compatible mode: its steps run through "
                  "the KFP launcher and talk to ML Metadata, which exist only in a KFP cluster");
        }
        for (const model::Parameter& parameter : m_workflow.arguments.parameters) {
            check_tags(parameter.yaml_path, parameter.value.value_or(""), global_scope_checker());
        }
    }

    // Does a tag name resolve in some validation scope? Returns an error message, or "".
    using TagChecker = std::function<std::string(const std::string&)>;

    TagChecker global_scope_checker() const {
        return [this](const std::string& name) { return check_global(name); };
    }

    std::string check_global(const std::string& name) const {
        static const std::set<std::string> k_globals = {
            "workflow.name",      "workflow.namespace",   "workflow.uid",
            "workflow.serviceAccountName", "workflow.priority", "workflow.status",
            "workflow.failures",  "workflow.duration",    "workflow.parameters",
            "workflow.labels",    "workflow.annotations", "workflow.scheduledTime",
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

    void check_tags(const std::string& path, const std::string& text, const TagChecker& checker) {
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

    TagChecker leaf_checker(const model::Template& tmpl) const {
        return [this, &tmpl](const std::string& name) -> std::string {
            if (name == "pod.name" || name == "inputs.parameters" || name == "retries" ||
                name.rfind("outputs.", 0) == 0) {
                return "";
            }
            if (name.rfind("inputs.parameters.", 0) == 0) {
                std::string input = name.substr(18);
                return model::find_by_name(tmpl.inputs.parameters, input) != nullptr
                           ? ""
                           : "template `" + tmpl.name + "` declares no input parameter `" + input +
                                 "`";
            }
            if (name.rfind("inputs.artifacts.", 0) == 0) {
                std::string rest = name.substr(17);
                std::string artifact = rest.substr(0, rest.find('.'));
                return model::find_by_name(tmpl.inputs.artifacts, artifact) != nullptr
                           ? ""
                           : "template `" + tmpl.name + "` declares no input artifact `" +
                                 artifact + "`";
            }
            return check_global(name);
        };
    }

    void check_container(const model::Template& tmpl, const model::ContainerSpec& container,
                         const TagChecker& checker) {
        const std::string& p = container.yaml_path;
        check_tags(p + ".image", container.image, checker);
        for (std::size_t i = 0; i < container.command.size(); ++i) {
            check_tags(p + ".command[" + std::to_string(i) + "]", container.command[i], checker);
        }
        for (std::size_t i = 0; i < container.args.size(); ++i) {
            check_tags(p + ".args[" + std::to_string(i) + "]", container.args[i], checker);
        }
        for (const model::EnvVar& var : container.env) {
            check_tags(var.yaml_path, var.value, checker);
        }
        check_tags(p + ".source", container.source, checker);
        check_tags(p + ".workingDir", container.working_dir, checker);
    }

    // A KFP v2 launcher template: its placeholders name declared inputs and outputs, its
    // pipeline root has a local path.
    void check_launcher(const model::Template& tmpl) {
        const model::Launcher& launcher = *tmpl.launcher;
        const std::string where =
            tmpl.container.yaml_path.empty() ? tmpl.yaml_path : tmpl.container.yaml_path;
        if (kfp_local_path(launcher.pipeline_root).empty()) {
            error(where, "pipeline root `" + launcher.pipeline_root +
                             "` has no local path (use minio://, gs:// or s3://)");
        }
        auto declared = [&tmpl](const std::string& name) -> std::string {
            auto after = [&name](std::size_t n) { return name.substr(n); };
            if (name.rfind("inputs.parameters.", 0) == 0) {
                return model::find_by_name(tmpl.inputs.parameters, after(18))
                           ? ""
                           : "input parameter `" + after(18) + "`";
            }
            if (name.rfind("inputs.artifacts.", 0) == 0) {
                return model::find_by_name(tmpl.inputs.artifacts, after(17))
                           ? ""
                           : "input artifact `" + after(17) + "`";
            }
            if (name.rfind("inputs.any.", 0) == 0) {
                return model::find_by_name(tmpl.inputs.parameters, after(11)) ||
                               model::find_by_name(tmpl.inputs.artifacts, after(11))
                           ? ""
                           : "input `" + after(11) + "`";
            }
            if (name.rfind("outputs.parameters.", 0) == 0) {
                return model::find_by_name(tmpl.outputs.parameters, after(19))
                           ? ""
                           : "output parameter `" + after(19) + "`";
            }
            if (name.rfind("outputs.artifacts.", 0) == 0) {
                return model::find_by_name(tmpl.outputs.artifacts, after(18))
                           ? ""
                           : "output artifact `" + after(18) + "`";
            }
            return "";
        };
        auto check = [&](const std::vector<std::string>& texts, const char* field) {
            for (std::size_t i = 0; i < texts.size(); ++i) {
                std::string path = where + "." + field + "[" + std::to_string(i) + "]";
                auto names = launcher_placeholder_names(texts[i]);
                if (!names.ok()) {
                    error(path, names.error().message);
                    continue;
                }
                for (const std::string& name : *names) {
                    std::string missing = declared(name);
                    if (!missing.empty()) {
                        error(path, "the placeholder names " + missing + ", which template `" +
                                        tmpl.name + "` does not declare");
                    }
                }
            }
        };
        check(launcher.command, "command");
        check(launcher.args, "args");
    }

    void check_leaf(const model::Template& tmpl) {
        TagChecker checker = leaf_checker(tmpl);
        if (tmpl.kind == model::Template::Kind::Container ||
            tmpl.kind == model::Template::Kind::Script) {
            if (tmpl.container.image.empty()) {
                error(tmpl.container.yaml_path, "the container of template `" + tmpl.name +
                                                    "` names no `image`");
            }
            check_container(tmpl, tmpl.container, checker);
        }
        if (tmpl.launcher) {
            check_launcher(tmpl);
        }
        for (const model::Artifact& artifact : tmpl.inputs.artifacts) {
            check_tags(artifact.yaml_path, artifact.raw_data.value_or(""), checker);
            if (artifact.path.empty() && !tmpl.launcher) {
                error(artifact.yaml_path, "input artifact `" + artifact.name + "` has no `path`");
            }
        }
        bool container_like = tmpl.kind == model::Template::Kind::Container ||
                              tmpl.kind == model::Template::Kind::Script;
        for (const model::Parameter& parameter : tmpl.outputs.parameters) {
            check_tags(parameter.yaml_path, parameter.from_path.value_or(""), checker);
            if (container_like && !parameter.value &&
                (!parameter.from_path || parameter.from_path->empty())) {
                // Argo refuses this at submission ("valueFrom.path must be specified for
                // Container templates"); run anyway, the output would never get a value.
                error(parameter.yaml_path,
                      "output parameter `" + parameter.name + "` of " +
                          (tmpl.kind == model::Template::Kind::Script ? "script" : "container") +
                          " template `" + tmpl.name +
                          "`: valueFrom.path must be specified (or a `value`)");
            }
        }
        for (const model::Artifact& artifact : tmpl.outputs.artifacts) {
            if (artifact.path.empty() && !tmpl.launcher) {
                error(artifact.yaml_path, "output artifact `" + artifact.name + "` has no `path`");
            }
        }
    }

    // Placeholders inside a DAG task or step: the caller's inputs, globals, earlier tasks.
    TagChecker task_checker(const model::Template& parent, const model::TaskCall& call,
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
                           : "template `" + parent.name + "` declares no input parameter `" +
                                 input + "`";
            }
            if (name.rfind("inputs.artifacts.", 0) == 0) {
                std::string artifact = name.substr(17);
                return model::find_by_name(parent.inputs.artifacts, artifact) != nullptr
                           ? ""
                           : "template `" + parent.name + "` declares no input artifact `" +
                                 artifact + "`";
            }
            return check_global(name);
        };
    }

    void check_call(const model::Template& parent, const model::TaskCall& call,
                    const TagChecker& checker) {
        if (!call.template_name.empty() && m_workflow.find_template(call.template_name) == nullptr) {
            error(call.yaml_path + ".template",
                  "task `" + call.name + "` calls template `" + call.template_name +
                      "`, which this workflow does not define");
        }
        for (const model::Parameter& parameter : call.arguments.parameters) {
            check_tags(parameter.yaml_path, parameter.value.value_or(""), checker);
        }
        check_supplied_inputs(call);
        for (const model::Artifact& artifact : call.arguments.artifacts) {
            check_tags(artifact.yaml_path, artifact.raw_data.value_or(""), checker);
            if (artifact.from) {
                std::vector<Tag> tags = find_tags(*artifact.from);
                if (tags.size() != 1 || tags.front().begin != 0 ||
                    tags.front().end != artifact.from->size()) {
                    error(artifact.yaml_path + ".from",
                          "`from` must be a single placeholder such as "
                          "{{tasks.x.outputs.artifacts.y}}");
                } else {
                    check_tags(artifact.yaml_path + ".from", *artifact.from, checker);
                }
            }
        }
        if (!call.when.empty()) {
            check_tags(call.yaml_path + ".when", call.when, checker);
            // Structure only: values are not known before the run.
            auto replaced = substitute(call.when, [](const std::string&) {
                return std::optional<std::string>("x");
            });
            if (replaced.ok()) {
                auto syntax = check_when_syntax(*replaced);
                if (!syntax.ok()) {
                    error(call.yaml_path + ".when", syntax.error().message);
                }
            }
        }
        check_tags(call.yaml_path + ".withParam", call.with_param, checker);
        if (call.with_items) {
            std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& value) {
                if (value.is_string()) {
                    check_tags(call.yaml_path + ".withItems", value.get<std::string>(), checker);
                } else if (value.is_structured()) {
                    for (const auto& inner : value) {
                        walk(inner);
                    }
                }
            };
            walk(*call.with_items);
        }
        if (call.with_sequence && call.with_sequence->count && call.with_sequence->end) {
            error(call.yaml_path + ".withSequence", "withSequence takes `count` or `end`, not both");
        } else if (call.with_sequence) {
            // Known before the run when no field holds a placeholder: check its size now.
            const model::Sequence& sequence = *call.with_sequence;
            auto has_tag = [](const std::optional<std::string>& field) {
                return field && field->find("{{") != std::string::npos;
            };
            if (!has_tag(sequence.count) && !has_tag(sequence.start) && !has_tag(sequence.end)) {
                auto items = items_from_sequence(sequence);
                // Only the size here (ErrorKind::Input); a bad format stays a run-time error.
                if (!items.ok() && items.error().kind == base::ErrorKind::Input) {
                    error(call.yaml_path + ".withSequence", items.error().message);
                }
            }
        }
        if (call.with_items) {
            auto size = check_loop_item_count(call.with_items->size(), "withItems");
            if (!size.ok()) {
                error(call.yaml_path + ".withItems", size.error().message);
            }
        }
        if (!call.on_exit.empty()) {
            error(call.yaml_path + ".onExit",
                  "task-level `onExit` is not supported yet (spec.onExit is)");
        }
    }

    // Every input parameter of the called template without a `value` or `default` must be given
    // a value by the call: Argo refuses the workflow at submission otherwise
    // ("inputs.parameters.NAME was not supplied"), and the step could not run.
    void check_supplied_inputs(const model::TaskCall& call) {
        const model::Template* called = m_workflow.find_template(call.template_name);
        if (called == nullptr) {
            return;
        }
        for (const model::Parameter& input : called->inputs.parameters) {
            if (input.value || input.default_value || (!input.type.empty() && input.optional)) {
                continue;  // a typed optional input may stay unbound (KFP v2 isOptional)
            }
            const model::Parameter* given =
                model::find_by_name(call.arguments.parameters, input.name);
            if (given != nullptr && (given->value || given->default_value ||
                                     given->from_parameter || given->from_expression ||
                                     given->from_supplied)) {
                continue;
            }
            error(call.yaml_path, "`" + call.name + "` calls template `" + called->name +
                                      "` without its input parameter `" + input.name +
                                      "`, which has no default (Argo: inputs.parameters." +
                                      input.name + " was not supplied)");
        }
    }

    // The names `tasks.X.*` may use: X must exist, and X's outputs must be declared.
    std::string check_sibling_reference(const std::string& name, const std::string& prefix,
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
                return "template `" + tmpl->name + "` declares no output parameter `" + output +
                       "`";
            }
        } else if (field.rfind("outputs.artifacts.", 0) == 0) {
            std::string output = field.substr(18);
            if (model::find_by_name(tmpl->outputs.artifacts, output) == nullptr) {
                return "template `" + tmpl->name + "` declares no output artifact `" + output +
                       "`";
            }
        }
        return "";
    }

    void check_dag(const model::Template& tmpl) {
        std::map<std::string, const model::TaskCall*> tasks;
        for (const model::TaskCall& task : tmpl.dag.tasks) {
            if (!tasks.emplace(task.name, &task).second) {
                error(task.yaml_path, "task name `" + task.name + "` is used twice in template `" +
                                          tmpl.name + "`");
            }
            if (!task.name.empty() && std::isdigit(static_cast<unsigned char>(task.name[0])) != 0) {
                error(task.yaml_path, "task name `" + task.name + "` must not start with a digit");
            }
        }
        std::map<std::string, std::set<std::string>> edges;
        for (const model::TaskCall& task : tmpl.dag.tasks) {
            if (!task.depends.empty() && !task.dependencies.empty()) {
                error(task.yaml_path, "task `" + task.name +
                                          "` uses both `depends` and `dependencies`");
            }
            std::set<std::string> dependencies(task.dependencies.begin(), task.dependencies.end());
            if (!task.depends.empty()) {
                auto logic = DependsExpression::parse(task.depends);
                if (!logic.ok()) {
                    error(task.yaml_path + ".depends", logic.error().message);
                } else {
                    dependencies = logic->tasks();
                }
            }
            for (const std::string& dependency : dependencies) {
                if (tasks.count(dependency) == 0) {
                    error(task.yaml_path, "task `" + task.name + "` depends on `" + dependency +
                                              "`, which is not a task of template `" + tmpl.name +
                                              "`");
                }
            }
            edges[task.name] = dependencies;
            auto sibling = [this, &tasks](const std::string& name) {
                if (name.rfind("steps.", 0) == 0) {
                    return std::string("{{steps.*}} is used in a DAG; use {{tasks.*}}");
                }
                return check_sibling_reference(name, "tasks.", tasks);
            };
            check_call(tmpl, task, task_checker(tmpl, task, sibling));
        }
        // Cycles: a depth-first walk over the dependency edges.
        std::map<std::string, int> state;  // 0 new, 1 on the stack, 2 done
        std::function<bool(const std::string&, std::vector<std::string>&)> visit =
            [&](const std::string& name, std::vector<std::string>& path) -> bool {
            state[name] = 1;
            path.push_back(name);
            for (const std::string& next : edges[name]) {
                if (tasks.count(next) == 0) {
                    continue;
                }
                if (state[next] == 1) {
                    path.push_back(next);
                    return true;
                }
                if (state[next] == 0 && visit(next, path)) {
                    return true;
                }
            }
            path.pop_back();
            state[name] = 2;
            return false;
        };
        for (const model::TaskCall& task : tmpl.dag.tasks) {
            std::vector<std::string> path;
            if (state[task.name] == 0 && visit(task.name, path)) {
                error(task.yaml_path, "the tasks of template `" + tmpl.name +
                                          "` depend on each other in a cycle: " +
                                          base::join(path, " -> "));
                break;
            }
        }
        if (!tmpl.dag.target.empty()) {
            for (const std::string& target : base::split(tmpl.dag.target, ' ')) {
                if (!target.empty() && tasks.count(target) == 0) {
                    error(tmpl.yaml_path + ".dag.target",
                          "target `" + target + "` is not a task of template `" + tmpl.name + "`");
                }
            }
        }
    }

    void check_steps(const model::Template& tmpl) {
        std::map<std::string, const model::TaskCall*> earlier;
        for (const auto& group : tmpl.steps.groups) {
            for (const model::TaskCall& step : group) {
                auto sibling = [this, &earlier](const std::string& name) {
                    if (name.rfind("tasks.", 0) == 0) {
                        return std::string("{{tasks.*}} is used in steps; use {{steps.*}}");
                    }
                    return check_sibling_reference(name, "steps.", earlier);
                };
                check_call(tmpl, step, task_checker(tmpl, step, sibling));
            }
            for (const model::TaskCall& step : group) {
                earlier[step.name] = &step;
            }
        }
    }

    void check_template(const model::Template& tmpl) {
        switch (tmpl.kind) {
            case model::Template::Kind::Container:
            case model::Template::Kind::Script:
                check_leaf(tmpl);
                break;
            case model::Template::Kind::Dag:
                check_dag(tmpl);
                break;
            case model::Template::Kind::Steps:
                check_steps(tmpl);
                break;
            case model::Template::Kind::Resource:
                check_resource(tmpl);
                break;
            case model::Template::Kind::Suspend:
                error(tmpl.yaml_path + ".suspend",
                      "suspend templates wait for a person to resume them; kfrun cannot run them");
                break;
            case model::Template::Kind::Importer:
                check_importer(tmpl);
                break;
            case model::Template::Kind::Unsupported:
                break;  // reported through the loader's notice
        }
        if (!tmpl.is_leaf() && tmpl.active_deadline_seconds) {
            error(tmpl.yaml_path + ".activeDeadlineSeconds",
                  "activeDeadlineSeconds is only valid for leaf templates");
        } else if (tmpl.active_deadline_seconds &&
                   tmpl.active_deadline_seconds->find("{{") == std::string::npos) {
            auto seconds = base::parse_k8s_int64(*tmpl.active_deadline_seconds);
            if (!seconds || *seconds < 0) {
                error(tmpl.yaml_path + ".activeDeadlineSeconds",
                      "activeDeadlineSeconds must be a whole number of seconds (an int64), not `" +
                          *tmpl.active_deadline_seconds + "`");
            }
        }
        check_volumes(tmpl);
        for (const auto& init : tmpl.init_containers) {
            if (init.image.find("kfp-launcher") != std::string::npos) {
                error(tmpl.yaml_path + ".initContainers",
                      "this step runs through KFP's v2-compatible launcher, which needs a KFP "
                      "cluster (ML Metadata and the launcher binary)");
                break;
            }
        }
    }

    void check_volumes(const model::Template& tmpl) {
        auto check_mounts = [&](const model::ContainerSpec& container) {
            for (std::size_t i = 0; i < container.volume_mounts.size(); ++i) {
                const model::VolumeMount& mount = container.volume_mounts[i];
                std::string path = container.yaml_path + ".volumeMounts[" + std::to_string(i) + "]";
                if (model::find_by_name(tmpl.volumes, mount.name) == nullptr &&
                    model::find_by_name(m_workflow.volumes, mount.name) == nullptr &&
                    model::find_by_name(m_workflow.volume_claim_templates, mount.name) == nullptr) {
                    error(path, "volumeMount `" + mount.name +
                                    "` names no volume of the template or the workflow");
                }
                if (mount.sub_path.find("..") != std::string::npos ||
                    (!mount.sub_path.empty() && mount.sub_path.front() == '/')) {
                    error(path + ".subPath", "subPath must be a relative path inside the volume");
                }
            }
        };
        check_mounts(tmpl.container);
        for (const auto& init : tmpl.init_containers) {
            check_mounts(init);
        }
        for (const auto& sidecar : tmpl.sidecars) {
            check_mounts(sidecar);
        }
        for (const model::Volume& volume : tmpl.volumes) {
            if (volume.kind == model::Volume::Kind::Other) {
                error(volume.yaml_path, "volume `" + volume.name + "` of kind `" +
                                            volume.other_kind + "` has no local equivalent");
            }
            if (volume.kind == model::Volume::Kind::PersistentVolumeClaim) {
                check_tags(volume.yaml_path, volume.claim_name, leaf_checker(tmpl));
            }
        }
    }

    // A KFP v2 importer: its URI may name the importer's own inputs; it makes one artifact.
    void check_importer(const model::Template& tmpl) {
        check_tags(tmpl.importer.yaml_path, tmpl.importer.uri, leaf_checker(tmpl));
        if (tmpl.outputs.artifacts.size() != 1) {
            error(tmpl.yaml_path, "an importer makes exactly one output artifact");
        }
    }

    void check_resource(const model::Template& tmpl) {
        const std::string path = tmpl.yaml_path + ".resource";
        const std::string& action = tmpl.resource.action;
        if (action != "create" && action != "apply" && action != "delete") {
            error(path + ".action", "resource action `" + action +
                                        "` is not supported locally (create, apply and delete are)");
            return;
        }
        check_tags(path + ".manifest", tmpl.resource.manifest, leaf_checker(tmpl));
        ResourceKind kind = resource_kind(tmpl.resource.manifest);
        if (kind.kind.empty()) {
            return;  // unreadable before substitution; the step reports it when it runs
        }
        if (!kind.supported) {
            Diagnostic diagnostic{Severity::Error, m_workflow.sources.describe(path),
                                  "template `" + tmpl.name + "` creates a " + kind.kind + " (" +
                                      kind.api_version +
                                      "), which exists only in a Kubernetes cluster; kfrun cannot "
                                      "run it locally (--skip-unsupported skips it and runs the "
                                      "rest)",
                                  true};
            m_diagnostics.push_back(std::move(diagnostic));
        }
        for (const model::Parameter& output : tmpl.outputs.parameters) {
            if (output.from_jq) {
                error(output.yaml_path, "jqFilter outputs of resource templates are not supported");
            }
        }
    }

    const model::Workflow& m_workflow;
    std::vector<Diagnostic> m_diagnostics;
    std::set<std::string> m_reported;
};

}  // namespace

std::vector<Diagnostic> validate_workflow(const model::Workflow& workflow) {
    return WorkflowValidator(workflow).run();
}

}  // namespace kfrun::engine
