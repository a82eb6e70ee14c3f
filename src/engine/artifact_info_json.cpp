#include "engine/artifact_info_json.hpp"

#include "base/json_text.hpp"

namespace kfrun::engine {

void add_artifact_info(nlohmann::json& out, const ArtifactRef& artifact) {
    if (!artifact.typed) {
        return;
    }
    const ArtifactInfo& info = *artifact.typed;
    out["uri"] = info.uri;
    out["artifactId"] = info.id;
    out["type"] = {{"schemaTitle", info.schema_title}, {"schemaVersion", info.schema_version}};
    auto metadata = nlohmann::json::parse(info.metadata, nullptr, false);
    out["metadata"] = metadata.is_object() ? metadata : nlohmann::json::object();
}

void read_artifact_info(const nlohmann::json& in, ArtifactRef& artifact) {
    if (!in.is_object() || !in.contains("uri") || !in["uri"].is_string()) {
        return;
    }
    auto text = [&in](const nlohmann::json& object, const char* key) {
        return object.is_object() && object.contains(key) && object[key].is_string()
                   ? object[key].get<std::string>()
                   : std::string();
    };
    ArtifactInfo info;
    info.uri = in["uri"].get<std::string>();
    info.id = text(in, "artifactId");
    if (in.contains("type")) {
        info.schema_title = text(in["type"], "schemaTitle");
        info.schema_version = text(in["type"], "schemaVersion");
    }
    if (in.contains("metadata") && in["metadata"].is_object()) {
        info.metadata = base::json_text(in["metadata"]);
    }
    artifact.typed = std::move(info);
}

}  // namespace kfrun::engine
