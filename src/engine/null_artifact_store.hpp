#pragma once
// NullArtifactStore: a store that keeps nothing, for plans (dry runs) and input checks that must
// not write anything. Raw bytes get a symbolic reference; every read fails.
#include "engine/artifact_store.hpp"

namespace kfrun::engine {

class NullArtifactStore : public ArtifactStore {
public:
    base::Result<ArtifactRef> ingest_tar(ByteSource&) override { return unavailable(); }
    base::Result<ArtifactRef> ingest_path(const std::filesystem::path&) override {
        return unavailable();
    }
    base::Result<ArtifactRef> ingest_beneath(const std::filesystem::path&,
                                             const std::string&) override {
        return unavailable();
    }
    base::Result<ArtifactRef> ingest_bytes(std::string_view bytes) override {
        return ArtifactRef{ArtifactRef::Kind::File, "dry-run", bytes.size(), 1};
    }
    base::Result<void> materialize(const ArtifactRef&, const std::filesystem::path&) override {
        return unavailable();
    }
    base::Result<void> export_copy(const ArtifactRef&, int, const std::string&,
                                   const std::string&) override {
        return unavailable();
    }
    base::Result<std::string> read_text(const ArtifactRef&, std::size_t) override {
        return unavailable();
    }
    bool contains(const ArtifactRef&, bool) override { return false; }
    std::filesystem::path blob_path(const ArtifactRef&) const override { return {}; }

private:
    static base::Error unavailable() {
        return base::make_error(base::ErrorKind::Internal, "this run keeps no artifacts");
    }
};

}  // namespace kfrun::engine
