#include "docker/output_reader.hpp"

#include <system_error>
#include <utility>

namespace kfrun::docker {
namespace {

// The layers exist here (the daemon runs on this host, in this mount namespace, and kfrun may
// look at them): otherwise every path would fail the same way.
bool layers_reachable(const ContainerDetails& details) {
    std::error_code error;
    return details.graph_driver == "overlay2" && !details.upper_dir.empty() &&
           std::filesystem::is_directory(details.upper_dir, error);
}

}  // namespace

OutputReader::OutputReader(const DockerClient& client, engine::ArtifactStore& store,
                           std::string container_id, const ContainerDetails& details,
                           bool layer_reads, OutputReadCounters* counters)
    : m_client(client), m_store(store), m_id(std::move(container_id)), m_counters(counters) {
    if (layer_reads && layers_reachable(details)) {
        OverlayLayers layers;
        layers.upper = details.upper_dir;
        layers.lower.assign(details.lower_dirs.begin(), details.lower_dirs.end());
        m_view.emplace(std::move(layers), details.mount_points);
    }
}

engine::CollectedOutput OutputReader::read(const std::string& path) {
    if (!m_view) {
        return read_archive(path);
    }
    const OverlayEntry entry = m_view->locate(path);
    switch (entry.kind) {
        case OverlayEntry::Kind::Missing:
            note(true);
            return engine::CollectedOutput{path, std::nullopt, {}};
        case OverlayEntry::Kind::File:
        case OverlayEntry::Kind::Directory: {
            auto artifact = m_store.ingest_path(entry.host_path);
            if (artifact.ok()) {
                note(true);
                return engine::CollectedOutput{path, *artifact, {}};
            }
            break;  // the archive decides
        }
        case OverlayEntry::Kind::Unresolved:
            break;
    }
    return read_archive(path);
}

void OutputReader::note(bool from_layers) {
    if (m_counters != nullptr) {
        (from_layers ? m_counters->from_layers : m_counters->from_archive)
            .fetch_add(1, std::memory_order_relaxed);
    }
}

engine::CollectedOutput OutputReader::read_archive(const std::string& path) {
    note(false);
    engine::CollectedOutput output{path, std::nullopt, {}};
    auto archive = m_client.get_archive(m_id, path);
    if (!archive.ok()) {
        output.problem = archive.error().to_string();
    } else if (*archive != nullptr) {
        auto artifact = m_store.ingest_tar(**archive);
        if (artifact.ok()) {
            output.artifact = *artifact;
        } else {
            output.problem = artifact.error().to_string();
        }
    }
    return output;
}

}  // namespace kfrun::docker
