#pragma once
// A typed artifact's ArtifactInfo in JSON, the same form in the step cache's entries and in
// report.json's artifacts (so a replay reads it back from a report):
//   "uri", "artifactId", "type": {"schemaTitle", "schemaVersion"}, "metadata": {…}
#include <nlohmann/json.hpp>

#include "engine/artifact.hpp"

namespace kfrun::engine {

// Adds the fields of artifact.typed (nothing for an untyped artifact).
void add_artifact_info(nlohmann::json& out, const ArtifactRef& artifact);

// Reads them back into artifact.typed when `uri` is there; malformed fields are ignored.
void read_artifact_info(const nlohmann::json& in, ArtifactRef& artifact);

}  // namespace kfrun::engine
