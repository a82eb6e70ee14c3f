#include "store/blob_transaction.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>

#include "store/blob_writer.hpp"
#include "store/store_error.hpp"

namespace kfrun::store {

namespace {

base::Result<void> publish(const BlobLayout& layout, StagedBlob& blob) {
    std::filesystem::path final_path = layout.blob_path(blob.digest());
    if (std::rename(blob.temp_path().c_str(), final_path.c_str()) == 0) {
        blob.release();
        return base::ok();
    }
    if (errno != ENOENT) {
        return io_error(final_path.string(), "rename");
    }
    std::filesystem::path shard = layout.shard_dir(blob.digest());
    if (::mkdir(shard.c_str(), 0755) != 0 && errno != EEXIST) {
        return io_error(shard.string(), "mkdir");
    }
    if (std::rename(blob.temp_path().c_str(), final_path.c_str()) != 0) {
        return io_error(final_path.string(), "rename");
    }
    blob.release();
    return base::ok();
}

}  // namespace

void BlobTransaction::add(StagedBlob blob) {
    if (!m_digests.insert(blob.digest()).second) {
        return;  // `blob` goes out of scope and removes its duplicate temp file
    }
    m_blobs.push_back(std::move(blob));
}

base::Result<void> BlobTransaction::commit() {
    for (StagedBlob& blob : m_blobs) {
        KFRUN_TRY(publish(m_layout, blob));
    }
    m_blobs.clear();
    m_digests.clear();
    return base::ok();
}

base::Result<engine::ArtifactRef> BlobTransaction::commit_file(StagedBlob file) {
    engine::ArtifactRef ref{engine::ArtifactRef::Kind::File, file.digest(), file.size(), 1};
    add(std::move(file));
    KFRUN_TRY(commit());
    return ref;
}

base::Result<engine::ArtifactRef> BlobTransaction::commit_tree(const TreeManifest& manifest) {
    auto staged = stage_bytes(m_layout, manifest.serialize());
    if (!staged) {
        return staged.error();
    }
    engine::ArtifactRef ref{engine::ArtifactRef::Kind::Directory, staged->digest(),
                            manifest.total_file_size(), manifest.file_count()};
    add(std::move(staged).value());
    KFRUN_TRY(commit());
    return ref;
}

}  // namespace kfrun::store
