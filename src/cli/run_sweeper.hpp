#pragma once
// The sweep of runs whose owner is gone: a kfrun process that was killed (kill -9, a crash, a
// lost machine) left its run's containers, sandbox, volumes, scratch folder (with secrets) and
// a "Running" history entry. Every run holds an owner lock (store/owner_lock.hpp) in
// <data dir>/owners/ for as long as it runs, and every container and run volume it makes is
// labelled with that lock and this host (docker/run_owner_labels.hpp). A lock that nobody holds
// names a run to clean up: its containers (forced) and volumes on this host (except volumes that
// stand for a PVC the pipeline created, org.kfrun.keep=true), its scratch folder, and its
// history entry, which becomes Error "interrupted". Live runs of this or any other process, and
// resources labelled with another host, are never touched.
//
// Cost when there is nothing to do: one readdir of owners/ (no Docker call), and one filtered
// container list on the runtime's connection for runs of other data dirs.
#include <cstddef>
#include <string>
#include <vector>

#include "cli/app_paths.hpp"
#include "docker/docker_client.hpp"

namespace kfrun::cli {

struct SweepSummary {
    std::vector<std::string> runs;  // the runs swept (or, dry run, to sweep)
    std::size_t containers = 0;
    std::size_t volumes = 0;
    std::size_t scratch_folders = 0;
    std::size_t history_entries = 0;    // marked Error "interrupted"
    std::vector<std::string> problems;  // what could not be removed (tried again next time)
};

// The runs of this data directory whose owner is gone. Docker is contacted only for those, at
// the daemon each run used.
SweepSummary sweep_abandoned_runs(const AppPaths& paths, bool dry_run = false);

// Runs of other data directories on this host whose owner is gone, found through the labels
// on `client`'s daemon: their containers and volumes (their history and scratch folder are
// their data directory's, swept by the next kfrun that uses it). With `volumes`, volumes left
// without any container are found too (one more list call).
SweepSummary sweep_orphaned_resources(const docker::DockerClient& client, bool dry_run = false,
                                      bool volumes = false);

// The hook every command that touches the history or Docker calls first: sweep_abandoned_runs
// once per process and data directory, a line on stderr for each run it cleaned up.
void sweep_before_command(const AppPaths& paths);
// The same for sweep_orphaned_resources, once per process (called with the run's client).
void sweep_orphans_once(const docker::DockerClient& client);

}  // namespace kfrun::cli
