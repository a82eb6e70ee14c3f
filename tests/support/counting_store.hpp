#pragma once
// CountingStore: an ArtifactStore that forwards to another one and counts the writes, so a
// test can say "this run stored nothing".
#include <atomic>

#include "engine/artifact_store.hpp"

namespace kfrun::test_support {

class CountingStore : public engine::ArtifactStore {
  public:
    explicit CountingStore(engine::ArtifactStore& inner) : m_inner(inner) {}

    int writes() const { return m_writes.load(); }

    base::Result<engine::ArtifactRef> ingest_tar(engine::ByteSource& tar) override {
        ++m_writes;
        return m_inner.ingest_tar(tar);
    }
    base::Result<engine::ArtifactRef> ingest_path(const std::filesystem::path& path) override {
        ++m_writes;
        return m_inner.ingest_path(path);
    }
    base::Result<engine::ArtifactRef> ingest_beneath(const std::filesystem::path& root,
                                                     const std::string& relative) override {
        ++m_writes;
        return m_inner.ingest_beneath(root, relative);
    }
    base::Result<engine::ArtifactRef> ingest_bytes(std::string_view bytes) override {
        ++m_writes;
        return m_inner.ingest_bytes(bytes);
    }
    base::Result<void> materialize(const engine::ArtifactRef& artifact,
                                   const std::filesystem::path& destination) override {
        return m_inner.materialize(artifact, destination);
    }
    base::Result<void> export_copy(const engine::ArtifactRef& artifact, int parent_fd,
                                   const std::string& name, const std::string& where) override {
        return m_inner.export_copy(artifact, parent_fd, name, where);
    }
    base::Result<std::string> read_text(const engine::ArtifactRef& artifact,
                                        std::size_t max_bytes) override {
        return m_inner.read_text(artifact, max_bytes);
    }
    bool contains(const engine::ArtifactRef& artifact, bool deep) override {
        return m_inner.contains(artifact, deep);
    }
    std::filesystem::path blob_path(const engine::ArtifactRef& artifact) const override {
        return m_inner.blob_path(artifact);
    }

  private:
    engine::ArtifactStore& m_inner;
    std::atomic<int> m_writes{0};
};

}  // namespace kfrun::test_support
