#pragma once
// RunIndex: the run history behind `kfrun runs list | show`, in RocksDB under the data
// directory. Same sharing scheme as the step cache index (RocksHandle), except that every
// read opens a fresh read-only view (reads are rare, and must see other processes' runs).
// Keys and values: src/store/README.md, "The run index".
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "base/time.hpp"
#include "store/rocks_handle.hpp"

namespace kfrun::store {

struct RunRecord {
    std::string run_id;  // no '/'
    base::SystemTime started_at{};
    std::string experiment;  // empty: none
    nlohmann::json summary;  // what the CLI records (status, counts, metrics, ...); opaque
};

class RunIndex {
  public:
    // The header of every value; another header makes the run invisible (not an error).
    static constexpr std::string_view k_magic = "kfrun-run 1\n";

    explicit RunIndex(std::filesystem::path dir, RocksSettings settings = {});

    // Stores or replaces the record of record.run_id (put at a run's start and again at its
    // end, it stays one run, even if started_at changed).
    base::Result<void> put(const RunRecord& record);
    // The run whose ID is `id_or_prefix`, or else the only one whose ID starts with it;
    // nullopt if none does. An empty or ambiguous prefix is an Input error (naming the
    // candidates).
    base::Result<std::optional<RunRecord>> get(std::string_view id_or_prefix);
    // Newest first; at most `limit` runs (0: all); only those of `experiment` if given.
    base::Result<std::vector<RunRecord>> list(std::size_t limit,
                                              const std::optional<std::string>& experiment = {});

    // A run whose owner is gone: if its record still says "Running", it becomes "Error" with
    // the message "interrupted" (and finishedAt `now`). True when a record was changed.
    base::Result<bool> mark_interrupted(const std::string& run_id, base::SystemTime now);

    // Forgets the run `run_id` (an exact ID). True when there was one.
    base::Result<bool> remove(const std::string& run_id);

    const std::filesystem::path& dir() const { return m_handle.dir(); }

  private:
    std::mutex m_mutex;
    RocksHandle m_handle;
};

}  // namespace kfrun::store
