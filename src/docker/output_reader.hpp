#pragma once
// OutputReader: a stopped container's declared output paths into the artifact store.
//
// Each path is read from the container's overlay2 layers on the host when OverlayView can say
// for certain what the container saw there (the common case: a file or a directory the step
// wrote), and through GET /containers/{id}/archive otherwise (mounts, links, directories merged
// from several layers, another storage driver, a daemon on another host, no permission). Both
// give the same artifact: the same bytes, modes and tree, so the same digests (tested side by
// side against the daemon). A failed layer read falls back to the archive, which has the last
// word. A path under one of the step's input mounts (KFP v2's output folders are placed as
// inputs) is read from kfrun's own staged host folder the same way (InputFolderView), when no
// link is on the way.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "docker/docker_client.hpp"
#include "docker/input_folder_view.hpp"
#include "docker/overlay_view.hpp"
#include "engine/artifact_store.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::docker {

// How the outputs of a runtime's steps were read (for tests, the bench and -v).
struct OutputReadCounters {
    std::atomic<std::uint64_t> from_layers{0};
    std::atomic<std::uint64_t> from_archive{0};
    std::atomic<std::uint64_t> from_input_folders{0};
};

class OutputReader {
  public:
    // `details`: the stopped container's inspect; `layer_reads`: whether the runtime may read
    // layers at all (DockerRuntimeConfig::read_outputs_from_layers and the kernel's overlay
    // settings). `counters` may be null. `input_folders`: the step's staged inputs as
    // bind-mounted, whose host folders may be read for paths under them (empty: none may).
    OutputReader(const DockerClient& client, engine::ArtifactStore& store, std::string container_id,
                 const ContainerDetails& details, bool layer_reads, OutputReadCounters* counters,
                 std::vector<InputBind> input_folders = {});

    // `parameter_only`: the path feeds only output parameters, so a file larger than the
    // output-parameter-bytes limit is refused from its size (layer stat or the daemon's
    // path stat) before a byte is read. Every read also counts against the step's
    // step-output-bytes / step-output-files limits (base/limits.hpp).
    engine::CollectedOutput read(const std::string& path, bool parameter_only = false);

  private:
    engine::CollectedOutput read_archive(const std::string& path, bool parameter_only);
    // Why `host_path` (a file or directory in the layers) may not be read, or empty.
    std::string over_limit(const std::string& path, const std::filesystem::path& host_path,
                           bool parameter_only);
    enum class Source { Layers, Archive, InputFolder };
    void note(Source source);
    // The output at `host_path` (read from the layers or an input folder), or nothing when
    // the read failed and the archive must decide.
    std::optional<engine::CollectedOutput> read_host(const std::string& path,
                                                     const std::filesystem::path& host_path,
                                                     bool parameter_only, Source source);

    const DockerClient& m_client;
    engine::ArtifactStore& m_store;
    std::string m_id;
    std::optional<OverlayView> m_view;  // when the layers can be read
    std::optional<InputFolderView> m_folders;  // when the step has bind-mounted inputs
    OutputReadCounters* m_counters;
    std::uint64_t m_bytes = 0;  // read so far for this step
    std::uint64_t m_files = 0;
};

}  // namespace kfrun::docker
