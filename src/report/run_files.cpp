#include "report/run_files.hpp"

#include <fstream>

#include "base/names.hpp"
#include "report/run_view.hpp"

namespace kfrun::report {

namespace {

base::Result<std::string> read_file_end(const std::filesystem::path& path, std::size_t max_bytes,
                                        std::uintmax_t& total, bool& truncated) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return base::make_error(base::ErrorKind::Io, "cannot open the file", path.string());
    }
    in.seekg(0, std::ios::end);
    std::streamoff size = in.tellg();
    total = size > 0 ? static_cast<std::uintmax_t>(size) : 0;
    std::streamoff start = 0;
    truncated = total > max_bytes;
    if (truncated) {
        start = size - static_cast<std::streamoff>(max_bytes);
    }
    in.seekg(start);
    std::string text(static_cast<std::size_t>(size - start), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (truncated) {
        std::size_t line = text.find('\n');
        if (line != std::string::npos && line + 1 < text.size()) {
            text.erase(0, line + 1);
        }
    }
    return text;
}

}  // namespace

RunFiles::RunFiles(std::filesystem::path run_dir, engine::ArtifactStore* store,
                   std::vector<ExportedArtifact> exported)
    : m_run_dir(std::move(run_dir)), m_store(store), m_exported(std::move(exported)) {}

LogExcerpt RunFiles::read_log(const nlohmann::json& step, std::size_t max_bytes) const {
    LogExcerpt excerpt;
    std::string file = json_string(step, "logFile");
    // kfrun writes "logs/<plain name>.log"; a damaged or edited report's `/etc/shadow` or
    // `../x` is not read into the page (kfrun report runs as root).
    const std::filesystem::path written = file;
    if (written.parent_path() == "logs" && base::is_plain_file_name(written.filename().string())) {
        std::filesystem::path path = m_run_dir / written;
        base::Result<std::string> text =
            read_file_end(path, max_bytes, excerpt.total_bytes, excerpt.truncated);
        if (text) {
            excerpt.found = true;
            excerpt.text = std::move(*text);
            excerpt.relative_path = file;
            return excerpt;
        }
    }
    std::string tail = json_string(step, "logTail");
    if (!tail.empty()) {
        excerpt.found = true;
        excerpt.total_bytes = tail.size();
        excerpt.truncated = true;  // the engine keeps only the last lines
        excerpt.text = std::move(tail);
    }
    return excerpt;
}

base::Result<std::string> RunFiles::read_artifact(const nlohmann::json& artifact,
                                                  std::size_t max_bytes) const {
    if (m_store == nullptr) {
        return base::make_error(base::ErrorKind::Io, "no artifact store");
    }
    engine::ArtifactRef ref = artifact_ref(artifact);
    if (ref.digest.empty()) {
        return base::make_error(base::ErrorKind::Io, "the artifact has no digest");
    }
    if (ref.is_directory()) {
        return base::make_error(base::ErrorKind::Io, "the artifact is a directory");
    }
    return m_store->read_text(ref, max_bytes);
}

base::Result<std::string> RunFiles::read_exported_file(const ExportedArtifact& exported,
                                                       std::string_view sub_path,
                                                       std::size_t max_bytes) const {
    std::filesystem::path relative = std::filesystem::path(sub_path).lexically_normal();
    if (relative.is_absolute() || relative.empty() || *relative.begin() == "..") {
        return base::make_error(base::ErrorKind::Io, "the path leaves the artifact",
                                std::string(sub_path));
    }
    // Links inside the artifact are not followed: the step made them, they may point anywhere.
    std::filesystem::path path = m_run_dir / exported.relative_path;
    std::error_code ec;
    for (const std::filesystem::path& part : relative) {
        path /= part;
        if (std::filesystem::is_symlink(path, ec)) {
            return base::make_error(base::ErrorKind::Io, "the path goes through a link",
                                    std::string(sub_path));
        }
    }
    if (!std::filesystem::is_regular_file(path, ec)) {
        return base::make_error(base::ErrorKind::Io, "not a regular file in the artifact",
                                std::string(sub_path));
    }
    std::uintmax_t total = 0;
    bool truncated = false;
    base::Result<std::string> text = read_file_end(path, max_bytes, total, truncated);
    if (text && truncated) {
        return base::make_error(base::ErrorKind::Io, "the file is too large to show",
                                std::string(sub_path));
    }
    return text;
}

const ExportedArtifact* RunFiles::exported(std::string_view step_id, std::string_view name) const {
    for (const ExportedArtifact& artifact : m_exported) {
        if (artifact.step_id == step_id && artifact.name == name) {
            return &artifact;
        }
    }
    return nullptr;
}

const ExportedArtifact* RunFiles::exported_with_digest(std::string_view digest) const {
    if (digest.empty()) {
        return nullptr;
    }
    for (const ExportedArtifact& artifact : m_exported) {
        if (artifact.digest == digest) {
            return &artifact;
        }
    }
    return nullptr;
}

std::string last_lines(std::string_view text, std::size_t max_lines) {
    if (max_lines == 0) {
        return {};
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    std::size_t start = text.size();
    std::size_t lines = 0;
    while (start > 0) {
        std::size_t line = text.rfind('\n', start - 1);
        if (line == std::string_view::npos) {
            start = 0;
            break;
        }
        if (++lines == max_lines) {
            start = line + 1;
            break;
        }
        start = line;
    }
    return std::string(text.substr(start));
}

}  // namespace kfrun::report
