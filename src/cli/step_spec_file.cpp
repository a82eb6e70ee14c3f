#include "cli/step_spec_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "base/json_text.hpp"
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
    return run_dir / "specs" / (node_id + ".json");
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
    nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || doc.value("format", "") != k_step_spec_format) {
        return io_error(path, "not a kfrun step spec file");
    }
    if (doc.value("version", 0) != k_step_spec_version) {
        return io_error(path, "step spec format version " + base::json_text(doc["version"]) +
                                  " is not known to this kfrun (it reads version " +
                                  std::to_string(k_step_spec_version) + ")");
    }
    auto spec = engine::step_spec_from_json(doc.value("spec", nlohmann::json::object()));
    if (!spec.ok()) {
        return io_error(path, spec.error().message + " (" + spec.error().where + ")");
    }
    StepSpecFile file;
    file.spec = std::move(*spec);
    auto text = [&](const nlohmann::json& object, const char* key) {
        auto it = object.find(key);
        return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    file.run_id = text(doc, "runId");
    file.node_id = text(doc, "nodeId");
    file.node_name = text(doc, "nodeName");
    file.label = text(doc, "label");
    std::string network = text(doc, "network");
    file.network = network == "bridge" ? engine::NetworkMode::Bridge
                   : network == "none" ? engine::NetworkMode::None
                   : network == "host" ? engine::NetworkMode::Host
                                       : engine::NetworkMode::Pod;
    file.scratch_dir = text(doc, "scratchDir");
    if (auto labels = doc.find("runLabels"); labels != doc.end() && labels->is_object()) {
        for (const auto& [key, value] : labels->items()) {
            if (value.is_string()) {
                file.run_labels[key] = value.get<std::string>();
            }
        }
    }
    if (auto cache = doc.find("cache"); cache != doc.end() && cache->is_object()) {
        file.cache_step = text(*cache, "step");
        file.cache_key_text = text(*cache, "keyText");
        if (auto why = cache->find("explanation"); why != cache->end() && why->is_array()) {
            for (const auto& line : *why) {
                if (line.is_string()) {
                    file.cache_explanation.push_back(line.get<std::string>());
                }
            }
        }
    }
    return file;
}

}  // namespace kfrun::cli
