#include "report/artifact_export.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "base/private_files.hpp"
#include "report/escape.hpp"
#include "report/run_view.hpp"

namespace kfrun::report {

namespace {

// Puts a copy of the artifact at `name` in `dir_fd` through a sibling with a random name and a
// rename; nothing is followed through a link, and nothing links into the store.
base::Result<void> place_artifact(engine::ArtifactStore& store, const engine::ArtifactRef& ref,
                                  int dir_fd, const std::string& name, const std::string& where) {
    const std::string temporary = base::random_temp_name(name);
    KFRUN_TRY(store.export_copy(ref, dir_fd, temporary, where));
    base::Result<void> cleared = base::remove_tree_at(dir_fd, name, where);
    if (!cleared || ::renameat(dir_fd, temporary.c_str(), dir_fd, name.c_str()) != 0) {
        (void)base::remove_tree_at(dir_fd, temporary, where);
        return cleared ? base::make_error(base::ErrorKind::Io, "cannot rename into place", where)
                       : cleared.error();
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
    base::UniqueFd artifacts_dir;
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
            const std::string step_dir = safe_path_part(step_id);
            const std::string file = safe_path_part(name);
            std::string relative = "artifacts/" + step_dir + "/" + file;
            const std::string where = (run_dir / relative).string();
            if (!artifacts_dir.valid()) {
                auto run = base::open_private_directory(run_dir);
                auto opened = run ? base::open_subdirectory(run->get(), "artifacts",
                                                            (run_dir / "artifacts").string())
                                  : base::Result<base::UniqueFd>(run.error());
                if (!opened) {
                    result.warnings.push_back("artifacts could not be exported: " +
                                              opened.error().to_string());
                    return result;
                }
                artifacts_dir = std::move(opened).value();
            }
            auto dir = base::open_subdirectory(artifacts_dir.get(), step_dir,
                                               (run_dir / "artifacts" / step_dir).string());
            base::Result<void> placed =
                dir ? place_artifact(store, ref, dir->get(), file, where) : dir.error();
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
