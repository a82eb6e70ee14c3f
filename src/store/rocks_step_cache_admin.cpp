// RocksStepCache's admin operations: `kfrun cache stats | ls | prune | clear`.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <set>

#include "store/blob_gc.hpp"
#include "store/cache_keys.hpp"
#include "store/rocks_step_cache.hpp"

namespace kfrun::store {

namespace {

namespace fs = std::filesystem;

struct IndexScan {
    std::vector<CacheEntryInfo> entries;
    std::size_t unreadable = 0;
};

CacheEntryInfo info_of(engine::CacheEntry&& entry) {
    return CacheEntryInfo{std::move(entry.key),    std::move(entry.step), std::move(entry.pipeline),
                          std::move(entry.run_id), entry.created_at,      entry.run_time,
                          entry.artifact_bytes};
}

base::Result<IndexScan> scan_entries(rocksdb::DB& db, const fs::path& dir) {
    IndexScan scan;
    KFRUN_TRY(scan_prefix(db, dir, cache_keys::k_entry_prefix, false,
                          [&](std::string_view key, std::string_view value) {
                              const auto body = strip_header(RocksStepCache::k_magic, value);
                              std::optional<engine::CacheEntry> entry;
                              if (body) {
                                  entry = engine::decode_cache_entry(std::string(*body));
                              }
                              if (entry && cache_keys::entry(entry->key) == key) {
                                  scan.entries.push_back(info_of(std::move(*entry)));
                              } else {
                                  ++scan.unreadable;
                              }
                              return true;
                          }));
    return scan;
}

bool older_first(const CacheEntryInfo& a, const CacheEntryInfo& b) {
    return a.created_at != b.created_at ? a.created_at < b.created_at : a.key < b.key;
}

// The entries prune removes, oldest first.
std::vector<CacheEntryInfo> select_for_prune(std::vector<CacheEntryInfo> entries,
                                             std::optional<base::Millis> older_than,
                                             std::optional<std::uint64_t> max_size,
                                             base::SystemTime now) {
    std::sort(entries.begin(), entries.end(), older_first);
    std::size_t first_kept = 0;
    if (older_than) {
        const base::SystemTime cutoff = now - *older_than;
        while (first_kept < entries.size() && entries[first_kept].created_at < cutoff) {
            ++first_kept;
        }
    }
    if (max_size) {
        std::uint64_t kept_bytes = 0;
        for (std::size_t i = first_kept; i < entries.size(); ++i) {
            kept_bytes += entries[i].artifact_bytes;
        }
        while (first_kept < entries.size() && kept_bytes > *max_size) {
            kept_bytes -= entries[first_kept].artifact_bytes;
            ++first_kept;
        }
    }
    entries.resize(first_kept);
    return entries;
}

}  // namespace

base::Result<CacheStats> RocksStepCache::stats() {
    base::Result<CacheListing> listing = list();
    if (!listing.ok()) {
        return listing.error();
    }
    CacheStats stats;
    stats.unreadable = listing->unreadable;
    for (const CacheEntryInfo& entry : listing->entries) {
        ++stats.entries;
        stats.artifact_bytes += entry.artifact_bytes;
        if (!stats.oldest || entry.created_at < *stats.oldest) {
            stats.oldest = entry.created_at;
        }
        if (!stats.newest || entry.created_at > *stats.newest) {
            stats.newest = entry.created_at;
        }
    }
    return stats;
}

base::Result<CacheListing> RocksStepCache::list() {
    std::lock_guard lock(m_mutex);
    m_handle.drop_reader();  // see what other processes stored until now
    base::Result<rocksdb::DB*> db = m_handle.reader();
    if (!db.ok()) {
        return db.error();
    }
    CacheListing listing;
    if (*db == nullptr) {
        return listing;
    }
    base::Result<IndexScan> scan = scan_entries(**db, m_handle.dir());
    if (!scan.ok()) {
        return scan.error();
    }
    listing.entries = std::move(scan->entries);
    listing.unreadable = scan->unreadable;
    std::sort(listing.entries.begin(), listing.entries.end(),
              [](const CacheEntryInfo& a, const CacheEntryInfo& b) { return older_first(b, a); });
    return listing;
}

base::Result<void> RocksStepCache::add_referenced_digests(std::set<std::string>& digests,
                                                         const std::set<std::string>& except) {
    std::lock_guard lock(m_mutex);
    m_handle.drop_reader();  // see what other processes stored until now
    base::Result<rocksdb::DB*> db = m_handle.reader();
    if (!db.ok()) {
        return db.error();
    }
    if (*db == nullptr) {
        return base::ok();
    }
    return scan_prefix(**db, m_handle.dir(), cache_keys::k_entry_prefix, false,
                       [&](std::string_view key, std::string_view value) {
                           if (!except.empty() &&
                               except.count(std::string(
                                   key.substr(cache_keys::k_entry_prefix.size()))) != 0) {
                               return true;
                           }
                           collect_digests(value, digests);
                           return true;
                       });
}

base::Result<std::vector<CacheEntryInfo>> RocksStepCache::prune(
    std::optional<base::Millis> older_than, std::optional<std::uint64_t> max_size,
    base::SystemTime now, bool dry_run) {
    std::vector<CacheEntryInfo> removed;
    std::lock_guard write_lock(m_write_mutex);
    KFRUN_TRY(m_handle.write([&](rocksdb::DB& db) -> base::Result<void> {
        base::Result<IndexScan> scan = scan_entries(db, m_handle.dir());
        if (!scan.ok()) {
            return scan.error();
        }
        removed = select_for_prune(std::move(scan->entries), older_than, max_size, now);
        if (dry_run) {
            return base::ok();
        }
        std::set<std::string, std::less<>> removed_keys;
        rocksdb::WriteBatch batch;
        for (const CacheEntryInfo& entry : removed) {
            removed_keys.insert(entry.key);
            batch.Delete(cache_keys::entry(entry.key));
        }
        // Step pointers to a removed entry go too (latest_for_step would miss anyway).
        KFRUN_TRY(scan_prefix(db, m_handle.dir(), cache_keys::k_step_prefix, false,
                              [&](std::string_view key, std::string_view value) {
                                  const auto target = strip_header(k_magic, value);
                                  if (target && removed_keys.count(*target) != 0) {
                                      batch.Delete(key);
                                  }
                                  return true;
                              }));
        if (batch.Count() == 0) {
            return base::ok();
        }
        const rocksdb::Status status = db.Write(rocksdb::WriteOptions(), &batch);
        if (!status.ok()) {
            return rocks_error(m_handle.dir(), "write", status);
        }
        return base::ok();
    }));
    forget_stored();
    return removed;
}

base::Result<std::size_t> RocksStepCache::clear() {
    std::size_t count = 0;
    std::lock_guard write_lock(m_write_mutex);
    KFRUN_TRY(m_handle.write([&](rocksdb::DB& db) -> base::Result<void> {
        KFRUN_TRY(scan_prefix(db, m_handle.dir(), cache_keys::k_entry_prefix, false,
                              [&](std::string_view, std::string_view) {
                                  ++count;
                                  return true;
                              }));
        rocksdb::WriteBatch batch;
        batch.DeleteRange("e/", "e0");  // '0' follows '/': every key of the prefix
        batch.DeleteRange("s/", "s0");
        rocksdb::Status status = db.Write(rocksdb::WriteOptions(), &batch);
        if (status.ok()) {
            // Drop the deleted data from the files now rather than at some later compaction.
            status = db.CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr);
        }
        if (!status.ok()) {
            return rocks_error(m_handle.dir(), "clear", status);
        }
        return base::ok();
    }));
    forget_stored();
    return count;
}

}  // namespace kfrun::store
