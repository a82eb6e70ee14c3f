// Executor, part two: the run's parameters and globals, and how a template call becomes a node.
#include <nlohmann/json.hpp>

#include "base/json_text.hpp"
#include "base/strings.hpp"
#include "engine/dag_controller.hpp"
#include "engine/executor.hpp"
#include "engine/kfp_input_check.hpp"
#include "engine/loop_items.hpp"
#include "engine/placeholder.hpp"
#include "engine/retry_controller.hpp"
#include "engine/steps_controller.hpp"
#include "engine/task_outputs.hpp"
#include "engine/typed_arguments.hpp"

namespace kfrun::engine {

namespace {

base::Error input_error(std::string message, std::string where = {}) {
    return base::make_error(base::ErrorKind::Input, std::move(message), std::move(where));
}

// KFP's API server expands these macros in run parameters.
std::string expand_kfp_macros(std::string value, const std::string& run_id) {
    if (value.find("[[") == std::string::npos) {
        return value;
    }
    value = base::replace_all(std::move(value), "[[RunUUID]]", run_id);
    value = base::replace_all(std::move(value), "[[Index]]", "0");
    std::string now = base::format_rfc3339(std::chrono::system_clock::now());
    std::string compact;
    for (char c : now) {
        if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
            compact += c;
        }
    }
    value = base::replace_all(std::move(value), "[[CurrentTime]]", compact);
    value = base::replace_all(std::move(value), "[[ScheduledTime]]", compact);
    return value;
}

// Go's strconv.Quote for the JSON text Argo gives {{workflow.failures}}.
std::string go_quote(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += c;
        }
    }
    return out + "\"";
}

}  // namespace

base::Result<void> Executor::prepare() {
    // Run parameters: the workflow's arguments, overridden by -p, each needing a value.
    for (const auto& [name, value] : m_options.parameters) {
        if (model::find_by_name(m_workflow.arguments.parameters, name) == nullptr) {
            std::vector<std::string> known;
            for (const auto& parameter : m_workflow.arguments.parameters) {
                known.push_back(parameter.name);
            }
            return input_error("unknown parameter `" + name + "`; the pipeline's parameters are: " +
                                   (known.empty() ? "(none)" : base::join(known, ", ")),
                               "-p " + name);
        }
    }
    for (const model::Parameter& parameter : m_workflow.arguments.parameters) {
        bool typed = !parameter.type.empty();
        std::optional<std::string> value = parameter.value;
        if (!value && typed) {
            value = parameter.default_value;
        }
        for (const auto& [name, override_value] : m_options.parameters) {
            if (name != parameter.name) {
                continue;
            }
            if (!typed) {
                value = override_value;
                continue;
            }
            // A typed (KFP v2) input: converted by its declared type, as the API server checks.
            auto converted = typed_argument(parameter, override_value);
            KFRUN_TRY(converted);
            value = *converted;
            for (std::string& warning : typed_argument_warnings(parameter, *value)) {
                m_state.warnings.push_back(std::move(warning));
            }
        }
        if (!value && typed && parameter.optional) {
            continue;  // an optional input left out: not bound at all (JSON null)
        }
        if (!value && typed) {
            return input_error("pipeline input `" + parameter.name + "` (" + parameter.type +
                                   ") is required and has no default; pass it with -p " +
                                   parameter.name + "=VALUE",
                               m_workflow.sources.describe(parameter.yaml_path));
        }
        if (!value) {
            return input_error("pipeline parameter `" + parameter.name +
                                   "` has no value; pass it with -p " + parameter.name + "=VALUE",
                               m_workflow.sources.describe(parameter.yaml_path));
        }
        if (!parameter.enum_values.empty() &&
            std::find(parameter.enum_values.begin(), parameter.enum_values.end(), *value) ==
                parameter.enum_values.end()) {
            return input_error("pipeline parameter `" + parameter.name + "` must be one of: " +
                                   base::join(parameter.enum_values, ", "),
                               m_workflow.sources.describe(parameter.yaml_path));
        }
        bool textual = !typed || parameter.type == "STRING";
        m_parameters.emplace_back(parameter.name,
                                  textual ? expand_kfp_macros(*value, m_options.run_id) : *value);
    }
    m_state.parameters = m_parameters;

    // Globals, as Argo's controller sets them.
    m_globals.set("workflow.name", m_options.workflow_name);
    m_globals.set("workflow.uid", m_options.run_id);
    m_globals.set("workflow.namespace", m_options.namespace_name);
    m_globals.set("workflow.serviceAccountName", m_workflow.service_account);
    m_globals.set("workflow.status", "Running");
    std::string created = base::format_rfc3339(std::chrono::system_clock::now());
    m_globals.set("workflow.creationTimestamp", created);
    m_globals.set("workflow.creationTimestamp.RFC3339", created);
    nlohmann::json parameters = nlohmann::json::array();
    for (const auto& [name, value] : m_parameters) {
        m_globals.set("workflow.parameters." + name, value);
        parameters.push_back({{"name", name}, {"value", value}});
    }
    m_globals.set("workflow.parameters", base::json_text(parameters));
    nlohmann::json labels = nlohmann::json::object();
    for (const auto& [key, value] : m_workflow.labels) {
        m_globals.set("workflow.labels." + key, value);
        labels[key] = value;
    }
    m_globals.set("workflow.labels", base::json_text(labels));
    nlohmann::json annotations = nlohmann::json::object();
    for (const auto& [key, value] : m_workflow.annotations) {
        m_globals.set("workflow.annotations." + key, value);
        annotations[key] = value;
    }
    m_globals.set("workflow.annotations", base::json_text(annotations));
    return base::ok();
}

void Executor::set_workflow_status_globals() {
    m_globals.set("workflow.status", to_string(m_state.phase));
    nlohmann::json failures = nlohmann::json::array();
    for (const Node& node : m_state.nodes()) {
        if (is_failed_or_error(node.phase)) {
            failures.push_back({{"displayName", node.display_name},
                                {"message", node.message},
                                {"templateName", node.template_name},
                                {"phase", to_string(node.phase)},
                                {"podName", node.id},
                                {"finishedAt", base::format_rfc3339(node.finished_at)}});
        }
    }
    m_globals.set("workflow.failures", go_quote(base::json_text(failures)));
    auto elapsed = std::chrono::system_clock::now() - m_state.started_at;
    m_globals.set("workflow.duration",
                  std::to_string(std::chrono::duration<double>(elapsed).count()));
}

base::Result<void> Executor::bind_inputs(Node& node, const model::Template& tmpl,
                                         const CallRequest& request) {
    Scope scope(&m_globals);
    for (const model::Parameter& parameter : tmpl.inputs.parameters) {
        std::optional<std::string> value;
        for (const auto& [name, argument] : request.parameters) {
            if (name == parameter.name) {
                value = argument;
            }
        }
        if (!value) {
            value = parameter.value ? parameter.value : parameter.default_value;
            if (value) {
                auto substituted = substitute(*value, scope);
                KFRUN_TRY(substituted);
                value = *substituted;
            }
        }
        if (!value && !parameter.type.empty()) {
            continue;  // typed (KFP v2): unbound; kfp_input_problem judges it
        }
        if (!value) {
            return base::make_error(base::ErrorKind::Step,
                                    "inputs.parameters." + parameter.name + " was not supplied");
        }
        if (!parameter.enum_values.empty() &&
            std::find(parameter.enum_values.begin(), parameter.enum_values.end(), *value) ==
                parameter.enum_values.end()) {
            return base::make_error(base::ErrorKind::Step,
                                    "inputs.parameters." + parameter.name + " value '" + *value +
                                        "' is not one of: " + base::join(parameter.enum_values, ", "));
        }
        scope.set("inputs.parameters." + parameter.name, *value);
        node.input_parameters.emplace_back(parameter.name, *value);
    }
    for (const model::Artifact& declared : tmpl.inputs.artifacts) {
        std::optional<ArtifactRef> artifact;
        std::optional<std::string> raw;
        std::vector<ArtifactRef> collected;  // several arguments of one name: a list input
        for (const ArgumentArtifact& argument : request.artifacts) {
            if (argument.name == declared.name) {
                artifact = argument.artifact;
                raw = argument.raw;
                if (argument.artifact && !argument.raw) {
                    collected.push_back(*argument.artifact);
                }
            }
        }
        if (collected.size() > 1) {
            auto path = substitute(declared.path, scope);
            KFRUN_TRY(path);
            for (ArtifactRef& one : collected) {
                node.input_artifacts.push_back(NamedArtifact{declared.name, std::move(one), *path});
            }
            continue;
        }
        if (!artifact && !raw) {
            if (declared.raw_data) {
                auto data = substitute(*declared.raw_data, scope);
                KFRUN_TRY(data);
                raw = *data;
            } else if (declared.from) {
                std::vector<Tag> tags = find_tags(*declared.from);
                const ArtifactRef* found =
                    tags.size() == 1 ? scope.find_artifact(tags.front().name) : nullptr;
                if (found != nullptr) {
                    artifact = *found;
                }
            }
        }
        if (raw) {
            if (m_options.dry_run) {
                artifact = ArtifactRef{ArtifactRef::Kind::File, "dry-run", raw->size(), 1};
            } else {
                auto stored = m_store.ingest_bytes(*raw);
                KFRUN_TRY(stored);
                artifact = *stored;
            }
        }
        if (!artifact) {
            if (declared.optional) {
                continue;
            }
            return base::make_error(base::ErrorKind::Step,
                                    "inputs.artifacts." + declared.name + " was not supplied");
        }
        auto path = substitute(declared.path, scope);
        KFRUN_TRY(path);
        node.input_artifacts.push_back(NamedArtifact{declared.name, *artifact, *path});
    }
    return base::ok();
}

NodeIndex Executor::call(CallRequest request) {
    const model::Template* tmpl = m_workflow.find_template(request.template_name);
    if (tmpl == nullptr) {
        return add_fulfilled(request.node_name, request.display_name, NodeType::Skipped,
                             request.template_name, request.parent, request.boundary,
                             NodePhase::Error,
                             "template `" + request.template_name + "` does not exist");
    }
    if (auto room = check_run_nodes(m_state.size(), 1); !room.ok()) {
        return add_fulfilled(request.node_name, request.display_name, NodeType::Skipped,
                             request.template_name, request.parent, request.boundary,
                             NodePhase::Error, room.error().message);
    }
    if (request.depth > m_options.max_recursion_depth) {
        return add_fulfilled(request.node_name, request.display_name, NodeType::Skipped,
                             request.template_name, request.parent, request.boundary,
                             NodePhase::Error,
                             "Maximum recursion depth exceeded (" +
                                 std::to_string(m_options.max_recursion_depth) +
                                 " nested template calls; see --max-recursion-depth)");
    }
    const model::RetryStrategy* retry =
        tmpl->retry_strategy ? &*tmpl->retry_strategy
                             : (m_workflow.retry_strategy ? &*m_workflow.retry_strategy : nullptr);
    if (retry != nullptr && request.retry_attempt < 0) {
        Node& node = m_state.add_node(request.node_name, request.display_name, NodeType::Retry,
                                      tmpl->name, request.parent, request.boundary);
        node.depends_on = request.depends_on;
        node.fresh = is_fresh(node);
        node.phase = NodePhase::Running;
        node.started_at = std::chrono::system_clock::now();
        Scope scope(&m_globals);
        for (const auto& [name, value] : request.parameters) {
            scope.set("inputs.parameters." + name, value);
        }
        auto plan = make_retry_plan(*retry, scope);
        if (!plan.ok()) {
            finish(node.index, NodePhase::Error, plan.error().message);
            return node.index;
        }
        NodeIndex index = node.index;
        m_observer.on_node_started(m_state, node);
        auto controller = std::make_unique<RetryController>(index, request, std::move(*plan));
        RetryController* raw = controller.get();
        attach_controller(index, std::move(controller));
        raw->begin(*this);
        return index;
    }
    NodeType type = NodeType::Pod;
    if (tmpl->kind == model::Template::Kind::Dag) {
        type = NodeType::Dag;
    } else if (tmpl->kind == model::Template::Kind::Steps) {
        type = NodeType::Steps;
    } else if (tmpl->kind == model::Template::Kind::Suspend) {
        type = NodeType::Suspend;
    }
    Node& node = m_state.add_node(request.node_name, request.display_name, type, tmpl->name,
                                  request.parent, request.boundary);
    node.retry_attempt = request.retry_attempt;
    node.depends_on = request.depends_on;
    node.fresh = is_fresh(node);
    node.started_at = std::chrono::system_clock::now();
    node.phase = type == NodeType::Pod ? NodePhase::Pending : NodePhase::Running;
    auto bound = bind_inputs(node, *tmpl, request);
    if (!bound.ok()) {
        finish(node.index, NodePhase::Error, bound.error().message);
        return node.index;
    }
    if (auto problem = kfp_input_problem(node, *tmpl, m_options.dry_run)) {
        finish(node.index, NodePhase::Failed, *problem);  // as the backend's driver fails it
        return node.index;
    }
    start_template(node, *tmpl, request);
    return node.index;
}

void Executor::start_template(Node& node, const model::Template& tmpl, const CallRequest& request) {
    NodeIndex index = node.index;
    switch (tmpl.kind) {
        case model::Template::Kind::Container:
        case model::Template::Kind::Script:
        case model::Template::Kind::Resource: {
            auto job = m_planner.plan(node, tmpl);
            if (!job.ok()) {
                finish(index, NodePhase::Error, job.error().message);
                return;
            }
            if (job->resource && m_options.skip_unsupported) {
                ResourceKind kind = resource_kind(job->resource->manifest);
                if (!kind.supported) {
                    finish(index, NodePhase::Skipped,
                           "skipped (--skip-unsupported): a " + kind.kind + " (" +
                               kind.api_version + ") cannot be created locally");
                    return;
                }
            }
            job->label = step_label(m_state, node);
            job->cache.rerun = node.fresh && (m_options.replay.mode == Replay::Mode::Only ||
                                              m_options.replay.mode == Replay::Mode::From);
            m_ready.push_back(std::make_unique<PodJob>(std::move(job.value())));
            return;
        }
        case model::Template::Kind::Dag:
        case model::Template::Kind::Steps: {
            m_observer.on_node_started(m_state, node);
            auto scope = std::make_unique<Scope>(&m_globals);
            for (const auto& [name, value] : node.input_parameters) {
                scope->set("inputs.parameters." + name, value);
            }
            set_named_artifacts(*scope, "inputs.artifacts.", node.input_artifacts);
            if (tmpl.kind == model::Template::Kind::Dag) {
                auto controller =
                    std::make_unique<DagController>(index, tmpl, std::move(scope), request.depth);
                DagController* raw = controller.get();
                attach_controller(index, std::move(controller));
                raw->begin(*this);
            } else {
                auto controller =
                    std::make_unique<StepsController>(index, tmpl, std::move(scope), request.depth);
                StepsController* raw = controller.get();
                attach_controller(index, std::move(controller));
                raw->begin(*this);
            }
            return;
        }
        case model::Template::Kind::Importer:
            run_importer(node, tmpl);
            return;
        case model::Template::Kind::Suspend:
            finish(index, NodePhase::Error,
                   "suspend templates wait for a person to resume them; kfrun cannot run them");
            return;
        case model::Template::Kind::Unsupported:
            finish(index, NodePhase::Error,
                   "template `" + tmpl.name + "` is of a kind kfrun cannot run");
            return;
    }
}

}  // namespace kfrun::engine
