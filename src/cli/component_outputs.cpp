#include "cli/component_outputs.hpp"

#include "base/names.hpp"
#include "base/private_files.hpp"
#include "component/kfp_naming.hpp"

namespace kfrun::cli {

namespace {

constexpr std::size_t k_preview_bytes = 120;

const nlohmann::json* find_artifact(const nlohmann::json& report, const std::string& name) {
    auto steps = report.find("steps");  // not value(): it returns a copy, and we point into it
    if (steps == report.end() || !steps->is_array()) {
        return nullptr;
    }
    for (const nlohmann::json& step : *steps) {
        if (!step.contains("outputs") || !step["outputs"].contains("artifacts")) {
            continue;
        }
        for (const nlohmann::json& artifact : step["outputs"]["artifacts"]) {
            if (artifact.value("name", "") == name) {
                return &artifact;
            }
        }
    }
    return nullptr;
}

}  // namespace

std::string component_output_file_name(const std::string& name) {
    std::string file = component::sanitize_file_name(name);
    if (file.empty() || file.front() == '.') {
        file.insert(0, "_");
    }
    return base::plain_file_name(file);
}

base::Result<std::vector<CollectedOutput>> collect_component_outputs(
    const nlohmann::json& report, const std::vector<component::ComponentOutput>& outputs,
    engine::ArtifactStore& store, const std::filesystem::path& dir) {
    std::vector<CollectedOutput> collected;
    // A folder on the host: copies, no link into the store, links that leave a tree as notes,
    // nothing written through a link placed there.
    auto dir_fd = base::open_private_directory(dir);
    KFRUN_TRY(dir_fd);
    for (const component::ComponentOutput& output : outputs) {
        CollectedOutput out;
        out.name = output.output;
        const nlohmann::json* artifact = find_artifact(report, output.artifact);
        if (artifact == nullptr) {
            collected.push_back(std::move(out));
            continue;
        }
        engine::ArtifactRef ref;
        out.directory = artifact->value("kind", "") == "directory";
        ref.kind = out.directory ? engine::ArtifactRef::Kind::Directory
                                 : engine::ArtifactRef::Kind::File;
        ref.digest = artifact->value("sha256", "");
        ref.size = artifact->value("size", std::uint64_t{0});
        ref.file_count = artifact->value("files", std::uint64_t{1});
        out.size = ref.size;
        out.file = dir / component_output_file_name(output.output);
        const std::string name = out.file.filename().string();
        KFRUN_TRY(base::remove_tree_at(dir_fd->get(), name, out.file.string()));
        KFRUN_TRY(store.export_copy(ref, dir_fd->get(), name, out.file.string()));
        if (!out.directory && ref.size <= k_preview_bytes) {
            auto text = store.read_text(ref, k_preview_bytes);
            if (text.ok()) {
                std::string value = *text;
                if (!value.empty() && value.back() == '\n') {
                    value.pop_back();
                }
                if (value.find('\n') == std::string::npos && value.find('\0') == std::string::npos) {
                    out.preview = value;
                }
            }
        }
        collected.push_back(std::move(out));
    }
    return collected;
}

}  // namespace kfrun::cli
