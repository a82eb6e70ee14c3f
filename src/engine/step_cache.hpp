#pragma once
// StepCache: where finished steps are remembered so an unchanged step is not run twice
// (implemented in src/store over RocksDB). The engine computes the key (cache_key.hpp) and
// decides what a hit means; the cache only stores and finds entries.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "base/time.hpp"
#include "engine/node.hpp"

namespace kfrun::engine {

inline constexpr int k_cache_entry_version = 1;

struct CacheEntry {
    std::string key;        // the key's SHA-256 (hex)
    std::string key_text;   // the canonical key record, kept so a miss can be explained
    std::string step;       // the step's identity: "<pipeline name>/<Argo node name without the
                            // workflow name>", for --explain and `kfrun cache ls`
    std::string pipeline;   // the pipeline's name
    std::string run_id;     // the run that produced it
    base::SystemTime created_at{};
    Millis run_time{0};     // how long the step took; what a hit saves
    // KFP's max_cache_staleness when the entry was stored; absent = no limit.
    std::optional<Millis> max_staleness;
    NodeOutputs outputs;    // parameters, artifacts (with their container paths), result, exit code
    std::uint64_t artifact_bytes = 0;  // sum of the output artifacts' sizes
};

// Serialised form of an entry: a versioned JSON document ("kfrun-cache-entry" 1).
std::string encode_cache_entry(const CacheEntry& entry);
// nullopt for anything that is not a version-1 entry (an unknown version is a miss, not an error).
std::optional<CacheEntry> decode_cache_entry(const std::string& text);

class StepCache {
public:
    virtual ~StepCache() = default;
    // The entry stored under `key`, if any.
    virtual base::Result<std::optional<CacheEntry>> lookup(const std::string& key) = 0;
    // Stores (or replaces) the entry under entry.key and records it as the latest for its step.
    // A cache may write behind: the entry is then visible to this process at once, and to
    // others after flush(); an error of such a write is returned by flush().
    virtual base::Result<void> store(const CacheEntry& entry) = 0;
    // Waits until every stored entry is written. The engine calls it when the run ends.
    virtual base::Result<void> flush() { return base::ok(); }
    // The most recently stored entry for a step identity, whatever its key (for --explain).
    virtual base::Result<std::optional<CacheEntry>> latest_for_step(const std::string& step) = 0;
};

}  // namespace kfrun::engine
