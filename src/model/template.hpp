#pragma once
// Template: one unit of work or of orchestration (container, script, DAG, steps, resource).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/container.hpp"
#include "model/io.hpp"
#include "model/launcher.hpp"

namespace kfrun::model {

struct ContinueOn {
    bool failed = false;
    bool error = false;
};

struct Sequence {
    std::optional<std::string> count;
    std::optional<std::string> start;
    std::optional<std::string> end;
    std::string format;
};

// A DAG task or a steps entry: a call of a template with arguments, maybe looped or conditional.
struct TaskCall {
    std::string name;
    std::string template_name;
    Arguments arguments;
    std::vector<std::string> dependencies;  // DAG `dependencies`
    std::string depends;                    // DAG `depends` (enhanced depends logic)
    std::string when;
    std::optional<nlohmann::json> with_items;  // a JSON array
    std::string with_param;
    std::optional<Sequence> with_sequence;
    ContinueOn continue_on;
    std::string on_exit;
    // A CEL condition (KFP v2 triggerPolicy.condition) over the called template's inputs as
    // `inputs.parameter_values['name']`, typed by their declarations; false → Skipped, an error
    // → Failed. Evaluated after `when`, with the call's arguments resolved.
    std::string condition;
    std::string yaml_path;

    bool is_loop() const { return with_items.has_value() || !with_param.empty() || with_sequence; }
};

struct Dag {
    std::vector<TaskCall> tasks;
    std::string target;
    std::optional<bool> fail_fast;
    // KFP v2: the DAG fails when any of its tasks failed, even one that a later task waited for
    // in any end state (the backend runs such tasks as Argo exit hooks, which handle no failure).
    bool any_failure_fails = false;
};

struct Steps {
    std::vector<std::vector<TaskCall>> groups;
};

struct Resource {
    std::string action;  // create, apply, delete, get, patch, replace
    std::string manifest;
    std::string success_condition;
    std::string failure_condition;
    std::string merge_strategy;
    // KFP v2 (kfp-kubernetes CreatePVC/DeletePVC): `manifest` is JSON whose string members are
    // substituted one by one, typed inputs taking their JSON value (engine/typed_manifest.hpp);
    // Argo's manifests are text, substituted as text.
    bool typed_manifest = false;
};

struct Backoff {
    std::string duration;
    std::string factor;
    std::string max_duration;
};

struct RetryStrategy {
    std::optional<std::string> limit;  // an int, or a placeholder to substitute
    std::string retry_policy;          // Always, OnFailure (default), OnError, OnTransientError
    std::optional<Backoff> backoff;
    std::string expression;
};

struct Memoize {
    std::string key;
    std::string max_age;
    std::string cache_name;
};

// A KFP v2 importer: no container runs; the artifact at `uri` becomes the template's one output
// artifact (outputs.artifacts[0], with its type and metadata) as the backend's importer launcher
// records it. `uri` may hold {{inputs.parameters.NAME}} (the importer's runtimeParameter).
struct Importer {
    std::string uri;
    std::string yaml_path;  // of artifactUri
};

struct Template {
    enum class Kind { Container, Script, Dag, Steps, Resource, Suspend, Importer, Unsupported };
    std::string name;
    Kind kind = Kind::Unsupported;
    std::string unsupported_kind;  // e.g. "data", "http", "containerSet", or empty
    Inputs inputs;
    Outputs outputs;
    ContainerSpec container;  // Container and Script
    Dag dag;
    Steps steps;
    Resource resource;
    Importer importer;  // Importer
    std::vector<ContainerSpec> init_containers;
    std::vector<ContainerSpec> sidecars;
    std::vector<Volume> volumes;
    SecurityContext pod_security;  // the template's securityContext (a PodSecurityContext)
    std::optional<std::string> active_deadline_seconds;
    std::optional<RetryStrategy> retry_strategy;
    std::optional<std::string> parallelism;
    std::optional<Memoize> memoize;
    std::string timeout;
    std::map<std::string, std::string> labels;       // metadata.labels
    std::map<std::string, std::string> annotations;  // metadata.annotations
    // Container templates run with KFP v2's driver and launcher semantics (typed inputs, the
    // executor input, typed output files, artifact URIs); `container.command/args` are empty
    // then and the launcher's command/args hold KFP's placeholders.
    std::optional<Launcher> launcher;
    std::string yaml_path;  // e.g. "spec.templates[3]"

    bool is_leaf() const {
        return kind == Kind::Container || kind == Kind::Script || kind == Kind::Resource ||
               kind == Kind::Suspend || kind == Kind::Importer;
    }
};

std::string to_string(Template::Kind kind);

}  // namespace kfrun::model
