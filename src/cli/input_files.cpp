#include "cli/input_files.hpp"

namespace kfrun::cli {

base::Result<std::map<std::string, engine::ArtifactRef>> ingest_input_files(
    engine::ArtifactStore& store,
    const std::vector<std::pair<std::string, std::filesystem::path>>& files) {
    std::map<std::string, engine::ArtifactRef> stored;
    for (const auto& [artifact, path] : files) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            return base::make_error(base::ErrorKind::Input,
                                    "no such file or directory for input `" + artifact + "`",
                                    path.string());
        }
        auto ref = store.ingest_path(path);
        KFRUN_TRY(ref);
        stored[artifact] = *ref;
    }
    return stored;
}

}  // namespace kfrun::cli
