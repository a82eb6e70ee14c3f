#pragma once
// OwnerLock: a run's owner, as a file `<dir>/<run id>.lock` that the running kfrun process holds
// with flock(2) for the whole run. The lock is released by the kernel when the process ends in
// any way (exit, crash, kill -9), so a lock file that can be locked names a run whose owner is
// gone: its containers, volumes, scratch folder and "Running" history entry are leftovers.
//
// The file appears already locked (written and locked under a temp name, then renamed), and is
// unlinked by its owner before it lets go; a sweeper unlinks it only while holding it and after
// checking that the path still names the file it locked. Format (text, one field a line):
//   kfrun-owner 1
//   run <run id>
//   pid <pid>
//   docker <DOCKER_HOST the run used, may be empty>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "store/unique_fd.hpp"

namespace kfrun::store {

struct OwnerInfo {
    std::string run_id;
    long pid = 0;
    std::string docker_host;
};

class OwnerLock {
  public:
    OwnerLock() = default;
    OwnerLock(OwnerLock&&) noexcept = default;
    OwnerLock& operator=(OwnerLock&&) noexcept = default;
    // Unlinks the file (if still held) and lets go.
    ~OwnerLock();

    // Creates `<dir>/<run id>.lock` (0600, dir 0700) held by this process. An Io error when it
    // cannot; an Internal one when a live owner of the same run id exists.
    static base::Result<OwnerLock> claim(const std::filesystem::path& dir, const OwnerInfo& info);

    // The lock files in `dir` whose owner is gone, each now held by this process (the caller
    // cleans up, then release()s). Live owners and files that vanish meanwhile are skipped.
    // A missing `dir` is an empty list. Cheap: one readdir when nothing is there.
    static std::vector<OwnerLock> take_abandoned(const std::filesystem::path& dir);

    // Whether someone holds the lock file at `path`.
    static bool owner_alive(const std::filesystem::path& path);
    // Whether `path` is a lock file that nobody holds: its run's owner died. A missing file is
    // not proof of that (a run that ended normally with --keep-containers has none), so false,
    // unless the sweep left the run's tombstone (<run>.swept) there.
    static bool abandoned(const std::filesystem::path& path);

    // Unlinks the file and lets go.
    void release();
    // The sweep is done with a dead run: the file becomes its tombstone <run>.swept, so that a
    // container the daemon creates for the dead process after the sweep is still found as an
    // orphan (abandoned() is true for it) by the next sweep of labels or `kfrun gc`.
    void release_swept();
    // Removes the tombstones in `dir` older than `older_than` (`kfrun gc`); how many.
    static std::size_t remove_tombstones(const std::filesystem::path& dir,
                                         std::chrono::hours older_than);
    // Lets go and leaves the file: the run's cleanup could not finish (the daemon went away),
    // so the next sweep takes it over.
    void abandon() { m_fd.reset(); }

    bool held() const { return m_fd.valid(); }
    const std::filesystem::path& path() const { return m_path; }
    const OwnerInfo& info() const { return m_info; }

    static std::string lock_file_name(const std::string& run_id) { return run_id + ".lock"; }

  private:
    std::filesystem::path m_path;
    OwnerInfo m_info;
    UniqueFd m_fd;
};

// The text of a lock file, and back (nullopt for anything else).
std::string encode_owner(const OwnerInfo& info);
std::optional<OwnerInfo> decode_owner(const std::string& text);

}  // namespace kfrun::store
