#pragma once
// What the lifecycle tests share: kfrun started in the background (to kill it), and the
// leftovers a run of a data directory may have on the daemon and on disk.
#include <sys/types.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace kfrun::testing {

// `kfrun ARGS…` started in the background, its output into `log`; returns the pid.
pid_t spawn_kfrun(const std::vector<std::string>& args, const std::filesystem::path& log,
                  const std::vector<std::string>& extra_env = {});
// Waits for it; the exit code (128 + signal when killed).
int wait_for(pid_t pid);

// The run ids a data directory knows of: its owner locks, scratch folders and history.
std::set<std::string> runs_of_data_dir(const std::filesystem::path& data_dir);

// Everything left of the runs `run_ids` (and of anything owned from `data_dir`): one line per
// leftover (a container, a run volume, a scratch folder, a lock file, a Running entry); empty
// when nothing is left. Volumes that stand for a PVC the pipeline created are not leftovers.
std::vector<std::string> leftovers(const std::filesystem::path& data_dir,
                                   const std::set<std::string>& run_ids);

// The names of the PVC volumes (org.kfrun.pvc) created by the runs `run_ids`.
std::set<std::string> pvc_volumes_of(const std::set<std::string>& run_ids);
void remove_volumes(const std::set<std::string>& names);

std::string read_text(const std::filesystem::path& path);

}  // namespace kfrun::testing
