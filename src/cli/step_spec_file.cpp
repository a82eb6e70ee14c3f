#include "cli/step_spec_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "base/json_fields.hpp"
#include "base/json_text.hpp"
#include "base/names.hpp"
#include "base/private_files.hpp"
#include "base/random_id.hpp"
#include "engine/step_spec_json.hpp"

namespace kfrun::cli {

namespace {

base::Error io_error(const std::filesystem::path& path, const std::string& message) {
    return base::make_error(base::ErrorKind::Io, message, path.string());
}

// Temp-then-rename: a random temp name created 0600 with O_EXCL | O_NOFOLLOW, in a folder
// opened without following links.
base::Result<void> write_private_file(const std::filesystem::path& path,
                                      const std::string& content) {
    return base::write_file_atomically(path, content, base::k_private_file_mode);
}

std::string below_workflow(const std::string& node_name, const std::string& workflow) {
    return node_name.size() > workflow.size() + 1 &&
                   node_name.compare(0, workflow.size(), workflow) == 0
               ? node_name.substr(workflow.size() + 1)
               : node_name;
}

}  // namespace

const char* network_name(engine::NetworkMode mode) {
    switch (mode) {
        case engine::NetworkMode::Pod:
            return "pod";
        case engine::NetworkMode::Bridge:
            return "bridge";
        case engine::NetworkMode::None:
            return "none";
        case engine::NetworkMode::Host:
            return "host";
    }
    return "pod";
}

std::filesystem::path step_spec_path(const std::filesystem::path& run_dir,
                                     const std::string& node_id) {
    // A node id carries the workflow's name; one from a damaged report or an unchecked front
    // end must still name a file in specs/, never a path out of it.
    return run_dir / "specs" / (base::plain_file_name(node_id) + ".json");
}

base::Result<std::size_t> write_step_spec_files(const engine::RunState& state,
                                                const engine::RunOptions& options,
                                                const std::filesystem::path& run_dir) {
    std::size_t count = 0;
    if (options.dry_run) {
        return count;  // nothing was created
    }
    for (const engine::Node& node : state.nodes()) {
        if (!node.step || !node.step->spec) {
            continue;
        }
        const engine::StepRecord& record = *node.step;
        if (count == 0) {
            KFRUN_TRY(base::create_private_directories(run_dir / "specs"));
        }
        nlohmann::json doc{{"format", k_step_spec_format},
                           {"version", k_step_spec_version},
                           {"runId", state.run_id},
                           {"nodeId", node.id},
                           {"nodeName", node.name},
                           {"label", engine::step_label(state, node)},
                           {"network", network_name(options.network)},
                           {"scratchDir", options.scratch_dir.string()},
                           {"runLabels", options.labels},
                           {"cache",
                            {{"step", options.pipeline_name + "/" +
                                          below_workflow(node.name, state.workflow_name)},
                             {"keyText", record.cache_key_text},
                             {"explanation", record.cache_explanation}}},
                           {"spec", engine::step_spec_to_json(*record.spec)}};
        KFRUN_TRY(
            write_private_file(step_spec_path(run_dir, node.id), base::json_text(doc, 2) + "\n"));
        ++count;
    }
    return count;
}

base::Result<StepSpecFile> read_step_spec_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) {
        return io_error(path, "no step spec file (runs made before kfrun kept them have none)");
    }
    // kfrun wrote the file, but it may be damaged or edited: a field of another type is "not a
    // step spec file" or reads as absent (value() threw on `"format": 1`).
    using base::json_fields::string_of;
    nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
    if (!doc.is_object() || string_of(doc, "format") != k_step_spec_format) {
        return io_error(path, "not a kfrun step spec file");
    }
    if (base::json_fields::int_of(doc, "version", -1) != k_step_spec_version) {
        return io_error(path, "step spec format version " +
                                  base::json_text(base::json_fields::member(doc, "version")) +
                                  " is not known to this kfrun (it reads version " +
                                  std::to_string(k_step_spec_version) + ")");
    }
    auto spec = engine::step_spec_from_json(doc.value("spec", nlohmann::json::object()));
    if (!spec.ok()) {
        return io_error(path, spec.error().message + " (" + spec.error().where + ")");
    }
    StepSpecFile file;
    file.spec = std::move(*spec);
    file.run_id = string_of(doc, "runId");
    file.node_id = string_of(doc, "nodeId");
    file.node_name = string_of(doc, "nodeName");
    file.label = string_of(doc, "label");
    std::string network = string_of(doc, "network");
    file.network = network == "bridge" ? engine::NetworkMode::Bridge
                   : network == "none" ? engine::NetworkMode::None
                   : network == "host" ? engine::NetworkMode::Host
                                       : engine::NetworkMode::Pod;
    file.scratch_dir = string_of(doc, "scratchDir");
    file.run_labels = base::json_fields::string_map_of(doc, "runLabels");
    const nlohmann::json& cache = base::json_fields::member(doc, "cache");
    file.cache_step = string_of(cache, "step");
    file.cache_key_text = string_of(cache, "keyText");
    file.cache_explanation = base::json_fields::strings_of(cache, "explanation");
    return file;
}

}  // namespace kfrun::cli
