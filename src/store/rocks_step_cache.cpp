#include "store/rocks_step_cache.hpp"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "store/cache_keys.hpp"

namespace kfrun::store {

RocksStepCache::RocksStepCache(std::filesystem::path dir, StepCacheSettings settings)
    : m_settings(std::move(settings)), m_handle(std::move(dir), m_settings.rocks) {}

void RocksStepCache::warn(const std::string& message) {
    if (m_settings.on_warning) {
        m_settings.on_warning(message);
    }
}

std::optional<engine::CacheEntry> RocksStepCache::decode(const std::string& key,
                                                         std::string_view value) {
    const std::optional<std::string_view> body = strip_header(k_magic, value);
    std::optional<engine::CacheEntry> entry;
    if (body) {
        entry = engine::decode_cache_entry(std::string(*body));
    }
    if (!entry || entry->key != key) {
        warn("cache entry " + key + " in " + m_handle.dir().string() +
             " has an unknown format (written by another kfrun version?); treated as a miss");
        return std::nullopt;
    }
    return entry;
}

// The entry under `key` in the read-only view, refreshing a stale view once on a miss.
// Called with m_mutex held.
base::Result<std::optional<engine::CacheEntry>> RocksStepCache::read_entry(const std::string& key) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (attempt == 1) {
            if (m_handle.reader_age() < m_settings.refresh_after) {
                break;
            }
            m_handle.drop_reader();
        }
        base::Result<rocksdb::DB*> db = m_handle.reader();
        if (!db.ok()) {
            return db.error();
        }
        if (*db == nullptr) {
            break;  // no database yet
        }
        std::string value;
        const rocksdb::Status status =
            (*db)->Get(rocksdb::ReadOptions(), cache_keys::entry(key), &value);
        if (status.ok()) {
            return decode(key, value);
        }
        if (!status.IsNotFound()) {
            return rocks_error(m_handle.dir(), "get", status);
        }
    }
    return std::optional<engine::CacheEntry>();
}

base::Result<std::optional<engine::CacheEntry>> RocksStepCache::lookup(const std::string& key) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_stored.find(key); it != m_stored.end()) {
        return std::optional(it->second);
    }
    return read_entry(key);
}

base::Result<void> RocksStepCache::store(const engine::CacheEntry& entry) {
    if (entry.key.empty()) {
        return base::make_error(base::ErrorKind::Internal, "cache entry without a key",
                                m_handle.dir().string());
    }
    rocksdb::WriteBatch batch;
    batch.Put(cache_keys::entry(entry.key),
              with_header(k_magic, engine::encode_cache_entry(entry)));
    if (!entry.step.empty()) {
        batch.Put(cache_keys::step(entry.step), with_header(k_magic, entry.key));
    }
    {
        std::lock_guard write_lock(m_write_mutex);
        KFRUN_TRY(m_handle.write([&](rocksdb::DB& db) -> base::Result<void> {
            const rocksdb::Status status = db.Write(rocksdb::WriteOptions(), &batch);
            if (!status.ok()) {
                return rocks_error(m_handle.dir(), "write", status);
            }
            return base::ok();
        }));
    }
    std::lock_guard lock(m_mutex);
    m_stored[entry.key] = entry;
    if (!entry.step.empty()) {
        m_stored_steps[entry.step] = entry.key;
    }
    return base::ok();
}

base::Result<std::optional<engine::CacheEntry>> RocksStepCache::latest_for_step(
    const std::string& step) {
    std::lock_guard lock(m_mutex);
    std::optional<engine::CacheEntry> mine;
    if (auto it = m_stored_steps.find(step); it != m_stored_steps.end()) {
        mine = m_stored.at(it->second);
    }
    std::optional<engine::CacheEntry> theirs;
    base::Result<rocksdb::DB*> db = m_handle.reader();
    if (!db.ok()) {
        return db.error();
    }
    std::string value;
    if (*db != nullptr) {
        const rocksdb::Status status =
            (*db)->Get(rocksdb::ReadOptions(), cache_keys::step(step), &value);
        if (!status.ok() && !status.IsNotFound()) {
            return rocks_error(m_handle.dir(), "get", status);
        }
        const std::optional<std::string_view> key =
            status.ok() ? strip_header(k_magic, value) : std::nullopt;
        if (key) {
            base::Result<std::optional<engine::CacheEntry>> entry = read_entry(std::string(*key));
            if (!entry.ok()) {
                return entry.error();
            }
            theirs = std::move(*entry);
        }
    }
    if (mine && (!theirs || theirs->created_at <= mine->created_at)) {
        return mine;
    }
    return theirs;
}

void RocksStepCache::forget_stored() {
    std::lock_guard lock(m_mutex);
    m_stored.clear();
    m_stored_steps.clear();
    m_handle.drop_reader();
}

}  // namespace kfrun::store
