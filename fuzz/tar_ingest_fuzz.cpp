// Fuzz target: a tar stream as Docker's GET /containers/{id}/archive returns it, ingested into
// the content-addressed store (src/store/tar_ingester) and, when accepted, materialised again
// (src/store/tree_materializer). Nothing may land outside the store or the destination.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>

#include "engine/byte_source.hpp"
#include "store/file_artifact_store.hpp"

namespace {

namespace fs = std::filesystem;

class MemorySource : public kfrun::engine::ByteSource {
public:
    MemorySource(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}
    kfrun::base::Result<std::size_t> read(char* buffer, std::size_t capacity) override {
        // Uneven chunks, like an HTTP body.
        std::size_t count = std::min({capacity, m_size - m_offset, std::size_t{4093}});
        std::memcpy(buffer, m_data + m_offset, count);
        m_offset += count;
        return count;
    }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_offset = 0;
};

fs::path work_dir() {
    static const fs::path dir = [] {
        fs::path path = fs::temp_directory_path() / ("kfrun-fuzz-tar-" + std::to_string(::getpid()));
        fs::create_directories(path);
        return path;
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static unsigned runs = 0;
    const fs::path root = work_dir() / "store";
    if (++runs % 512 == 0) {
        std::error_code ec;
        fs::remove_all(root, ec);  // keep the disk use of a long run small
    }
    auto store = kfrun::store::FileArtifactStore::open(root);
    if (!store.ok()) {
        return 0;
    }
    MemorySource source(data, size);
    auto artifact = (*store)->ingest_tar(source);
    if (!artifact.ok()) {
        return 0;
    }
    const fs::path destination = work_dir() / "out" / "data";
    std::error_code ec;
    fs::remove_all(destination.parent_path(), ec);
    fs::create_directories(destination.parent_path(), ec);
    (void)(*store)->materialize(*artifact, destination);
    if (artifact->is_directory()) {
        (void)(*store)->load_manifest(*artifact);
    }
    fs::remove_all(destination.parent_path(), ec);
    return 0;
}
