#include "docker/output_reader.hpp"

#include <system_error>
#include <utility>

#include "base/limits.hpp"

namespace kfrun::docker {
namespace {

// The layers exist here (the daemon runs on this host, in this mount namespace, and kfrun may
// look at them): otherwise every path would fail the same way.
bool layers_reachable(const ContainerDetails& details) {
    std::error_code error;
    return details.graph_driver == "overlay2" && !details.upper_dir.empty() &&
           std::filesystem::is_directory(details.upper_dir, error);
}

std::string parameter_too_large(const std::string& path, std::uint64_t size) {
    return path + " is " + std::to_string(size) + " bytes, more than an output parameter may be " +
           base::limit_hint("output-parameter-bytes");
}

std::string step_outputs_too_large(const std::string& what) {
    return "the step's outputs hold more than " + what;
}

// A byte source that fails once more than `max_bytes` came through: the archive of a path
// whose size the daemon did not state up front still costs the store at most the limit.
class LimitedSource : public engine::ByteSource {
  public:
    LimitedSource(engine::ByteSource& inner, std::uint64_t max_bytes, std::string problem)
        : m_inner(inner), m_left(max_bytes), m_problem(std::move(problem)) {}

    base::Result<std::size_t> read(char* buffer, std::size_t capacity) override {
        auto count = m_inner.read(buffer, capacity);
        if (count.ok()) {
            if (*count > m_left) {
                return base::make_error(base::ErrorKind::Step, m_problem);
            }
            m_left -= *count;
        }
        return count;
    }

  private:
    engine::ByteSource& m_inner;
    std::uint64_t m_left;
    std::string m_problem;
};

}  // namespace

OutputReader::OutputReader(const DockerClient& client, engine::ArtifactStore& store,
                           std::string container_id, const ContainerDetails& details,
                           bool layer_reads, OutputReadCounters* counters,
                           std::vector<InputBind> input_folders)
    : m_client(client), m_store(store), m_id(std::move(container_id)), m_counters(counters) {
    if (!input_folders.empty()) {
        m_folders.emplace(std::move(input_folders), details.mount_points);
    }
    if (layer_reads && layers_reachable(details)) {
        OverlayLayers layers;
        layers.upper = details.upper_dir;
        layers.lower.assign(details.lower_dirs.begin(), details.lower_dirs.end());
        m_view.emplace(std::move(layers), details.mount_points);
    }
}

engine::CollectedOutput OutputReader::read(const std::string& path, bool parameter_only) {
    if (m_folders) {
        const FolderEntry entry = m_folders->locate(path);
        switch (entry.kind) {
            case FolderEntry::Kind::Missing:
                note(Source::InputFolder);
                return engine::CollectedOutput{path, std::nullopt, {}};
            case FolderEntry::Kind::File:
            case FolderEntry::Kind::Directory:
                if (auto output = read_host(path, entry.host_path, parameter_only,
                                            Source::InputFolder)) {
                    return std::move(*output);
                }
                return read_archive(path, parameter_only);
            case FolderEntry::Kind::Unresolved:
                break;  // not under an input folder, or a link on the way
        }
    }
    if (!m_view) {
        return read_archive(path, parameter_only);
    }
    const OverlayEntry entry = m_view->locate(path);
    switch (entry.kind) {
        case OverlayEntry::Kind::Missing:
            note(Source::Layers);
            return engine::CollectedOutput{path, std::nullopt, {}};
        case OverlayEntry::Kind::File:
        case OverlayEntry::Kind::Directory:
            if (auto output = read_host(path, entry.host_path, parameter_only, Source::Layers)) {
                return std::move(*output);
            }
            break;  // the archive decides
        case OverlayEntry::Kind::Unresolved:
            break;
    }
    return read_archive(path, parameter_only);
}

std::optional<engine::CollectedOutput> OutputReader::read_host(
    const std::string& path, const std::filesystem::path& host_path, bool parameter_only,
    Source source) {
    if (std::string problem = over_limit(path, host_path, parameter_only); !problem.empty()) {
        note(source);
        return engine::CollectedOutput{path, std::nullopt, std::move(problem)};
    }
    auto artifact = m_store.ingest_path(host_path);
    if (!artifact.ok()) {
        return std::nullopt;
    }
    note(source);
    return engine::CollectedOutput{path, *artifact, {}};
}

std::string OutputReader::over_limit(const std::string& path,
                                     const std::filesystem::path& host_path, bool parameter_only) {
    const base::Limits& limits = base::limits();
    std::error_code error;
    std::uint64_t bytes = 0;
    std::uint64_t files = 0;
    auto status = std::filesystem::symlink_status(host_path, error);
    if (std::filesystem::is_regular_file(status)) {
        bytes = std::filesystem::file_size(host_path, error);
        files = 1;
        if (parameter_only && !error && bytes > limits.output_parameter_bytes) {
            return parameter_too_large(path, bytes);
        }
    } else if (std::filesystem::is_directory(status)) {
        std::filesystem::recursive_directory_iterator it(
            host_path, std::filesystem::directory_options::none, error);
        for (; !error && it != std::filesystem::recursive_directory_iterator();
             it.increment(error)) {
            std::error_code entry_error;
            if (it->is_regular_file(entry_error) && !it->is_symlink(entry_error)) {
                bytes += it->file_size(entry_error);
                ++files;
                if (m_bytes + bytes > limits.step_output_bytes ||
                    m_files + files > limits.step_output_files) {
                    break;
                }
            }
        }
    }
    if (m_bytes + bytes > limits.step_output_bytes) {
        return step_outputs_too_large(std::to_string(limits.step_output_bytes) + " bytes " +
                                      base::limit_hint("step-output-bytes"));
    }
    if (m_files + files > limits.step_output_files) {
        return step_outputs_too_large(std::to_string(limits.step_output_files) + " files " +
                                      base::limit_hint("step-output-files"));
    }
    m_bytes += bytes;
    m_files += files;
    return {};
}

void OutputReader::note(Source source) {
    if (m_counters == nullptr) {
        return;
    }
    auto& counter = source == Source::Layers    ? m_counters->from_layers
                    : source == Source::Archive ? m_counters->from_archive
                                                : m_counters->from_input_folders;
    counter.fetch_add(1, std::memory_order_relaxed);
}

engine::CollectedOutput OutputReader::read_archive(const std::string& path, bool parameter_only) {
    note(Source::Archive);
    const base::Limits& limits = base::limits();
    engine::CollectedOutput output{path, std::nullopt, {}};
    if (m_bytes >= limits.step_output_bytes) {
        output.problem = step_outputs_too_large(std::to_string(limits.step_output_bytes) +
                                                " bytes " + base::limit_hint("step-output-bytes"));
        return output;
    }
    std::uint64_t budget = limits.step_output_bytes - m_bytes;
    std::string budget_problem =
        step_outputs_too_large(std::to_string(limits.step_output_bytes) + " bytes " +
                               base::limit_hint("step-output-bytes"));
    if (parameter_only) {
        // The daemon states the size (following a final link, as the archive does) before
        // any byte is read.
        auto stat = m_client.stat_path(m_id, path);
        if (stat.ok() && *stat && (*stat)->is_symlink() && !(*stat)->link_target.empty()) {
            stat = m_client.stat_path(m_id, (*stat)->link_target);
        }
        if (stat.ok() && *stat && !(*stat)->is_directory() && (*stat)->size >= 0 &&
            static_cast<std::uint64_t>((*stat)->size) > limits.output_parameter_bytes) {
            output.problem = parameter_too_large(path, static_cast<std::uint64_t>((*stat)->size));
            return output;
        }
        // The tar holds headers too: a little room above the limit, still bounded.
        if (limits.output_parameter_bytes + (1u << 20) < budget) {
            budget = limits.output_parameter_bytes + (1u << 20);
            budget_problem = path + " is more than an output parameter may be " +
                             base::limit_hint("output-parameter-bytes");
        }
    }
    auto archive = m_client.get_archive(m_id, path);
    if (!archive.ok()) {
        output.problem = archive.error().to_string();
    } else if (*archive != nullptr) {
        LimitedSource limited(**archive, budget, budget_problem);
        auto artifact = m_store.ingest_tar(limited);
        if (artifact.ok()) {
            if (m_files + artifact->file_count > limits.step_output_files) {
                output.problem =
                    step_outputs_too_large(std::to_string(limits.step_output_files) + " files " +
                                           base::limit_hint("step-output-files"));
                return output;
            }
            m_bytes += artifact->size;
            m_files += artifact->file_count;
            output.artifact = *artifact;
        } else {
            output.problem = artifact.error().to_string();
        }
    }
    return output;
}

}  // namespace kfrun::docker
