#include "cli/step_inspection.hpp"

#include "base/json_fields.hpp"
#include "base/strings.hpp"
#include "docker/container_config.hpp"
#include "docker/docker_runtime.hpp"
#include "engine/cache_key.hpp"

namespace kfrun::cli {

namespace {

using nlohmann::json;
// The report is kfrun's file, but it may be damaged or edited: its fields are read with
// defaults (value() threw on a field of another type; erase() on outputs that are no object).
using base::json_fields::member;
using base::json_fields::object_of;
using base::json_fields::string_of;

std::string input_leaf(const std::string& container_path) {
    std::string leaf = std::filesystem::path(container_path).filename().string();
    return leaf.empty() ? std::string("input") : leaf;
}

// Why the step hit or missed, as sentences.
json cache_reasons(const json& step, const StepSpecFile* spec, engine::StepCache* cache,
                   std::string& compared_with) {
    json reasons = json::array();
    const std::string outcome = string_of(step, "cache");
    if (outcome == "hit") {
        reasons.push_back(
            "an entry with this key was in the cache: its outputs were used and "
            "no container ran (they came from run " +
            string_of(step, "cachedFromRun") + ")");
        return reasons;
    }
    if (outcome == "disabled") {
        reasons.push_back("caching is off for this step (enable_caching \"false\", or no cache)");
        return reasons;
    }
    if (outcome == "reused") {
        reasons.push_back("its result was reused from run " + string_of(step, "reusedFromRun"));
        return reasons;
    }
    if (member(step, "cacheMissReasons").is_array()) {
        for (const auto& reason : step["cacheMissReasons"]) {
            reasons.push_back(reason);
        }
    } else if (spec) {
        for (const std::string& reason : spec->cache_explanation) {
            reasons.push_back(reason);
        }
    }
    if (!reasons.empty() || !spec || spec->cache_key_text.empty() || !cache) {
        if (reasons.empty()) {
            reasons.push_back("no entry with this key was in the cache");
        }
        return reasons;
    }
    // Not explained at run time (no --explain): compare with what the cache holds now.
    reasons.push_back("no entry with this key was in the cache when it ran");
    auto latest = cache->latest_for_step(spec->cache_step);
    if (!latest.ok()) {
        reasons.push_back("(the cache could not be read: " + latest.error().to_string() + ")");
    } else if (!*latest) {
        reasons.push_back("the cache has no entry for this step at all");
    } else if ((*latest)->key_text == spec->cache_key_text) {
        reasons.push_back("the cache now holds this key, stored by run " + (*latest)->run_id);
    } else {
        compared_with = (*latest)->run_id;
        for (std::string& change :
             engine::explain_key_difference((*latest)->key_text, spec->cache_key_text)) {
            reasons.push_back(std::move(change));
        }
    }
    return reasons;
}

}  // namespace

base::Result<nlohmann::json> rebuild_create_payload(const StepSpecFile& file) {
    engine::StepSpec spec = file.spec;
    for (auto& [name, value] : spec.env) {
        if (auto secret = spec.secret_env.find(name); secret != spec.secret_env.end()) {
            value = std::string("<from Secret ") + secret->second + ": not shown>";
        }
    }
    docker::ContainerConfig config;
    config.network_mode = docker::docker_network_mode(
        file.network, "kfrun-" + base::sanitize_name(file.run_id, 48) + "-sandbox");
    config.labels = file.run_labels;
    for (const auto& [key, value] : spec.labels) {
        config.labels[key] = value;
    }
    config.labels[docker::k_run_label] = file.run_id;
    config.labels[docker::k_role_label] = "step";
    const std::filesystem::path staging =
        std::filesystem::absolute(file.scratch_dir) / spec.container_name / "inputs";
    for (std::size_t i = 0; i < spec.inputs.size(); ++i) {
        const std::string& path = spec.inputs[i].container_path;
        config.inputs.push_back(
            docker::InputBind{staging / std::to_string(i) / input_leaf(path), path});
    }
    for (engine::VolumeMount& mount : spec.mounts) {
        if (mount.type == engine::VolumeMount::Type::Volume && !mount.sub_path.empty()) {
            mount.type = engine::VolumeMount::Type::Bind;
            mount.source = "/var/lib/docker/volumes/" + mount.source + "/_data";
        }
    }
    auto body = docker::make_create_body(spec, config);
    KFRUN_TRY(body);
    return nlohmann::json::parse(*body);
}

nlohmann::json inspect_step(const StepTarget& target, const StepSpecFile* spec,
                            const std::string& spec_problem, engine::StepCache* cache) {
    const json& step = target.step;
    json doc{{"runId", target.run_id},
             {"step",
              {{"id", string_of(step, "id")},
               {"label", string_of(step, "label", string_of(step, "name"))},
               {"name", string_of(step, "name")},
               {"nodeName", string_of(step, "nodeName")},
               {"phase", string_of(step, "phase")},
               {"exitCode", member(step, "exitCode")},
               {"message", string_of(step, "message")}}},
             {"image", member(step, "image")},
             {"imageId", member(step, "imageDigest")},
             {"container", string_of(step, "container")}};
    if (spec) {
        auto payload = rebuild_create_payload(*spec);
        doc["createPayload"] = payload.ok() ? *payload : json();
        if (!payload.ok()) {
            doc["createPayloadProblem"] = payload.error().to_string();
        }
        doc["container"] = spec->spec.container_name;
        doc["workingDir"] = spec->spec.working_dir;
    } else {
        doc["createPayload"] = nullptr;
        doc["createPayloadProblem"] = spec_problem;
    }
    json inputs = object_of(step, "inputs");
    json outputs = object_of(step, "outputs");
    outputs.erase("result");
    doc["inputs"] = inputs;
    doc["outputs"] = outputs;

    std::string compared_with;
    json cache_doc{{"outcome", string_of(step, "cache")},
                   {"key", string_of(step, "cacheKey")},
                   {"keyText", spec ? spec->cache_key_text : std::string()}};
    json reasons = cache_reasons(step, spec, cache, compared_with);
    cache_doc["reasons"] = reasons;
    if (!compared_with.empty()) {
        cache_doc["comparedWithRun"] = compared_with;
    }
    if (step.contains("cachedFromRun")) {
        cache_doc["sourceRun"] = member(step, "cachedFromRun");
        cache_doc["savedMs"] = base::json_fields::int_of(step, "cacheSavedMs");
    }
    doc["cache"] = cache_doc;
    return doc;
}

}  // namespace kfrun::cli
