#include "engine/task_resolution.hpp"

#include "engine/loop_items.hpp"
#include "engine/step_runner.hpp"
#include "engine/when_expression.hpp"

namespace kfrun::engine {

using base::Result;

namespace {

Result<nlohmann::json> substitute_json(const nlohmann::json& value, const Scope& scope,
                                       Unresolved unresolved) {
    if (value.is_string()) {
        auto text = substitute(value.get<std::string>(), scope, unresolved);
        KFRUN_TRY(text);
        return nlohmann::json(*text);
    }
    if (value.is_array() || value.is_object()) {
        nlohmann::json out = value;
        for (auto it = out.begin(); it != out.end(); ++it) {
            auto inner = substitute_json(it.value(), scope, unresolved);
            KFRUN_TRY(inner);
            it.value() = std::move(inner.value());
        }
        return out;
    }
    return value;
}

Result<void> substitute_in_place(std::string& text, const Scope& scope, Unresolved unresolved) {
    auto value = substitute(text, scope, unresolved);
    KFRUN_TRY(value);
    text = std::move(value.value());
    return base::ok();
}

Result<void> substitute_in_place(std::optional<std::string>& text, const Scope& scope,
                                 Unresolved unresolved) {
    if (text) {
        return substitute_in_place(*text, scope, unresolved);
    }
    return base::ok();
}

}  // namespace

Result<model::TaskCall> substitute_task(const model::TaskCall& call, const Scope& scope,
                                        Unresolved unresolved) {
    model::TaskCall out = call;
    for (model::Parameter& parameter : out.arguments.parameters) {
        KFRUN_TRY(substitute_in_place(parameter.value, scope, unresolved));
    }
    for (model::Artifact& artifact : out.arguments.artifacts) {
        KFRUN_TRY(substitute_in_place(artifact.raw_data, scope, unresolved));
    }
    KFRUN_TRY(substitute_in_place(out.when, scope, unresolved));
    KFRUN_TRY(substitute_in_place(out.with_param, scope, unresolved));
    if (out.with_items) {
        auto items = substitute_json(*out.with_items, scope, unresolved);
        KFRUN_TRY(items);
        out.with_items = std::move(items.value());
    }
    if (out.with_sequence) {
        KFRUN_TRY(substitute_in_place(out.with_sequence->count, scope, unresolved));
        KFRUN_TRY(substitute_in_place(out.with_sequence->start, scope, unresolved));
        KFRUN_TRY(substitute_in_place(out.with_sequence->end, scope, unresolved));
    }
    return out;
}

Result<std::vector<ArgumentArtifact>> resolve_artifact_arguments(const model::TaskCall& call,
                                                                 const Scope& scope) {
    std::vector<ArgumentArtifact> out;
    for (const model::Artifact& artifact : call.arguments.artifacts) {
        if (artifact.raw_data) {
            out.push_back(ArgumentArtifact{artifact.name, std::nullopt, artifact.raw_data});
            continue;
        }
        if (!artifact.from) {
            continue;  // no source here: the template's own declaration decides
        }
        std::vector<Tag> tags = find_tags(*artifact.from);
        std::optional<std::vector<ArtifactRef>> found;
        if (tags.size() == 1) {
            found = scope.find_artifacts(tags.front().name);
        }
        if (!found) {
            if (artifact.optional) {
                continue;
            }
            return base::make_error(base::ErrorKind::Step, "Unable to resolve: " + *artifact.from);
        }
        // A list (dsl.Collected) is several arguments of one name.
        for (ArtifactRef& one : *found) {
            out.push_back(ArgumentArtifact{artifact.name, std::move(one), std::nullopt});
        }
    }
    return out;
}

Result<std::vector<nlohmann::json>> loop_items(const model::TaskCall& call, bool dry_run) {
    if (call.with_items) {
        KFRUN_TRY(check_loop_item_count(call.with_items->size(), "withItems"));
        return std::vector<nlohmann::json>(call.with_items->begin(), call.with_items->end());
    }
    if (!call.with_param.empty()) {
        if (dry_run && is_dry_run_value(call.with_param)) {
            return std::vector<nlohmann::json>{nlohmann::json("<dry-run:item>")};
        }
        return items_from_param(call.with_param);
    }
    return items_from_sequence(*call.with_sequence);
}

Result<void> check_loop_items(const model::TaskCall& call, const std::vector<nlohmann::json>& items,
                              const Scope& scope) {
    model::TaskCall body = call;
    body.with_items.reset();
    body.with_param.clear();
    body.with_sequence.reset();
    for (const nlohmann::json& item : items) {
        Scope item_scope(&scope);
        bind_item(item_scope, item);
        auto substituted = substitute_task(body, item_scope, Unresolved::Fail);
        KFRUN_TRY(substituted);
    }
    return base::ok();
}

Result<bool> task_should_run(const std::string& when, bool dry_run) {
    if (when.empty()) {
        return true;
    }
    if (dry_run && is_dry_run_value(when)) {
        return true;
    }
    return evaluate_when(when);
}

}  // namespace kfrun::engine
