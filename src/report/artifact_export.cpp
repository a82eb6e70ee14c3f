#include "report/artifact_export.hpp"

#include <unistd.h>

#include <system_error>

#include "report/escape.hpp"
#include "report/run_view.hpp"

namespace kfrun::report {

namespace {

// Puts the artifact at `destination` through a temporary sibling and a rename.
base::Result<void> place_artifact(engine::ArtifactStore& store, const engine::ArtifactRef& ref,
                                  const std::filesystem::path& destination) {
    std::error_code ec;
    std::filesystem::create_directories(destination.parent_path(), ec);
    if (ec) {
        return base::make_error(base::ErrorKind::Io, "cannot create the directory: " + ec.message(),
                                destination.parent_path().string());
    }
    std::filesystem::path temporary = destination;
    temporary += ".tmp." + std::to_string(::getpid());
    std::filesystem::remove_all(temporary, ec);
    bool linked = false;
    if (!ref.is_directory()) {
        std::filesystem::path blob = store.blob_path(ref);
        if (!blob.empty()) {
            std::filesystem::create_hard_link(blob, temporary, ec);
            linked = !ec;
        }
    }
    if (!linked) {
        base::Result<void> made = store.materialize(ref, temporary);
        if (!made) {
            std::filesystem::remove_all(temporary, ec);
            return made.error();
        }
    }
    std::filesystem::remove_all(destination, ec);
    std::filesystem::rename(temporary, destination, ec);
    if (ec) {
        std::filesystem::remove_all(temporary, ec);
        return base::make_error(base::ErrorKind::Io, "cannot rename into place",
                                destination.string());
    }
    return base::ok();
}

}  // namespace

engine::ArtifactRef artifact_ref(const nlohmann::json& artifact) {
    engine::ArtifactRef ref;
    ref.digest = json_string(artifact, "sha256");
    ref.kind = json_string(artifact, "kind") == "directory" ? engine::ArtifactRef::Kind::Directory
                                                            : engine::ArtifactRef::Kind::File;
    if (std::optional<double> size = json_number(artifact, "size"); size && *size >= 0) {
        ref.size = static_cast<std::uint64_t>(*size);
    }
    if (std::optional<double> files = json_number(artifact, "files"); files && *files >= 0) {
        ref.file_count = static_cast<std::uint64_t>(*files);
    } else {
        ref.file_count = ref.is_directory() ? 0 : 1;
    }
    return ref;
}

ArtifactExport export_artifacts(const nlohmann::json& report, engine::ArtifactStore& store,
                                const std::filesystem::path& run_dir) {
    ArtifactExport result;
    for (const nlohmann::json& step : json_array(report, "steps")) {
        std::string step_id = json_string(step, "id");
        if (step_id.empty()) {
            continue;
        }
        const nlohmann::json& outputs = json_field(step, "outputs");
        for (const nlohmann::json& artifact : json_array(outputs, "artifacts")) {
            std::string name = json_string(artifact, "name");
            engine::ArtifactRef ref = artifact_ref(artifact);
            if (name.empty() || ref.digest.empty()) {
                continue;
            }
            std::string label =
                "artifact `" + name + "` of step " + json_string(step, "label", step_id);
            if (!store.contains(ref, false)) {
                result.warnings.push_back(label + " is not in the artifact store");
                continue;
            }
            std::string relative =
                "artifacts/" + safe_path_part(step_id) + "/" + safe_path_part(name);
            base::Result<void> placed = place_artifact(store, ref, run_dir / relative);
            if (!placed) {
                result.warnings.push_back(label +
                                          " could not be exported: " + placed.error().to_string());
                continue;
            }
            result.artifacts.push_back(
                ExportedArtifact{step_id, name, ref.digest, relative, ref.is_directory()});
        }
    }
    return result;
}

}  // namespace kfrun::report
