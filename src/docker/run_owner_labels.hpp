#pragma once
// Owner labels: every container and run volume of a run names its owner (the run's owner lock
// file, see store/owner_lock.hpp) and the machine that owner runs on, so that a later kfrun can
// remove what a run left behind when its owner died (kill -9, crash), and never what belongs to
// a live run or to another machine sharing the daemon.
//
//   org.kfrun.owner=<absolute path of the lock file>
//   org.kfrun.host=<this machine's host id>
//
// The runtime adds them (from RunContext.labels) to the run volumes (those labelled
// org.kfrun.run) it creates; the containers get every RunContext label anyway.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "docker/docker_client.hpp"

namespace kfrun::docker {

inline constexpr const char* k_owner_label = "org.kfrun.owner";
inline constexpr const char* k_host_label = "org.kfrun.host";

// This machine's id for org.kfrun.host: its host name (in a container, the container's), which
// is what tells the machines sharing one daemon apart.
std::string this_host_id();

// `labels` plus the owner labels of `context_labels` when `labels` names a run (org.kfrun.run)
// and is not kept (org.kfrun.keep=true).
std::map<std::string, std::string> with_owner_labels(
    std::map<std::string, std::string> labels,
    const std::map<std::string, std::string>& context_labels);

struct SweepCounts {
    std::size_t containers = 0;
    std::size_t volumes = 0;
    std::vector<std::string> problems;  // removals that failed (the run is swept again later)
};

// Removes (force) the containers of run `run_id` on host `host`, then its volumes, except
// those labelled org.kfrun.keep=true (a PVC the pipeline created outlives the run). With
// dry_run, only counts.
base::Result<SweepCounts> remove_run_resources(const DockerClient& client,
                                               const std::string& run_id, const std::string& host,
                                               bool dry_run = false);

// The runs with containers on this daemon labelled with `host` whose owner lock `owner_gone`
// says is abandoned: one filtered list call. With `volumes`, the run volumes too (a second call).
struct OrphanRun {
    std::string run_id;
    std::string owner;  // the lock file path
};
base::Result<std::vector<OrphanRun>> find_orphan_runs(
    const DockerClient& client, const std::string& host,
    const std::function<bool(const std::string& owner)>& owner_gone, bool volumes = false);

}  // namespace kfrun::docker
