#pragma once
// The outputs of a component run (`kfrun run-component --output-dir DIR`): each output artifact
// written from the store to DIR/<output file name> (KFP's file-name rule), with a short preview
// of small text values for the console.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "component/component_workflow.hpp"
#include "engine/artifact_store.hpp"

namespace kfrun::cli {

struct CollectedOutput {
    std::string name;            // the component's name for it
    std::filesystem::path file;  // where it was written; empty when the run did not produce it
    bool directory = false;
    std::uint64_t size = 0;
    std::optional<std::string> preview;  // a short one-line text value
};

// The file name of output `name` in DIR: KFP's rule (runs of other characters become '_'), then
// one entry of DIR whatever the name: "", "." and ".." (which named DIR and its parent, and the
// replacement below removed them) and names starting with '.' get a leading '_'; a name past
// 200 characters becomes its sha256.
std::string component_output_file_name(const std::string& name);

// An existing DIR/<name> is replaced. An Io error when a file cannot be written.
base::Result<std::vector<CollectedOutput>> collect_component_outputs(
    const nlohmann::json& report, const std::vector<component::ComponentOutput>& outputs,
    engine::ArtifactStore& store, const std::filesystem::path& dir);

}  // namespace kfrun::cli
