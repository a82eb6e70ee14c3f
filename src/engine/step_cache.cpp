#include "engine/step_cache.hpp"
#include "base/json_text.hpp"
#include "engine/artifact_info_json.hpp"

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

std::optional<CacheEntry> decode_cache_entry(const std::string& text) {
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || doc.value("format", "") != "kfrun-cache-entry" ||
        doc.value("version", 0) != k_cache_entry_version) {
        return std::nullopt;
    }
    try {
        CacheEntry entry;
        entry.key = doc.at("key").get<std::string>();
        entry.key_text = doc.value("keyText", "");
        entry.step = doc.value("step", "");
        entry.pipeline = doc.value("pipeline", "");
        entry.run_id = doc.value("runId", "");
        entry.created_at = base::SystemTime(Millis(doc.at("createdAtMs").get<long long>()));
        entry.run_time = Millis(doc.value("runTimeMs", 0LL));
        if (doc.contains("maxStalenessMs")) {
            entry.max_staleness = Millis(doc["maxStalenessMs"].get<long long>());
        }
        for (const auto& parameter : doc.at("parameters")) {
            entry.outputs.parameters.emplace_back(parameter.at("name").get<std::string>(),
                                                  parameter.at("value").get<std::string>());
        }
        for (const auto& artifact : doc.at("artifacts")) {
            NamedArtifact named;
            named.name = artifact.at("name").get<std::string>();
            named.path = artifact.value("path", "");
            named.artifact.kind = artifact.value("kind", "file") == "directory"
                                      ? ArtifactRef::Kind::Directory
                                      : ArtifactRef::Kind::File;
            named.artifact.digest = artifact.at("digest").get<std::string>();
            named.artifact.size = artifact.value("size", std::uint64_t{0});
            named.artifact.file_count = artifact.value("files", std::uint64_t{0});
            read_artifact_info(artifact, named.artifact);
            entry.outputs.artifacts.push_back(std::move(named));
        }
        if (doc.contains("result")) {
            entry.outputs.result = doc["result"].get<std::string>();
        }
        if (doc.contains("exitCode")) {
            entry.outputs.exit_code = doc["exitCode"].get<int>();
        }
        entry.artifact_bytes = doc.value("artifactBytes", std::uint64_t{0});
        return entry;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

}  // namespace kfrun::engine
