// store_bench <work dir> [blobs|index]: ingest/materialize throughput of a 1 GiB file and a
// 10,000-file directory (blobs, the default), or the costs of the step cache index (index),
// for src/store/README.md. Not a test; build with `ninja store_bench`.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "byte_sources.hpp"
#include "store/file_artifact_store.hpp"
#include "tar_builder.hpp"

namespace fs = std::filesystem;
using kfrun::store::FileArtifactStore;
using kfrun::store::testing::FileByteSource;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

template <class Body>
double timed(const char* label, double mib, Body&& body) {
    ::sync();  // keep write-back of the previous phase out of this one
    auto start = std::chrono::steady_clock::now();
    if (!body()) {
        std::fprintf(stderr, "%s failed\n", label);
        std::exit(1);
    }
    double s = seconds_since(start);
    std::printf("%-40s %8.3f s  %8.1f MiB/s\n", label, s, mib / s);
    return s;
}

}  // namespace

namespace kfrun::store::testing {
int run_index_bench(const fs::path& work);
}

int main(int argc, char** argv) {
    const std::string mode = argc == 3 ? argv[2] : "blobs";
    if ((argc != 2 && argc != 3) || (mode != "blobs" && mode != "index")) {
        std::fprintf(stderr, "usage: store_bench <work dir> [blobs|index]\n");
        return 2;
    }
    const fs::path work = argv[1];
    fs::remove_all(work);
    fs::create_directories(work);
    if (mode == "index") {
        return kfrun::store::testing::run_index_bench(work);
    }
    auto store = FileArtifactStore::open(work / "store");
    if (!store) {
        std::fprintf(stderr, "%s\n", store.error().to_string().c_str());
        return 1;
    }
    const std::uint64_t size = 1ull << 30;
    std::uint64_t state = 88172645463325252ull;
    kfrun::store::testing::write_large_tar(work / "big.tar", "big.bin", size,
                                           [&](char* buffer, std::size_t count) {
                                               for (std::size_t i = 0; i < count; ++i) {
                                                   state ^= state << 13;
                                                   state ^= state >> 7;
                                                   state ^= state << 17;
                                                   buffer[i] = static_cast<char>(state);
                                               }
                                           });
    kfrun::engine::ArtifactRef big;
    timed("ingest_tar 1 GiB file", 1024, [&] {
        FileByteSource source(work / "big.tar");
        auto ref = (*store)->ingest_tar(source);
        if (ref) {
            big = *ref;
        }
        return ref.ok();
    });
    timed("materialize 1 GiB file", 1024,
          [&] { return (*store)->materialize(big, work / "big.out").ok(); });
    timed("contains(deep) 1 GiB file", 1024, [&] { return (*store)->contains(big, true); });

    kfrun::store::testing::TarBuilder tree;
    tree.directory("tree/");
    std::uint64_t tree_bytes = 0;
    for (int i = 0; i < 10000; ++i) {
        std::string content = "file " + std::to_string(i) + std::string(4000, 'x');
        tree_bytes += content.size();
        tree.file("tree/d" + std::to_string(i / 100) + "/f" + std::to_string(i), content);
    }
    {
        FILE* out = std::fopen((work / "tree.tar").c_str(), "wb");
        std::string bytes = tree.finish();
        std::fwrite(bytes.data(), 1, bytes.size(), out);
        std::fclose(out);
    }
    const double tree_mib = static_cast<double>(tree_bytes) / (1 << 20);
    kfrun::engine::ArtifactRef dir;
    timed("ingest_tar 10,000 files (new)", tree_mib, [&] {
        FileByteSource source(work / "tree.tar");
        auto ref = (*store)->ingest_tar(source);
        if (ref) {
            dir = *ref;
        }
        return ref.ok();
    });
    timed("ingest_tar 10,000 files (all present)", tree_mib, [&] {
        FileByteSource source(work / "tree.tar");
        return (*store)->ingest_tar(source).ok();
    });
    timed("materialize 10,000 files", tree_mib,
          [&] { return (*store)->materialize(dir, work / "tree.out").ok(); });
    timed("materialize 10,000 files (again)", tree_mib,
          [&] { return (*store)->materialize(dir, work / "tree.out2").ok(); });
    timed("ingest_path 10,000 files", tree_mib,
          [&] { return (*store)->ingest_path(work / "tree.out").ok(); });
    std::printf("big %s\ntree %s\n", big.digest.c_str(), dir.digest.c_str());
    return 0;
}
