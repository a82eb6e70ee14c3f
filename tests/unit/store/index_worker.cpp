// store_index_worker: the other process of the index tests (see index_support.hpp).
//   concurrent <index dir> <name> <count> <go file>: waits for <go file>, then stores
//       <count> entries of its own and some shared ones, looking each up again.
//   crash <index dir> <store dir>: forever: ingests two blobs, then stores an entry that
//       references them (the engine's order). The test kills it with SIGKILL.
//   lookups <index dir> <count>: looks up the entries of `store_bench <dir> index` and
//       exits; `time` on it is the index's share of a cached re-run, process start included.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "index_support.hpp"
#include "store/file_artifact_store.hpp"
#include "store/rocks_step_cache.hpp"

namespace {

using namespace kfrun;
using store::testing::make_entry;

int fail(const std::string& message) {
    std::fprintf(stderr, "store_index_worker: %s\n", message.c_str());
    return 1;
}

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int concurrent(const std::filesystem::path& index, const std::string& name, int count,
               const std::filesystem::path& go) {
    while (!std::filesystem::exists(go)) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    store::StepCacheSettings settings;
    settings.rocks.lock_timeout = std::chrono::seconds(60);
    store::RocksStepCache cache(index, settings);
    for (int i = 0; i < count; ++i) {
        const std::string own = name + "-" + std::to_string(i);
        const std::string shared = "shared-" + std::to_string(i % 5);
        for (const std::string& entry_name : {own, shared}) {
            engine::CacheEntry entry =
                make_entry(entry_name, "p/" + name + "-step" + std::to_string(i % 3), now_ms());
            entry.run_id = name;
            if (auto stored = cache.store(entry); !stored.ok()) {
                return fail("store " + entry_name + ": " + stored.error().to_string());
            }
            auto found = cache.lookup(entry.key);
            if (!found.ok()) {
                return fail("lookup " + entry_name + ": " + found.error().to_string());
            }
            if (!*found || (*found)->run_id != name) {
                return fail("lookup " + entry_name + " missed its own entry");
            }
        }
        // The other worker's entries, through a view opened just now (racing with its
        // writes, flushes and compactions): hit or miss, but never an error.
        const std::string other = (name == "a" ? "b-" : "a-") + std::to_string(i);
        store::RocksStepCache fresh(index);
        if (auto found = fresh.lookup(store::testing::key_of(other)); !found.ok()) {
            return fail("lookup " + other + ": " + found.error().to_string());
        }
    }
    return 0;
}

int crash(const std::filesystem::path& index, const std::filesystem::path& store_dir) {
    auto blobs = store::FileArtifactStore::open(store_dir);
    if (!blobs.ok()) {
        return fail(blobs.error().to_string());
    }
    store::RocksStepCache cache(index);
    const std::string self = std::to_string(::getpid());
    for (long long i = 0;; ++i) {
        engine::CacheEntry entry = make_entry(self + "-" + std::to_string(i), "p/step", now_ms());
        entry.outputs.artifacts.clear();
        entry.artifact_bytes = 0;
        for (int part = 0; part < 2; ++part) {
            const std::size_t size = 4096 + static_cast<std::size_t>((i * 7919 + part) % 300'000);
            std::string bytes(size, static_cast<char>('a' + (i + part) % 26));
            bytes += self + "/" + std::to_string(i) + "/" + std::to_string(part);
            auto ref = (*blobs)->ingest_bytes(bytes);
            if (!ref.ok()) {
                return fail(ref.error().to_string());
            }
            entry.outputs.artifacts.push_back({"part" + std::to_string(part), *ref, "/out"});
            entry.artifact_bytes += ref->size;
        }
        if (auto stored = cache.store(entry); !stored.ok()) {
            return fail(stored.error().to_string());
        }
    }
}

int lookups(const std::filesystem::path& index, int count) {
    store::RocksStepCache cache(index);
    for (int i = 0; i < count; ++i) {
        auto found = cache.lookup(store::testing::key_of("bench-" + std::to_string(i)));
        if (!found.ok() || !*found) {
            return fail("lookup " + std::to_string(i) + " did not hit");
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "concurrent" && argc == 6) {
        return concurrent(argv[2], argv[3], std::stoi(argv[4]), argv[5]);
    }
    if (mode == "crash" && argc == 4) {
        return crash(argv[2], argv[3]);
    }
    if (mode == "lookups" && argc == 4) {
        return lookups(argv[2], std::stoi(argv[3]));
    }
    return fail(
        "usage: concurrent <index> <name> <count> <go file> | crash <index> <store> | "
        "lookups <index> <count>");
}
