#include "report/source_uri.hpp"

#include <vector>

#include "base/strings.hpp"

namespace kfrun::report {

namespace {

std::string strip_archive_suffix(std::string_view name) {
    for (std::string_view suffix : {".tar.gz", ".tgz", ".tar"}) {
        if (name.size() > suffix.size() && name.ends_with(suffix)) {
            return std::string(name.substr(0, name.size() - suffix.size()));
        }
    }
    return std::string(name);
}

const nlohmann::json* output_named(const StepInfo& step, std::string_view name) {
    for (const nlohmann::json& artifact :
         json_array(json_field(*step.json, "outputs"), "artifacts")) {
        if (json_string(artifact, "name") == name) {
            return &artifact;
        }
    }
    return nullptr;
}

// Argo's pod names for a node: the node ID (pod names v1), or "<workflow>-<template>-<hash>"
// where the node ID is "<workflow>-<hash>" (pod names v2).
bool is_pod_of(const RunView& run, const StepInfo& step, std::string_view pod) {
    if (pod == step.id) {
        return true;
    }
    std::string workflow = json_string(run.report(), "workflowName");
    std::string tmpl = json_string(*step.json, "template");
    if (workflow.empty() || tmpl.empty() || !step.id.starts_with(workflow + "-")) {
        return false;
    }
    std::string hash = step.id.substr(workflow.size() + 1);
    return pod == workflow + "-" + tmpl + "-" + hash;
}

std::optional<ArtifactMatch> match_container_path(const StepInfo& step, std::string_view source) {
    std::string wanted(source);
    while (wanted.size() > 1 && wanted.back() == '/') {
        wanted.pop_back();
    }
    for (const nlohmann::json& artifact :
         json_array(json_field(*step.json, "outputs"), "artifacts")) {
        std::string path = json_string(artifact, "path");
        while (path.size() > 1 && path.back() == '/') {
            path.pop_back();
        }
        if (path.empty()) {
            continue;
        }
        std::string name = json_string(artifact, "name");
        if (wanted == path) {
            return ArtifactMatch{
                &step, &artifact, {}, "output artifact `" + name + "` (" + path + ")"};
        }
        if (json_string(artifact, "kind") == "directory" && wanted.starts_with(path + "/")) {
            std::string sub = wanted.substr(path.size() + 1);
            return ArtifactMatch{
                &step, &artifact, sub,
                "file " + sub + " in output artifact `" + name + "` (" + path + ")"};
        }
    }
    return std::nullopt;
}

std::optional<ArtifactMatch> match_storage_key(const RunView& run, const StepInfo& step,
                                               const StorageUri& uri) {
    if (uri.key.find('*') != std::string::npos) {
        return std::nullopt;  // wildcards read many objects from the bucket
    }
    std::vector<std::string> parts;
    for (std::string& part : base::split(uri.key, '/')) {
        if (!part.empty()) {
            parts.push_back(std::move(part));
        }
    }
    if (parts.empty()) {
        return std::nullopt;
    }
    std::string name = strip_archive_suffix(parts.back());
    // ".../<pod name>/<artifact>.tgz": the step is named by its pod.
    if (parts.size() >= 2) {
        const std::string& pod = parts[parts.size() - 2];
        for (const StepInfo& candidate : run.steps()) {
            if (is_pod_of(run, candidate, pod)) {
                if (const nlohmann::json* artifact = output_named(candidate, name)) {
                    return ArtifactMatch{&candidate,
                                         artifact,
                                         {},
                                         "artifact `" + name + "` of step " + candidate.label};
                }
                return std::nullopt;  // the pod is ours but has no such output
            }
        }
    }
    // A bare artifact name: this step's own output first, then one unique output of the run.
    if (const nlohmann::json* artifact = output_named(step, name)) {
        return ArtifactMatch{&step, artifact, {}, "output artifact `" + name + "` of this step"};
    }
    std::optional<ArtifactMatch> found;
    for (const StepInfo& candidate : run.steps()) {
        if (const nlohmann::json* artifact = output_named(candidate, name)) {
            if (found) {
                return std::nullopt;  // ambiguous
            }
            found = ArtifactMatch{
                &candidate, artifact, {}, "artifact `" + name + "` of step " + candidate.label};
        }
    }
    return found;
}

}  // namespace

std::optional<StorageUri> parse_storage_uri(std::string_view uri) {
    std::size_t colon = uri.find("://");
    if (colon == std::string_view::npos) {
        return std::nullopt;
    }
    std::string scheme = base::to_lower(uri.substr(0, colon));
    if (scheme != "minio" && scheme != "s3" && scheme != "gs") {
        return std::nullopt;
    }
    std::string_view rest = uri.substr(colon + 3);
    std::size_t slash = rest.find('/');
    StorageUri parsed;
    parsed.scheme = scheme;
    parsed.bucket = std::string(rest.substr(0, slash));
    if (slash != std::string_view::npos) {
        parsed.key = std::string(rest.substr(slash + 1));
    }
    if (parsed.bucket.empty()) {
        return std::nullopt;
    }
    return parsed;
}

std::optional<ArtifactMatch> match_source(const RunView& run, const StepInfo& step,
                                          std::string_view source) {
    source = base::trim(source);
    if (source.starts_with("/")) {
        return match_container_path(step, source);
    }
    if (std::optional<StorageUri> uri = parse_storage_uri(source)) {
        return match_storage_key(run, step, *uri);
    }
    return std::nullopt;
}

ResolvedSource resolve_source(const RunView& run, const StepInfo& step,
                              const nlohmann::json& viewer, const RunFiles& files) {
    ResolvedSource resolved;
    const nlohmann::json& source = json_field(viewer, "source");
    bool directory_viewer = json_string(viewer, "type") == "tensorboard";
    if (!source.is_string()) {
        resolved.notice = "the viewer has no `source`";
        return resolved;
    }
    const std::string& text = source.get_ref<const std::string&>();
    if (json_string(viewer, "storage") == "inline" && !directory_viewer) {
        resolved.available = true;
        resolved.origin = "inline";
        resolved.data = text;
        return resolved;
    }
    resolved.uri = text;
    std::optional<ArtifactMatch> match = match_source(run, step, text);
    if (!match) {
        std::string_view trimmed = base::trim(text);
        if (parse_storage_uri(trimmed) && trimmed.find('*') != std::string_view::npos) {
            resolved.notice =
                "a wildcard URI: its objects are in the bucket, not available offline";
        } else if (trimmed.starts_with("/")) {
            resolved.notice =
                "a path inside the step's container that is not one of its output "
                "artifacts: not kept, not available offline";
        } else {
            resolved.notice = "not an output of this run: not available offline";
        }
        return resolved;
    }
    resolved.origin = match->how;
    const ExportedArtifact* exported =
        files.exported(match->step->id, json_string(*match->artifact, "name"));
    bool is_directory = json_string(*match->artifact, "kind") == "directory";
    if (exported != nullptr) {
        resolved.local_path = exported->relative_path;
        if (!match->sub_path.empty()) {
            resolved.local_path += "/" + match->sub_path;
        }
    }
    if (directory_viewer) {
        resolved.available = true;
        return resolved;
    }
    base::Result<std::string> data = base::make_error(base::ErrorKind::Io, "");
    if (!match->sub_path.empty()) {
        if (exported == nullptr) {
            resolved.notice = "the artifact was not exported next to the report";
            return resolved;
        }
        data = files.read_exported_file(*exported, match->sub_path, k_max_viewer_bytes);
    } else if (is_directory) {
        resolved.notice = "the artifact is a directory, the viewer needs a file";
        return resolved;
    } else {
        data = files.read_artifact(*match->artifact, k_max_viewer_bytes);
    }
    if (!data) {
        resolved.notice = "cannot read it: " + data.error().to_string();
        return resolved;
    }
    resolved.available = true;
    resolved.data = std::move(*data);
    return resolved;
}

}  // namespace kfrun::report
