#pragma once
// MemoryStepCache: an engine::StepCache in a map, for engine tests that need the step cache's
// behaviour (keys, hits, --explain) without RocksDB. Every stored entry is kept, so a test can
// look at exactly what would have reached the index.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/step_cache.hpp"

namespace kfrun::test_support {

class MemoryStepCache : public engine::StepCache {
  public:
    base::Result<std::optional<engine::CacheEntry>> lookup(const std::string& key) override {
        std::lock_guard lock(m_mutex);
        auto it = m_entries.find(key);
        if (it == m_entries.end()) {
            return std::optional<engine::CacheEntry>();
        }
        return std::optional<engine::CacheEntry>(it->second);
    }
    base::Result<void> store(const engine::CacheEntry& entry) override {
        std::lock_guard lock(m_mutex);
        m_entries[entry.key] = entry;
        m_latest[entry.step] = entry.key;
        m_stored.push_back(entry);
        return base::ok();
    }
    base::Result<std::optional<engine::CacheEntry>> latest_for_step(
        const std::string& step) override {
        std::lock_guard lock(m_mutex);
        auto it = m_latest.find(step);
        if (it == m_latest.end()) {
            return std::optional<engine::CacheEntry>();
        }
        return std::optional<engine::CacheEntry>(m_entries.at(it->second));
    }
    // Every entry ever stored, in order, as encoded for the index.
    std::vector<std::string> encoded() const {
        std::lock_guard lock(m_mutex);
        std::vector<std::string> out;
        for (const engine::CacheEntry& entry : m_stored) {
            out.push_back(engine::encode_cache_entry(entry));
        }
        return out;
    }

  private:
    mutable std::mutex m_mutex;
    std::map<std::string, engine::CacheEntry> m_entries;
    std::map<std::string, std::string> m_latest;
    std::vector<engine::CacheEntry> m_stored;
};

}  // namespace kfrun::test_support
