#pragma once
// DeferredRunRecord: the "Running" record of a run, put into the run history on its own thread
// a little after the run starts, unless the run has ended by then. A run that is over within
// the delay (a re-run whose steps all come from the cache takes ~60 ms) then writes only its
// final record: one RocksDB primary open (a new MANIFEST and OPTIONS file, fsyncs, a flush of
// the last WAL) instead of two. A longer run shows as Running in `kfrun runs list` after the
// delay, and its start never waits for the history.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "store/run_index.hpp"

namespace kfrun::cli {

class DeferredRunRecord {
  public:
    using Put = std::function<base::Result<void>(const store::RunRecord& record)>;

    DeferredRunRecord(store::RunIndex& runs, store::RunRecord record,
                      std::chrono::milliseconds delay = std::chrono::milliseconds(250));
    // `put` stores the record (tests: one that fails or throws).
    DeferredRunRecord(Put put, store::RunRecord record, std::chrono::milliseconds delay);
    // Waits for a put in progress (as finish does).
    ~DeferredRunRecord();
    DeferredRunRecord(const DeferredRunRecord&) = delete;
    DeferredRunRecord& operator=(const DeferredRunRecord&) = delete;

    // Cancels the put if it has not begun, waits for it if it has. The put's error, if any.
    std::optional<std::string> finish();

  private:
    Put m_put;
    store::RunRecord m_record;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_cancelled = false;
    std::optional<std::string> m_problem;
    std::thread m_thread;
};

}  // namespace kfrun::cli
