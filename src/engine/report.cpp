#include "engine/report.hpp"

#include <chrono>

#include "engine/artifact_info_json.hpp"

namespace kfrun::engine {

namespace {

nlohmann::json time_or_null(base::SystemTime time) {
    if (time == base::SystemTime{}) {
        return nullptr;
    }
    return base::format_rfc3339(time, true);
}

nlohmann::json artifact_json(const NamedArtifact& artifact) {
    nlohmann::json out = {{"name", artifact.name},
                          {"sha256", artifact.artifact.digest},
                          {"size", artifact.artifact.size},
                          {"kind", artifact.artifact.is_directory() ? "directory" : "file"}};
    if (artifact.artifact.is_directory()) {
        out["files"] = artifact.artifact.file_count;
    }
    if (!artifact.path.empty()) {
        out["path"] = artifact.path;
    }
    add_artifact_info(out, artifact.artifact);  // typed (KFP v2): uri, artifactId, type, metadata
    return out;
}

long long millis(Millis duration) { return duration.count(); }

// A node's outputs as report.json writes them: {"parameters": {name: value}, "artifacts": [...]}.
nlohmann::json outputs_json(const NodeOutputs& outputs) {
    nlohmann::json parameters = nlohmann::json::object();
    for (const auto& [name, value] : outputs.parameters) {
        parameters[name] = value;
    }
    nlohmann::json artifacts = nlohmann::json::array();
    for (const NamedArtifact& artifact : outputs.artifacts) {
        artifacts.push_back(artifact_json(artifact));
    }
    return {{"parameters", parameters}, {"artifacts", artifacts}};
}

nlohmann::json step_json(const RunState& state, const Node& node) {
    nlohmann::json step;
    step["name"] = node.display_name;
    step["label"] = step_label(state, node);
    step["id"] = node.id;
    step["nodeName"] = node.name;
    step["template"] = node.template_name;
    nlohmann::json depends_on = nlohmann::json::array();
    for (NodeIndex dependency : node.depends_on) {
        depends_on.push_back(state.node(dependency).id);
    }
    step["dependsOn"] = depends_on;
    step["type"] = to_string(node.type);
    step["phase"] = to_string(node.phase);
    if (!node.message.empty()) {
        step["message"] = node.message;
    }
    step["startedAt"] = time_or_null(node.started_at);
    step["finishedAt"] = time_or_null(node.finished_at);
    if (node.retry_attempt >= 0) {
        step["retryAttempt"] = node.retry_attempt;
    }
    nlohmann::json input_parameters = nlohmann::json::object();
    for (const auto& [name, value] : node.input_parameters) {
        input_parameters[name] = value;
    }
    nlohmann::json input_artifacts = nlohmann::json::array();
    for (const NamedArtifact& artifact : node.input_artifacts) {
        input_artifacts.push_back(artifact_json(artifact));
    }
    step["inputs"] = {{"parameters", input_parameters}, {"artifacts", input_artifacts}};
    step["outputs"] = outputs_json(node.outputs);
    if (node.outputs.result) {
        step["outputs"]["result"] = *node.outputs.result;
    }
    step["exitCode"] = nullptr;
    step["image"] = nullptr;
    step["imageDigest"] = nullptr;
    step["metrics"] = nlohmann::json::array();
    step["uiMetadata"] = nlohmann::json::array();
    if (!node.step) {
        return step;
    }
    const StepRecord& record = *node.step;
    step["exitCode"] = record.exit_code >= 0 ? nlohmann::json(record.exit_code) : nullptr;
    step["image"] = record.image;
    step["originalImage"] = record.original_image;
    step["imageDigest"] = record.image_id;
    step["container"] = record.container_name;
    step["command"] = record.command;
    step["args"] = record.args;
    if (record.oom_killed) {
        step["oomKilled"] = true;
    }
    step["cache"] = to_string(record.cache);
    if (!record.cache_key.empty()) {
        step["cacheKey"] = record.cache_key;
    }
    if (record.cache == CacheOutcome::Hit) {
        step["cacheSavedMs"] = millis(record.cache_saved);
        step["cachedFromRun"] = record.cache_source_run;
    }
    if (!record.cache_explanation.empty()) {
        step["cacheMissReasons"] = record.cache_explanation;
    }
    if (!record.reused_from_run.empty()) {
        step["reusedFromRun"] = record.reused_from_run;
    }
    step["timings"] = {{"pullMs", millis(record.pull_time)},
                       {"createMs", millis(record.timings.create)},
                       {"runMs", millis(record.timings.run)},
                       {"collectMs", millis(record.timings.collect)},
                       {"cleanupMs", millis(record.timings.cleanup)}};
    nlohmann::json metrics = nlohmann::json::array();
    for (const Metric& metric : record.metrics) {
        nlohmann::json entry = {{"name", metric.name}, {"numberValue", metric.value}};
        if (!metric.format.empty()) {
            entry["format"] = metric.format;
        }
        metrics.push_back(std::move(entry));
    }
    step["metrics"] = metrics;
    step["uiMetadata"] = record.ui_metadata;
    if (!record.packages.empty()) {
        step["packages"] = record.packages;
    }
    if (!record.warnings.empty()) {
        step["warnings"] = record.warnings;
    }
    if (!record.log_tail.empty()) {
        step["logTail"] = record.log_tail;
    }
    return step;
}

}  // namespace

bool is_report_step(const Node& node) {
    return node.type == NodeType::Pod || node.type == NodeType::Skipped;
}

nlohmann::json build_report(const RunState& state, const ReportContext& context) {
    nlohmann::json report;
    report["schemaVersion"] = k_report_schema_version;
    report["kfrunVersion"] = context.kfrun_version;
    report["runId"] = state.run_id;
    report["workflowName"] = state.workflow_name;
    report["pipeline"] = {{"name", context.pipeline_name}, {"file", context.pipeline_file}};
    report["dryRun"] = context.dry_run;
    NodePhase phase = state.phase;
    report["status"] = phase == NodePhase::Succeeded ? "Succeeded"
                       : phase == NodePhase::Failed  ? "Failed"
                       : phase == NodePhase::Error   ? "Error"
                                                     : to_string(phase);
    if (!state.message.empty()) {
        report["message"] = state.message;
    }
    nlohmann::json parameters = nlohmann::json::object();
    for (const auto& [name, value] : state.parameters) {
        parameters[name] = value;
    }
    report["parameters"] = parameters;
    // The pipeline's own outputs: the entry template's (KFP v2: root.outputDefinitions).
    report["outputs"] = state.root != k_no_node ? outputs_json(state.node(state.root).outputs)
                                                : outputs_json(NodeOutputs{});
    report["startedAt"] = time_or_null(state.started_at);
    report["finishedAt"] = time_or_null(state.finished_at);
    if (state.finished_at != base::SystemTime{}) {
        report["durationMs"] =
            std::chrono::duration_cast<Millis>(state.finished_at - state.started_at).count();
    }

    nlohmann::json steps = nlohmann::json::array();
    nlohmann::json run_metrics = nlohmann::json::array();
    nlohmann::json counts = {{"succeeded", 0}, {"failed", 0}, {"error", 0},
                             {"skipped", 0},   {"omitted", 0}, {"cached", 0},
                             {"reused", 0}};
    long long saved_ms = 0;
    for (const Node& node : state.nodes()) {
        if (!is_report_step(node)) {
            continue;
        }
        nlohmann::json step = step_json(state, node);
        switch (node.phase) {
            case NodePhase::Succeeded:
                counts["succeeded"] = counts["succeeded"].get<int>() + 1;
                break;
            case NodePhase::Failed:
                counts["failed"] = counts["failed"].get<int>() + 1;
                break;
            case NodePhase::Error:
                counts["error"] = counts["error"].get<int>() + 1;
                break;
            case NodePhase::Skipped:
                counts["skipped"] = counts["skipped"].get<int>() + 1;
                break;
            case NodePhase::Omitted:
                counts["omitted"] = counts["omitted"].get<int>() + 1;
                break;
            default:
                break;
        }
        if (node.step && node.step->cache == CacheOutcome::Hit) {
            counts["cached"] = counts["cached"].get<int>() + 1;
            saved_ms += millis(node.step->cache_saved);
        }
        if (node.step && node.step->cache == CacheOutcome::Reused) {
            counts["reused"] = counts["reused"].get<int>() + 1;
        }
        if (node.step) {
            for (const Metric& metric : node.step->metrics) {
                if (run_metrics.size() >= k_max_run_metrics) {
                    break;
                }
                nlohmann::json entry = {{"step", node.display_name}, {"nodeId", node.id},
                                        {"name", metric.name},       {"numberValue", metric.value}};
                if (!metric.format.empty()) {
                    entry["format"] = metric.format;
                }
                run_metrics.push_back(std::move(entry));
            }
        }
        steps.push_back(std::move(step));
    }
    report["steps"] = steps;
    report["counts"] = counts;
    report["cacheSavedMs"] = saved_ms;
    report["metrics"] = run_metrics;

    nlohmann::json nodes = nlohmann::json::array();
    for (const Node& node : state.nodes()) {
        nlohmann::json entry = {{"id", node.id},
                                {"name", node.name},
                                {"displayName", node.display_name},
                                {"type", to_string(node.type)},
                                {"phase", to_string(node.phase)},
                                {"template", node.template_name},
                                {"startedAt", time_or_null(node.started_at)},
                                {"finishedAt", time_or_null(node.finished_at)}};
        if (node.parent != k_no_node) {
            entry["parent"] = state.node(node.parent).id;
        }
        if (node.boundary != k_no_node) {
            entry["boundary"] = state.node(node.boundary).id;
        }
        nlohmann::json children = nlohmann::json::array();
        for (NodeIndex child : node.children) {
            children.push_back(state.node(child).id);
        }
        entry["children"] = children;
        nlohmann::json depends_on = nlohmann::json::array();
        for (NodeIndex dependency : node.depends_on) {
            depends_on.push_back(state.node(dependency).id);
        }
        entry["dependsOn"] = depends_on;
        if (!node.message.empty()) {
            entry["message"] = node.message;
        }
        nodes.push_back(std::move(entry));
    }
    report["nodes"] = nodes;
    report["warnings"] = state.warnings;
    return report;
}

}  // namespace kfrun::engine
