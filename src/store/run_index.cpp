#include "store/run_index.hpp"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstdio>

#include "base/json_fields.hpp"
#include "base/json_text.hpp"
#include "base/names.hpp"
#include "store/store_error.hpp"

namespace kfrun::store {

namespace {

namespace fs = std::filesystem;
namespace json_fields = base::json_fields;

constexpr std::string_view k_run_prefix = "r/";
constexpr std::string_view k_id_prefix = "i/";
constexpr std::size_t k_candidates_shown = 10;

long long to_millis(base::SystemTime time) {
    return std::chrono::duration_cast<base::Millis>(time.time_since_epoch()).count();
}

// r/<start time in ms, 16 digits>/<run id>: key order is start order.
std::string run_key(const RunRecord& record) {
    char millis[24];
    std::snprintf(millis, sizeof millis, "%016lld", std::max(0LL, to_millis(record.started_at)));
    return std::string(k_run_prefix) + millis + "/" + record.run_id;
}

std::string id_key(std::string_view run_id) {
    return std::string(k_id_prefix) + std::string(run_id);
}

std::string encode(const RunRecord& record) {
    const nlohmann::json doc = {{"runId", record.run_id},
                                {"startedAtMs", to_millis(record.started_at)},
                                {"experiment", record.experiment},
                                {"summary", record.summary}};
    return with_header(RunIndex::k_magic, base::json_text(doc));
}

std::optional<RunRecord> decode(std::string_view value) {
    const std::optional<std::string_view> body = strip_header(RunIndex::k_magic, value);
    if (!body) {
        return std::nullopt;
    }
    // A damaged record: a start time past what a time point holds in nanoseconds (the
    // conversion overflowed) hides the run; a summary that is no object reads as an empty one.
    constexpr std::int64_t k_max_millis =
        std::chrono::duration_cast<base::Millis>(base::SystemTime::duration::max()).count();
    const nlohmann::json doc = nlohmann::json::parse(*body, nullptr, false);
    const std::int64_t started_ms = json_fields::int_of(doc, "startedAtMs", k_max_millis + 1);
    // A run id names files (reports/<id>.json, runs/<id>/): one that is no plain file name
    // (`../../x`, which made gc remove any *.json) hides the record.
    if (!json_fields::member(doc, "runId").is_string() ||
        !base::is_plain_file_name(json_fields::string_of(doc, "runId")) ||
        !json_fields::member(doc, "startedAtMs").is_number_integer() || started_ms > k_max_millis ||
        started_ms < -k_max_millis) {
        return std::nullopt;
    }
    RunRecord record;
    record.run_id = json_fields::string_of(doc, "runId");
    record.started_at = base::SystemTime(base::Millis(started_ms));
    record.experiment = json_fields::string_of(doc, "experiment");
    record.summary = json_fields::object_of(doc, "summary");
    return record;
}

// The value under `key`, nullopt if absent.
base::Result<std::optional<std::string>> get_value(rocksdb::DB& db, const fs::path& dir,
                                                   const std::string& key) {
    std::string value;
    const rocksdb::Status status = db.Get(rocksdb::ReadOptions(), key, &value);
    if (status.IsNotFound()) {
        return std::optional<std::string>();
    }
    if (!status.ok()) {
        return rocks_error(dir, "get", status);
    }
    return std::optional(std::move(value));
}

// The record an i/<run id> value points at.
base::Result<std::optional<RunRecord>> record_at(rocksdb::DB& db, const fs::path& dir,
                                                 std::string_view pointer) {
    const std::optional<std::string_view> key = strip_header(RunIndex::k_magic, pointer);
    if (!key) {
        return std::optional<RunRecord>();
    }
    base::Result<std::optional<std::string>> value = get_value(db, dir, std::string(*key));
    if (!value.ok()) {
        return value.error();
    }
    return *value ? decode(**value) : std::nullopt;
}

}  // namespace

RunIndex::RunIndex(fs::path dir, RocksSettings settings) : m_handle(std::move(dir), settings) {}

base::Result<void> RunIndex::put(const RunRecord& record) {
    if (record.run_id.empty() || record.run_id.find('/') != std::string::npos) {
        return base::make_error(base::ErrorKind::Internal, "invalid run id '" + record.run_id + "'",
                                dir().string());
    }
    std::lock_guard lock(m_mutex);
    const std::string key = run_key(record);
    KFRUN_TRY(m_handle.write([&](rocksdb::DB& db) -> base::Result<void> {
        rocksdb::WriteBatch batch;
        base::Result<std::optional<std::string>> previous =
            get_value(db, dir(), id_key(record.run_id));
        if (!previous.ok()) {
            return previous.error();
        }
        if (*previous) {
            const std::optional<std::string_view> old_key = strip_header(k_magic, **previous);
            if (old_key && *old_key != key) {
                batch.Delete(*old_key);  // the run was recorded with another start time
            }
        }
        batch.Put(key, encode(record));
        batch.Put(id_key(record.run_id), with_header(k_magic, key));
        const rocksdb::Status status = db.Write(rocksdb::WriteOptions(), &batch);
        if (!status.ok()) {
            return rocks_error(dir(), "write", status);
        }
        return base::ok();
    }));
    return base::ok();
}

base::Result<bool> RunIndex::remove(const std::string& run_id) {
    if (run_id.empty() || run_id.find('/') != std::string::npos) {
        return false;
    }
    bool removed = false;
    std::lock_guard lock(m_mutex);
    KFRUN_TRY(m_handle.write([&](rocksdb::DB& db) -> base::Result<void> {
        base::Result<std::optional<std::string>> pointer = get_value(db, dir(), id_key(run_id));
        if (!pointer.ok()) {
            return pointer.error();
        }
        if (!*pointer) {
            return base::ok();
        }
        rocksdb::WriteBatch batch;
        if (const std::optional<std::string_view> key = strip_header(k_magic, **pointer)) {
            batch.Delete(*key);
        }
        batch.Delete(id_key(run_id));
        const rocksdb::Status status = db.Write(rocksdb::WriteOptions(), &batch);
        if (!status.ok()) {
            return rocks_error(dir(), "write", status);
        }
        removed = true;
        return base::ok();
    }));
    return removed;
}

base::Result<bool> RunIndex::mark_interrupted(const std::string& run_id, base::SystemTime now) {
    auto found = get(run_id);
    KFRUN_TRY(found);
    if (!*found || found->value().run_id != run_id ||
        json_fields::string_of(found->value().summary, "status") != "Running") {
        return false;
    }
    RunRecord record = std::move(found->value());
    record.summary["status"] = "Error";
    record.summary["message"] = "interrupted";
    record.summary["finishedAt"] = base::format_rfc3339(now, true);
    KFRUN_TRY(put(record));
    return true;
}

base::Result<std::optional<RunRecord>> RunIndex::get(std::string_view id_or_prefix) {
    if (id_or_prefix.empty()) {
        return base::make_error(base::ErrorKind::Input, "empty run id", dir().string());
    }
    std::lock_guard lock(m_mutex);
    m_handle.drop_reader();  // runs are read rarely; see what other processes put until now
    base::Result<rocksdb::DB*> db = m_handle.reader();
    if (!db.ok()) {
        return db.error();
    }
    if (*db == nullptr) {
        return std::optional<RunRecord>();
    }
    base::Result<std::optional<std::string>> exact = get_value(**db, dir(), id_key(id_or_prefix));
    if (!exact.ok()) {
        return exact.error();
    }
    if (*exact) {
        return record_at(**db, dir(), **exact);
    }
    std::vector<std::string> candidates;
    std::string pointer;
    std::size_t matches = 0;
    KFRUN_TRY(scan_prefix(**db, dir(), id_key(id_or_prefix), false,
                          [&](std::string_view key, std::string_view value) {
                              if (++matches <= k_candidates_shown) {
                                  candidates.emplace_back(key.substr(k_id_prefix.size()));
                              }
                              pointer = value;
                              return true;
                          }));
    if (matches == 0) {
        return std::optional<RunRecord>();
    }
    if (matches > 1) {
        std::string message = "run id prefix '" + std::string(id_or_prefix) + "' matches " +
                              std::to_string(matches) + " runs:";
        for (const std::string& candidate : candidates) {
            message += " " + candidate;
        }
        if (matches > candidates.size()) {
            message += " ...";
        }
        return base::make_error(base::ErrorKind::Input, std::move(message), dir().string());
    }
    return record_at(**db, dir(), pointer);
}

base::Result<std::vector<RunRecord>> RunIndex::list(std::size_t limit,
                                                    const std::optional<std::string>& experiment) {
    std::lock_guard lock(m_mutex);
    m_handle.drop_reader();  // runs are read rarely; see what other processes put until now
    base::Result<rocksdb::DB*> db = m_handle.reader();
    if (!db.ok()) {
        return db.error();
    }
    std::vector<RunRecord> runs;
    if (*db == nullptr) {
        return runs;
    }
    KFRUN_TRY(scan_prefix(**db, dir(), k_run_prefix, /*reverse=*/true,
                          [&](std::string_view, std::string_view value) {
                              std::optional<RunRecord> record = decode(value);
                              if (record && (!experiment || record->experiment == *experiment)) {
                                  runs.push_back(std::move(*record));
                              }
                              return limit == 0 || runs.size() < limit;
                          }));
    return runs;
}

}  // namespace kfrun::store
