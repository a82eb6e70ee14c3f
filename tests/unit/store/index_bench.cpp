// store_bench <work dir> index: costs of the RocksDB step cache index, for README.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "index_support.hpp"
#include "store/rocks_handle.hpp"
#include "store/rocks_step_cache.hpp"

namespace kfrun::store::testing {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Runs `body` `count` times; prints the median and the worst in milliseconds per call.
void measure(const char* label, int count, const std::function<void()>& body) {
    std::vector<double> times;
    for (int i = 0; i < count; ++i) {
        const auto start = Clock::now();
        body();
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    std::printf("%-52s median %9.4f ms   p90 %9.4f ms   max %9.4f ms\n", label,
                times[times.size() / 2], times[times.size() * 9 / 10], times.back());
}

void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "%s failed\n", what);
        std::exit(1);
    }
}

engine::CacheEntry bench_entry(int i) {
    engine::CacheEntry entry = make_entry("bench-" + std::to_string(i),
                                          "pipeline/step-" + std::to_string(i % 100), 1000 + i);
    entry.key_text = std::string(1500, 'k');  // a canonical key record is about this long
    return entry;
}

}  // namespace

int run_index_bench(const fs::path& work) {
    const fs::path index = work / "index";
    constexpr int k_entries = 1000;
    {
        RocksStepCache cache(index);
        measure("store() into a growing index (1,000 entries)", k_entries,
                [&, i = 0]() mutable { check(cache.store(bench_entry(i++)).ok(), "store"); });
    }
    measure("primary open + close (empty write)", 50, [&] {
        RocksHandle handle(index, {});
        check(handle.write([](rocksdb::DB&) { return base::ok(); }).ok(), "write");
    });
    measure("read-only open + close", 50, [&] {
        RocksHandle handle(index, {});
        auto db = handle.reader();
        check(db.ok() && *db != nullptr, "reader");
    });
    measure("new cache + first lookup (opens the view)", 50, [&] {
        RocksStepCache cache(index);
        auto found = cache.lookup(bench_entry(7).key);
        check(found.ok() && *found, "first lookup");
    });
    RocksStepCache cache(index);
    check(cache.lookup(bench_entry(0).key).ok(), "warm-up");
    measure("lookup, hit (decoded entry)", 10'000, [&, i = 0]() mutable {
        auto found = cache.lookup(bench_entry(i++ % k_entries).key);
        check(found.ok() && *found, "lookup");
    });
    StepCacheSettings no_refresh;
    no_refresh.refresh_after = std::chrono::hours(1);
    RocksStepCache missing(index, no_refresh);
    measure("lookup, miss", 10'000, [&, i = 0]() mutable {
        auto found = missing.lookup(key_of("absent-" + std::to_string(i++)));
        check(found.ok() && !*found, "miss");
    });
    measure("latest_for_step", 1'000, [&, i = 0]() mutable {
        auto found = cache.latest_for_step("pipeline/step-" + std::to_string(i++ % 100));
        check(found.ok() && *found, "latest_for_step");
    });
    measure("cached re-run: new cache + 100 lookups", 20, [&] {
        RocksStepCache rerun(index);
        for (int i = 0; i < 100; ++i) {
            auto found = rerun.lookup(bench_entry(i).key);
            check(found.ok() && *found, "rerun lookup");
        }
    });
    measure("list() of 1,000 entries", 10, [&] { check(cache.list().ok(), "list"); });
    return 0;
}

}  // namespace kfrun::store::testing
