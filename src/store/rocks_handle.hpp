#pragma once
// RocksHandle: one RocksDB directory shared by several kfrun processes (see README.md,
// "The indexes"). Reads go through a read-only instance opened lazily once (it takes no
// lock); each write opens the primary instance briefly, waiting while another process holds
// the directory's LOCK, runs one body and closes it again.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace rocksdb {
class DB;
class Status;
}  // namespace rocksdb

namespace kfrun::store {

struct RocksSettings {
    // How long a write waits for another process (or thread) that holds the primary instance.
    std::chrono::milliseconds lock_timeout{10'000};
};

class RocksHandle {
  public:
    RocksHandle(std::filesystem::path dir, RocksSettings settings);
    ~RocksHandle();
    RocksHandle(const RocksHandle&) = delete;
    RocksHandle& operator=(const RocksHandle&) = delete;

    const std::filesystem::path& dir() const { return m_dir; }

    // The read-only instance, opened on first use. nullptr (not an error) while no database
    // exists in the directory; the next call looks again. It sees the database as it was
    // when it was opened. Not thread-safe: callers serialise.
    base::Result<rocksdb::DB*> reader();
    // How long ago the current read-only instance was opened (zero if none is open).
    std::chrono::steady_clock::duration reader_age() const;
    // Closes the read-only instance; the next reader() opens a fresh one.
    void drop_reader();

    // Opens the primary instance (creating the directory and database if needed), runs
    // `body`, then closes the instance. Returns body's error, or an Io error naming the
    // directory when the database cannot be opened within lock_timeout.
    base::Result<void> write(const std::function<base::Result<void>(rocksdb::DB&)>& body);

  private:
    std::filesystem::path m_dir;
    RocksSettings m_settings;
    std::unique_ptr<rocksdb::DB> m_reader;
    std::chrono::steady_clock::time_point m_reader_opened_at{};
};

// An Io error "<operation>: <RocksDB status>" at the directory.
base::Error rocks_error(const std::filesystem::path& dir, std::string_view operation,
                        const rocksdb::Status& status);

// Calls visit(key, value) for every key starting with `prefix`, in key order (or reverse
// order); visit returns false to stop early.
base::Result<void> scan_prefix(
    rocksdb::DB& db, const std::filesystem::path& dir, std::string_view prefix, bool reverse,
    const std::function<bool(std::string_view key, std::string_view value)>& visit);

// A stored value: `magic` ("kfrun-idx 1\n") followed by the body.
std::string with_header(std::string_view magic, std::string_view body);
// The body if `value` starts with exactly `magic`; nullopt otherwise (another version or kind).
std::optional<std::string_view> strip_header(std::string_view magic, std::string_view value);

}  // namespace kfrun::store
