#include "engine/step_cache.hpp"
#include "base/json_fields.hpp"
#include "base/json_text.hpp"
#include "engine/artifact_info_json.hpp"

#include <limits>

#include <nlohmann/json.hpp>

namespace kfrun::engine {

namespace {

nlohmann::json artifact_json(const NamedArtifact& artifact) {
    nlohmann::json out = {{"name", artifact.name},
                          {"path", artifact.path},
                          {"kind", artifact.artifact.is_directory() ? "directory" : "file"},
                          {"digest", artifact.artifact.digest},
                          {"size", artifact.artifact.size},
                          {"files", artifact.artifact.file_count}};
    add_artifact_info(out, artifact.artifact);
    return out;
}

long long to_millis(base::SystemTime time) {
    return std::chrono::duration_cast<Millis>(time.time_since_epoch()).count();
}

}  // namespace

std::string encode_cache_entry(const CacheEntry& entry) {
    nlohmann::json parameters = nlohmann::json::array();
    for (const auto& [name, value] : entry.outputs.parameters) {
        parameters.push_back({{"name", name}, {"value", value}});
    }
    nlohmann::json artifacts = nlohmann::json::array();
    for (const NamedArtifact& artifact : entry.outputs.artifacts) {
        artifacts.push_back(artifact_json(artifact));
    }
    nlohmann::json doc = {{"format", "kfrun-cache-entry"},
                          {"version", k_cache_entry_version},
                          {"key", entry.key},
                          {"keyText", entry.key_text},
                          {"step", entry.step},
                          {"pipeline", entry.pipeline},
                          {"runId", entry.run_id},
                          {"createdAtMs", to_millis(entry.created_at)},
                          {"runTimeMs", entry.run_time.count()},
                          {"parameters", parameters},
                          {"artifacts", artifacts},
                          {"artifactBytes", entry.artifact_bytes}};
    if (entry.max_staleness) {
        doc["maxStalenessMs"] = entry.max_staleness->count();
    }
    if (entry.outputs.result) {
        doc["result"] = *entry.outputs.result;
    }
    if (entry.outputs.exit_code) {
        doc["exitCode"] = *entry.outputs.exit_code;
    }
    return base::json_text(doc);
}

namespace {

namespace json_fields = base::json_fields;

// A time or duration in milliseconds that fits a system_clock time point: a damaged entry's
// 1e300 or INT64_MAX would overflow the conversion to nanoseconds.
std::optional<Millis> millis_of(const nlohmann::json& doc, const char* key) {
    constexpr std::int64_t k_max =
        std::chrono::duration_cast<Millis>(base::SystemTime::duration::max()).count();
    std::int64_t ms = json_fields::int_of(doc, key, k_max + 1);
    if (ms > k_max || ms < -k_max) {
        return std::nullopt;
    }
    return Millis(ms);
}

}  // namespace

// The cache is kfrun's own file, but it may be damaged or edited: a field missing or of
// another type makes the entry a miss (value(), at() and get<T>() threw on them), never a crash.
std::optional<CacheEntry> decode_cache_entry(const std::string& text) {
    using json_fields::member;
    using json_fields::string_of;
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (string_of(doc, "format") != "kfrun-cache-entry" ||
        json_fields::int_of(doc, "version", -1) != k_cache_entry_version) {
        return std::nullopt;
    }
    auto created_at = millis_of(doc, "createdAtMs");
    if (!member(doc, "key").is_string() || !created_at || !member(doc, "parameters").is_array() ||
        !member(doc, "artifacts").is_array()) {
        return std::nullopt;
    }
    CacheEntry entry;
    entry.key = string_of(doc, "key");
    entry.key_text = string_of(doc, "keyText");
    entry.step = string_of(doc, "step");
    entry.pipeline = string_of(doc, "pipeline");
    entry.run_id = string_of(doc, "runId");
    entry.created_at = base::SystemTime(*created_at);
    entry.run_time = millis_of(doc, "runTimeMs").value_or(Millis(0));
    if (doc.contains("maxStalenessMs")) {
        entry.max_staleness = millis_of(doc, "maxStalenessMs");
        if (!entry.max_staleness) {
            return std::nullopt;
        }
    }
    for (const auto& parameter : doc["parameters"]) {
        if (!member(parameter, "name").is_string() || !member(parameter, "value").is_string()) {
            return std::nullopt;
        }
        entry.outputs.parameters.emplace_back(string_of(parameter, "name"),
                                              string_of(parameter, "value"));
    }
    for (const auto& artifact : doc["artifacts"]) {
        if (!member(artifact, "name").is_string() || !member(artifact, "digest").is_string()) {
            return std::nullopt;
        }
        NamedArtifact named;
        named.name = string_of(artifact, "name");
        named.path = string_of(artifact, "path");
        named.artifact.kind = string_of(artifact, "kind", "file") == "directory"
                                  ? ArtifactRef::Kind::Directory
                                  : ArtifactRef::Kind::File;
        named.artifact.digest = string_of(artifact, "digest");
        named.artifact.size = json_fields::uint_of(artifact, "size");
        named.artifact.file_count = json_fields::uint_of(artifact, "files");
        read_artifact_info(artifact, named.artifact);
        entry.outputs.artifacts.push_back(std::move(named));
    }
    if (doc.contains("result")) {
        if (!doc["result"].is_string()) {
            return std::nullopt;
        }
        entry.outputs.result = string_of(doc, "result");
    }
    if (doc.contains("exitCode")) {
        constexpr int k_none = std::numeric_limits<int>::min();
        int exit_code = json_fields::small_int_of(doc, "exitCode", k_none);
        if (exit_code == k_none) {
            return std::nullopt;
        }
        entry.outputs.exit_code = exit_code;
    }
    entry.artifact_bytes = json_fields::uint_of(doc, "artifactBytes");
    return entry;
}

}  // namespace kfrun::engine
