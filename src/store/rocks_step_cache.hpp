#pragma once
// RocksStepCache: the step cache's index in RocksDB (engine::StepCache), plus the admin
// operations of `kfrun cache stats | ls | prune | clear`. Keys, values and the concurrency
// design: src/store/README.md, "The step cache index".
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/result.hpp"
#include "base/time.hpp"
#include "engine/step_cache.hpp"
#include "store/rocks_handle.hpp"

namespace kfrun::store {

struct StepCacheSettings {
    RocksSettings rocks;
    // A miss re-opens the read-only view if it is older than this, so that entries another
    // process stored meanwhile are found. A hit never re-opens.
    std::chrono::milliseconds refresh_after{500};
    // Told about stored values it cannot read (another format version): they are misses.
    // Called with the cache's lock held: it must not call back into the cache.
    std::function<void(const std::string& message)> on_warning;
    // store() queues the entry and returns; a thread of the cache writes what is queued, all of
    // it in one batch (one primary open), while the run goes on. flush() and the destructor wait
    // for it. Off: store() writes before it returns.
    bool write_behind = false;
    // Write behind: how long the writer gathers entries before it opens the database (each open
    // costs 3-5 ms of CPU: replaying and flushing the last WAL, a new MANIFEST and OPTIONS file).
    // A flush writes at once. What a crash can lose: the entries of this window.
    std::chrono::milliseconds write_behind_window{1000};
};

// One entry as `kfrun cache ls` shows it.
struct CacheEntryInfo {
    std::string key;
    std::string step;
    std::string pipeline;
    std::string run_id;
    base::SystemTime created_at{};
    base::Millis run_time{0};
    std::uint64_t artifact_bytes = 0;
};

struct CacheListing {
    std::vector<CacheEntryInfo> entries;  // newest first (then by key)
    // Values of another format version (written by another kfrun): never hits, kept by prune.
    std::size_t unreadable = 0;
};

struct CacheStats {
    std::size_t entries = 0;
    std::size_t unreadable = 0;  // as in CacheListing
    // Summed over entries: a blob that several entries share counts once per entry.
    std::uint64_t artifact_bytes = 0;
    std::optional<base::SystemTime> oldest;
    std::optional<base::SystemTime> newest;
};

class RocksStepCache final : public engine::StepCache {
  public:
    // The header of every value; another header is a miss.
    static constexpr std::string_view k_magic = "kfrun-idx 1\n";

    // Nothing is opened yet: the first lookup opens the read-only view, each store() the
    // primary instance (creating `dir` and the database on the first one).
    explicit RocksStepCache(std::filesystem::path dir, StepCacheSettings settings = {});
    // Waits for the writes behind (their errors are warnings then).
    ~RocksStepCache() override;

    base::Result<std::optional<engine::CacheEntry>> lookup(const std::string& key) override;
    base::Result<void> store(const engine::CacheEntry& entry) override;
    // Write behind: waits until the queue is written; the first error since the last flush.
    base::Result<void> flush() override;
    base::Result<std::optional<engine::CacheEntry>> latest_for_step(
        const std::string& step) override;

    // Admin operations: they read the database as it is now (a fresh view).
    base::Result<CacheStats> stats();
    base::Result<CacheListing> list();
    // Removes the entries created before `now - older_than`, then the oldest ones until the
    // summed artifact_bytes of the rest is at most `max_size`. Index entries only: blobs are
    // collected separately (`kfrun gc`). Returns what was removed, oldest first; with dry_run,
    // what would be, and nothing changes.
    base::Result<std::vector<CacheEntryInfo>> prune(std::optional<base::Millis> older_than,
                                                    std::optional<std::uint64_t> max_size,
                                                    base::SystemTime now, bool dry_run = false);
    // Every digest (64 lower-case hex characters) any entry's value mentions, readable or not:
    // the store blobs the cache refers to (see blob_gc.hpp). Entries whose key is in `except`
    // are left out (those a dry-run prune would remove).
    base::Result<void> add_referenced_digests(std::set<std::string>& digests,
                                              const std::set<std::string>& except = {});
    // Removes every entry (readable or not); returns how many there were.
    base::Result<std::size_t> clear();

    const std::filesystem::path& dir() const { return m_handle.dir(); }

  private:
    base::Result<std::optional<engine::CacheEntry>> read_entry(const std::string& key);
    std::optional<engine::CacheEntry> decode(const std::string& key, std::string_view value);
    void warn(const std::string& message);
    void forget_stored();
    // Writes the entries in one batch (one primary open), under m_write_mutex.
    base::Result<void> write(const std::vector<engine::CacheEntry>& entries);
    void write_queued();  // the writer thread

    StepCacheSettings m_settings;
    std::mutex m_write_mutex;  // one primary instance per process at a time
    std::mutex m_mutex;        // the read-only view and the maps below
    RocksHandle m_handle;
    // What this process stored since its read-only view opened (the view cannot see it).
    std::unordered_map<std::string, engine::CacheEntry> m_stored;
    std::unordered_map<std::string, std::string> m_stored_steps;  // step -> key
    // Write behind: the queue, its writer and the first error it met since the last flush.
    std::mutex m_queue_mutex;
    std::condition_variable m_queue_changed;
    std::vector<engine::CacheEntry> m_queue;
    bool m_writing = false;
    bool m_flushing = false;  // a flush() waits: write without gathering more
    bool m_stopping = false;
    std::optional<base::Error> m_write_error;
    std::thread m_writer;
};

}  // namespace kfrun::store
