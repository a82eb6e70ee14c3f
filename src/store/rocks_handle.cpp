#include "store/rocks_handle.hpp"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/metadata.h>
#include <rocksdb/options.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <thread>
#include <vector>

#include "store/store_error.hpp"

namespace kfrun::store {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// RocksDB's LOG file would be created, and the previous one renamed, on every open: one
// more file per store() and per process. kfrun reports failures through statuses instead.
class NullLogger final : public rocksdb::Logger {
  public:
    using rocksdb::Logger::Logv;
    void Logv(const char* /*format*/, va_list /*arguments*/) override {}
};

rocksdb::Options make_options() {
    static const auto logger = std::make_shared<NullLogger>();
    rocksdb::Options options;
    options.create_if_missing = true;
    options.info_log = logger;
    // Every table file is opened (and kept open) when the database opens, so a long-lived
    // read-only instance never needs a file that a writer has since compacted away.
    options.max_open_files = -1;
    // The default of 16 threads costs more than opening a handful of small files.
    options.max_file_opening_threads = 1;
    options.skip_stats_update_on_db_open = true;
    options.skip_checking_sst_file_sizes_on_db_open = true;
    options.stats_dump_period_sec = 0;
    options.stats_persist_period_sec = 0;
    options.write_buffer_size = 4 << 20;
    return options;
}

// Another instance holds the directory's LOCK: in another process (EAGAIN from fcntl) or
// in this one (RocksDB's own registry of locked files).
bool is_lock_conflict(const rocksdb::Status& status) {
    if (!status.IsIOError()) {
        return false;
    }
    const std::string text = status.ToString();
    return text.find("lock hold by current process") != std::string::npos ||
           (text.find("While lock file") != std::string::npos &&
            text.find("Resource temporarily unavailable") != std::string::npos);
}

bool database_exists(const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / "CURRENT", ec);
}

// Each primary open flushes what the previous one left in its WAL into a new level-0 file,
// and Close() does not wait for the compaction that would merge them, so they pile up. A
// reader opens every file (max_open_files = -1) and a point lookup may look into each
// level-0 file, so the writer merges them itself once there are a few.
constexpr std::size_t k_max_level0_files = 4;

base::Result<void> compact_if_needed(rocksdb::DB& db, const fs::path& dir) {
    rocksdb::ColumnFamilyMetaData meta;
    db.GetColumnFamilyMetaData(&meta);
    if (meta.levels.empty() || meta.levels[0].files.size() < k_max_level0_files) {
        return base::ok();
    }
    const rocksdb::Status status =
        db.CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr);
    if (!status.ok()) {
        return rocks_error(dir, "compact", status);
    }
    return base::ok();
}

void close_and_delete(rocksdb::DB* db) {
    if (db != nullptr) {
        (void)db->Close();
        delete db;
    }
}

}  // namespace

RocksHandle::RocksHandle(fs::path dir, RocksSettings settings)
    : m_dir(std::move(dir)), m_settings(settings) {}

RocksHandle::~RocksHandle() {
    drop_reader();
}

void RocksHandle::drop_reader() {
    close_and_delete(m_reader.release());
    m_reader_opened_at = {};
}

Clock::duration RocksHandle::reader_age() const {
    return m_reader ? Clock::now() - m_reader_opened_at : Clock::duration::zero();
}

base::Result<rocksdb::DB*> RocksHandle::reader() {
    if (m_reader) {
        return m_reader.get();
    }
    if (!database_exists(m_dir)) {
        return static_cast<rocksdb::DB*>(nullptr);
    }
    // A writer may replace the MANIFEST or delete a WAL between our reading CURRENT and
    // opening what it names; the next attempt sees the new set of files.
    rocksdb::Status status;
    for (int attempt = 0; attempt < 8; ++attempt) {
        rocksdb::DB* db = nullptr;
        // The column-family form: the plain one first tries to open the database as a "compacted
        // DB" (with max_open_files = -1), fails while a WAL exists, and opens it all again.
        const rocksdb::Options options = make_options();
        const std::vector<rocksdb::ColumnFamilyDescriptor> families = {
            {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions(options)}};
        std::vector<rocksdb::ColumnFamilyHandle*> handles;
        status = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(options), m_dir.string(), families,
                                              &handles, &db);
        for (rocksdb::ColumnFamilyHandle* handle : handles) {
            db->DestroyColumnFamilyHandle(handle);  // the database keeps its own default handle
        }
        if (status.ok()) {
            m_reader.reset(db);
            m_reader_opened_at = Clock::now();
            return db;
        }
        if (!database_exists(m_dir)) {
            return static_cast<rocksdb::DB*>(nullptr);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1 + attempt * 2));
    }
    return rocks_error(m_dir, "open read-only", status);
}

base::Result<void> RocksHandle::write(const std::function<base::Result<void>(rocksdb::DB&)>& body) {
    std::error_code ec;
    fs::create_directories(m_dir, ec);
    if (ec) {
        return io_error(m_dir.string(), "create directory", ec.value());
    }
    const auto deadline = Clock::now() + m_settings.lock_timeout;
    std::minstd_rand jitter(static_cast<unsigned>(::getpid()) ^
                            static_cast<unsigned>(Clock::now().time_since_epoch().count()));
    auto backoff = std::chrono::microseconds(500);
    rocksdb::DB* db = nullptr;
    while (true) {
        const rocksdb::Status status = rocksdb::DB::Open(make_options(), m_dir.string(), &db);
        if (status.ok()) {
            break;
        }
        if (!is_lock_conflict(status)) {
            return rocks_error(m_dir, "open", status);
        }
        if (Clock::now() >= deadline) {
            return store_error(m_dir.string(),
                               "another kfrun process kept the index locked for more than " +
                                   std::to_string(m_settings.lock_timeout.count()) + " ms (" +
                                   status.ToString() + ")");
        }
        const auto pause = backoff + std::chrono::microseconds(jitter() % 1000);
        std::this_thread::sleep_for(std::min<Clock::duration>(pause, deadline - Clock::now()));
        backoff = std::min(backoff * 2, std::chrono::microseconds(50'000));
    }
    base::Result<void> result = body(*db);
    if (result.ok()) {
        // Into a table file now, not left in the WAL for the next open: a read-only view would
        // replay the WAL on every open (a cached re-run opens one; with the step cache's batched
        // writes the last batch, every entry of the run, sat there until the next write).
        const rocksdb::Status flushed = db->Flush(rocksdb::FlushOptions());
        result =
            flushed.ok() ? compact_if_needed(*db, m_dir) : rocks_error(m_dir, "flush", flushed);
    }
    const rocksdb::Status closed = db->Close();
    delete db;
    if (result.ok() && !closed.ok()) {
        return rocks_error(m_dir, "close", closed);
    }
    return result;
}

base::Error rocks_error(const fs::path& dir, std::string_view operation,
                        const rocksdb::Status& status) {
    return store_error(dir.string(),
                       "RocksDB " + std::string(operation) + " failed: " + status.ToString());
}

base::Result<void> scan_prefix(
    rocksdb::DB& db, const fs::path& dir, std::string_view prefix, bool reverse,
    const std::function<bool(std::string_view key, std::string_view value)>& visit) {
    // The first key after every key with the prefix: drop trailing 0xff bytes, raise the last.
    std::string upper(prefix);
    while (!upper.empty() && static_cast<unsigned char>(upper.back()) == 0xff) {
        upper.pop_back();
    }
    if (!upper.empty()) {
        upper.back() = static_cast<char>(static_cast<unsigned char>(upper.back()) + 1);
    }
    const rocksdb::Slice upper_slice(upper);
    const rocksdb::Slice lower_slice(prefix.data(), prefix.size());
    rocksdb::ReadOptions options;
    options.iterate_lower_bound = &lower_slice;
    options.iterate_upper_bound = upper.empty() ? nullptr : &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(options));
    if (reverse) {
        it->SeekToLast();
    } else {
        it->SeekToFirst();
    }
    for (; it->Valid(); reverse ? it->Prev() : it->Next()) {
        if (!visit(it->key().ToStringView(), it->value().ToStringView())) {
            break;
        }
    }
    if (!it->status().ok()) {
        return rocks_error(dir, "iterate", it->status());
    }
    return base::ok();
}

std::string with_header(std::string_view magic, std::string_view body) {
    std::string value;
    value.reserve(magic.size() + body.size());
    value.append(magic);
    value.append(body);
    return value;
}

std::optional<std::string_view> strip_header(std::string_view magic, std::string_view value) {
    if (value.substr(0, magic.size()) != magic) {
        return std::nullopt;
    }
    return value.substr(magic.size());
}

}  // namespace kfrun::store
