#include "store/file_artifact_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <exception>
#include <system_error>
#include <unordered_set>
#include <vector>

#include "base/private_files.hpp"
#include "base/sha256.hpp"
#include "store/blob_copy.hpp"
#include "store/blob_transaction.hpp"
#include "store/blob_writer.hpp"
#include "store/file_copy.hpp"
#include "store/path_ingester.hpp"
#include "store/store_error.hpp"
#include "store/tar_ingester.hpp"
#include "store/tree_materializer.hpp"
#include "store/unique_fd.hpp"

namespace kfrun::store {

namespace {

constexpr std::string_view k_format_line = "kfrun-store 1\n";
constexpr std::size_t k_hash_buffer_size = 1 << 20;

// No exception leaves the store: whatever escapes a body (only allocation failure is
// expected) becomes an Io error at `where`.
template <class Body>
auto guarded(const std::string& where, Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const std::exception& e) {
        return store_error(where, std::string("unexpected exception: ") + e.what());
    }
}

base::Result<void> check_digest(const engine::ArtifactRef& artifact) {
    if (!BlobLayout::is_valid_digest(artifact.digest)) {
        return store_error("artifact " + artifact.digest, "invalid digest");
    }
    return base::ok();
}

base::Result<std::string> read_whole(int fd, std::size_t max_bytes, const std::string& where) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        return io_error(where, "fstat");
    }
    if (static_cast<std::uint64_t>(info.st_size) > max_bytes) {
        return store_error(where, "larger than " + std::to_string(max_bytes) + " bytes");
    }
    std::string text(static_cast<std::size_t>(info.st_size), '\0');
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t count = ::read(fd, text.data() + done, text.size() - done);
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count < 0) {
            return io_error(where, "read");
        }
        if (count == 0) {
            break;
        }
        done += static_cast<std::size_t>(count);
    }
    text.resize(done);
    return text;
}

base::Result<std::string> read_blob(const BlobLayout& layout, std::string_view digest,
                                    std::size_t max_bytes) {
    const std::string path = layout.blob_path(digest).string();
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
        return io_error(path, "open blob");
    }
    return read_whole(fd.get(), max_bytes, path);
}

// Checks the format marker, writing it (temp-then-rename) into a new store.
base::Result<void> check_format(const BlobLayout& layout) {
    const std::string marker = layout.format_file().string();
    UniqueFd fd(::open(marker.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.valid()) {
        auto text = read_whole(fd.get(), 4096, marker);
        if (!text) {
            return text.error();
        }
        if (*text != k_format_line) {
            return store_error(marker, "unsupported store format (expected \"kfrun-store 1\")");
        }
        return base::ok();
    }
    if (errno != ENOENT) {
        return io_error(marker, "open");
    }
    auto staged = stage_bytes(layout, k_format_line);
    if (!staged) {
        return staged.error();
    }
    if (::chmod(staged->temp_path().c_str(), 0644) != 0 ||
        std::rename(staged->temp_path().c_str(), marker.c_str()) != 0) {
        return io_error(marker, "write");
    }
    staged->release();
    return base::ok();
}

}  // namespace

base::Result<std::unique_ptr<FileArtifactStore>> FileArtifactStore::open(
    const std::filesystem::path& root) {
    return guarded(root.string(), [&]() -> base::Result<std::unique_ptr<FileArtifactStore>> {
        std::unique_ptr<FileArtifactStore> store(new FileArtifactStore(root));
        // Blobs are step outputs: the root is private (0700, an older 0755 one is tightened).
        KFRUN_TRY(base::create_private_directories(root));
        base::tighten_directory(root);
        for (const auto& dir : {store->m_layout.blobs_dir(), store->m_layout.tmp_dir()}) {
            KFRUN_TRY(base::create_private_directories(dir));
        }
        KFRUN_TRY(check_format(store->m_layout));
        return store;
    });
}

base::Result<engine::ArtifactRef> FileArtifactStore::ingest_tar(engine::ByteSource& tar) {
    return guarded("tar stream", [&] { return TarIngester(m_layout).ingest(tar); });
}

base::Result<engine::ArtifactRef> FileArtifactStore::ingest_path(
    const std::filesystem::path& path) {
    return guarded(path.string(), [&] { return PathIngester(m_layout).ingest(path); });
}

base::Result<engine::ArtifactRef> FileArtifactStore::ingest_beneath(
    const std::filesystem::path& root, const std::string& relative) {
    return guarded((root / relative).string(),
                   [&] { return PathIngester(m_layout).ingest_beneath(root, relative); });
}

base::Result<engine::ArtifactRef> FileArtifactStore::ingest_bytes(std::string_view bytes) {
    return guarded("ingest_bytes", [&]() -> base::Result<engine::ArtifactRef> {
        auto staged = stage_bytes(m_layout, bytes);
        if (!staged) {
            return staged.error();
        }
        return BlobTransaction(m_layout).commit_file(std::move(staged).value());
    });
}

base::Result<TreeManifest> FileArtifactStore::load_manifest(
    const engine::ArtifactRef& artifact) const {
    KFRUN_TRY(check_digest(artifact));
    if (!artifact.is_directory()) {
        return store_error("artifact " + artifact.digest, "not a directory artifact");
    }
    auto text = read_blob(m_layout, artifact.digest, std::size_t{1} << 30);
    if (!text) {
        return text.error();
    }
    auto manifest = TreeManifest::parse(*text);
    if (!manifest) {
        base::Error error = manifest.error();
        error.where = m_layout.blob_path(artifact.digest).string() + ": " + error.where;
        return error;
    }
    return manifest;
}

base::Result<void> FileArtifactStore::copy_file_artifact(const engine::ArtifactRef& artifact,
                                                         int out, const std::string& where) const {
    return copy_blob(m_layout, artifact.digest, artifact.size, out, where);
}

base::Result<void> FileArtifactStore::materialize_file(const engine::ArtifactRef& artifact,
                                                       const std::filesystem::path& destination) {
    const std::string where = destination.string();
    std::error_code ec;
    if (destination.has_parent_path()) {
        std::filesystem::create_directories(destination.parent_path(), ec);
        if (ec) {
            return io_error(destination.parent_path().string(), "create_directories", ec.value());
        }
    }
    UniqueFd out(
        ::open(destination.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out.valid()) {
        return io_error(where, errno == EEXIST ? "create (destination exists)" : "create");
    }
    base::Result<void> result = copy_file_artifact(artifact, out.get(), where);
    if (result && ::fchmod(out.get(), 0644) != 0) {
        result = io_error(where, "fchmod");
    }
    if (result && out.close() != 0) {
        result = io_error(where, "close");
    }
    if (!result) {
        ::unlink(destination.c_str());
    }
    return result;
}

base::Result<void> FileArtifactStore::materialize(const engine::ArtifactRef& artifact,
                                                  const std::filesystem::path& destination) {
    return guarded(destination.string(), [&]() -> base::Result<void> {
        KFRUN_TRY(check_digest(artifact));
        if (!artifact.is_directory()) {
            return materialize_file(artifact, destination);
        }
        auto manifest = load_manifest(artifact);
        if (!manifest) {
            return manifest.error();
        }
        return TreeMaterializer(m_layout).materialize(manifest->entries(), destination);
    });
}

base::Result<void> FileArtifactStore::export_copy(const engine::ArtifactRef& artifact,
                                                  int parent_fd, const std::string& name,
                                                  const std::string& where) {
    return guarded(where, [&]() -> base::Result<void> {
        KFRUN_TRY(check_digest(artifact));
        if (artifact.is_directory()) {
            auto manifest = load_manifest(artifact);
            if (!manifest) {
                return manifest.error();
            }
            return TreeMaterializer(m_layout, LinkPolicy::StubOutside)
                .materialize_at(manifest->entries(), parent_fd, name, where);
        }
        UniqueFd out(::openat(parent_fd, name.c_str(),
                              O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (!out.valid()) {
            return io_error(where, errno == EEXIST ? "create (destination exists)" : "create");
        }
        base::Result<void> result = copy_file_artifact(artifact, out.get(), where);
        if (result && out.close() != 0) {
            result = io_error(where, "close");
        }
        if (!result) {
            ::unlinkat(parent_fd, name.c_str(), 0);
        }
        return result;
    });
}

base::Result<std::string> FileArtifactStore::read_text(const engine::ArtifactRef& artifact,
                                                       std::size_t max_bytes) {
    return guarded("read_text", [&]() -> base::Result<std::string> {
        KFRUN_TRY(check_digest(artifact));
        if (artifact.is_directory()) {
            return store_error("artifact " + artifact.digest, "a directory has no text");
        }
        return read_blob(m_layout, artifact.digest, max_bytes);
    });
}

bool FileArtifactStore::blob_intact(std::string_view digest, bool deep) const {
    const std::string path = m_layout.blob_path(digest).string();
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid()) {
        return false;
    }
    if (!deep) {
        return true;
    }
    base::Sha256 hash;
    std::vector<char> buffer(k_hash_buffer_size);
    while (true) {
        ssize_t count = ::read(fd.get(), buffer.data(), buffer.size());
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count < 0) {
            return false;
        }
        if (count == 0) {
            break;
        }
        hash.update(buffer.data(), static_cast<std::size_t>(count));
    }
    if (hash.hex_digest() != digest) {
        discard_blob(m_layout, digest, fd.get());  // the next ingest of these bytes repairs it
        return false;
    }
    return true;
}

bool FileArtifactStore::contains(const engine::ArtifactRef& artifact, bool deep) {
    try {
        if (!BlobLayout::is_valid_digest(artifact.digest) || !blob_intact(artifact.digest, deep)) {
            return false;
        }
        if (!artifact.is_directory()) {
            return true;
        }
        auto manifest = load_manifest(artifact);
        if (!manifest) {
            return false;
        }
        std::unordered_set<std::string_view> checked;
        for (const TreeEntry& entry : manifest->entries()) {
            if (entry.type == TreeEntry::Type::File && checked.insert(entry.digest).second &&
                !blob_intact(entry.digest, deep)) {
                return false;
            }
        }
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

std::filesystem::path FileArtifactStore::blob_path(const engine::ArtifactRef& artifact) const {
    if (artifact.is_directory() || !BlobLayout::is_valid_digest(artifact.digest)) {
        return {};
    }
    return m_layout.blob_path(artifact.digest);
}

}  // namespace kfrun::store
