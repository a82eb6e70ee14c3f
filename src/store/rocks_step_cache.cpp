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

RocksStepCache::~RocksStepCache() {
    if (!m_writer.joinable()) {
        return;
    }
    if (auto flushed = flush(); !flushed.ok()) {
        warn(flushed.error().to_string());
    }
    {
        std::lock_guard lock(m_queue_mutex);
        m_stopping = true;
    }
    m_queue_changed.notify_all();
    m_writer.join();
}

base::Result<void> RocksStepCache::write(const std::vector<engine::CacheEntry>& entries) {
    rocksdb::WriteBatch batch;
    for (const auto& entry : entries) {
        batch.Put(cache_keys::entry(entry.key),
                  with_header(k_magic, engine::encode_cache_entry(entry)));
        if (!entry.step.empty()) {
            batch.Put(cache_keys::step(entry.step), with_header(k_magic, entry.key));
        }
    }
    std::lock_guard write_lock(m_write_mutex);
    return m_handle.write([&](rocksdb::DB& db) -> base::Result<void> {
        const rocksdb::Status status = db.Write(rocksdb::WriteOptions(), &batch);
        if (!status.ok()) {
            return rocks_error(m_handle.dir(), "write", status);
        }
        return base::ok();
    });
}

base::Result<void> RocksStepCache::store(const engine::CacheEntry& entry) {
    if (entry.key.empty()) {
        return base::make_error(base::ErrorKind::Internal, "cache entry without a key",
                                m_handle.dir().string());
    }
    if (!m_settings.write_behind) {
        KFRUN_TRY(write({entry}));
    }
    {
        std::lock_guard lock(m_mutex);
        m_stored[entry.key] = entry;
        if (!entry.step.empty()) {
            m_stored_steps[entry.step] = entry.key;
        }
    }
    if (m_settings.write_behind) {
        std::lock_guard lock(m_queue_mutex);
        m_queue.push_back(entry);
        if (!m_writer.joinable()) {
            m_writer = std::thread([this] { write_queued(); });
        }
        m_queue_changed.notify_all();
    }
    return base::ok();
}

void RocksStepCache::write_queued() {
    std::unique_lock lock(m_queue_mutex);
    while (true) {
        m_queue_changed.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty()) {
            return;  // stopping, and everything is written
        }
        m_queue_changed.wait_for(lock, m_settings.write_behind_window,
                                 [this] { return m_stopping || m_flushing; });
        std::vector<engine::CacheEntry> entries = std::move(m_queue);
        m_queue.clear();
        m_writing = true;
        lock.unlock();
        // No exception may leave the writer thread: it becomes the error flush() returns.
        base::Result<void> written;
        try {
            written = write(entries);
        } catch (const std::exception& e) {
            written = base::make_error(base::ErrorKind::Internal,
                                       std::string("kfrun internal error: ") + e.what(),
                                       m_handle.dir().string());
        } catch (...) {
            written = base::make_error(base::ErrorKind::Internal,
                                       "kfrun internal error: unknown exception",
                                       m_handle.dir().string());
        }
        lock.lock();
        m_writing = false;
        if (!written.ok() && !m_write_error) {
            base::Error error = written.error();
            error.message = std::to_string(entries.size()) +
                            " step result(s) were not recorded: " + error.message;
            m_write_error = std::move(error);
        }
        m_queue_changed.notify_all();
    }
}

base::Result<void> RocksStepCache::flush() {
    std::unique_lock lock(m_queue_mutex);
    m_flushing = true;
    m_queue_changed.notify_all();
    m_queue_changed.wait(lock, [this] { return m_queue.empty() && !m_writing; });
    m_flushing = false;
    if (m_write_error) {
        base::Error error = std::move(*m_write_error);
        m_write_error.reset();
        return error;
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
