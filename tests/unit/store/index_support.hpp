#pragma once
// Helpers of the RocksDB index tests: entries to store, and the index worker process.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "engine/step_cache.hpp"

namespace kfrun::store::testing {

// An entry under sha256(name) for `step`, created at `created_ms` after the epoch, with
// one file artifact of `bytes` bytes (its digest is made up unless given).
engine::CacheEntry make_entry(const std::string& name, const std::string& step,
                              long long created_ms, std::uint64_t bytes = 100);
// The cache key make_entry uses for `name`.
std::string key_of(const std::string& name);

// Starts store_index_worker (a fresh process: fork + exec, so no RocksDB thread of this
// process is inherited half-alive) with these arguments; returns its pid.
pid_t spawn_worker(const std::vector<std::string>& arguments);
// Waits for the worker; its exit status (128 + signal if it was killed).
int wait_worker(pid_t pid);

}  // namespace kfrun::store::testing
