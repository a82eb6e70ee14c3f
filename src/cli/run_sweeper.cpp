#include "cli/run_sweeper.hpp"

#include <iostream>
#include <mutex>
#include <set>

#include "docker/run_owner_labels.hpp"
#include "store/owner_lock.hpp"
#include "store/run_index.hpp"

namespace kfrun::cli {
namespace {

void add(SweepSummary& summary, const docker::SweepCounts& counts) {
    summary.containers += counts.containers;
    summary.volumes += counts.volumes;
    summary.problems.insert(summary.problems.end(), counts.problems.begin(), counts.problems.end());
}

void print(const SweepSummary& summary) {
    for (const auto& run : summary.runs) {
        std::cerr << "kfrun: run " << run
                  << " was interrupted (its kfrun process is gone): cleaned up what it left\n";
    }
    for (const auto& problem : summary.problems) {
        std::cerr << "warning: cleaning up an interrupted run: " << problem << "\n";
    }
}

}  // namespace

SweepSummary sweep_abandoned_runs(const AppPaths& paths, bool dry_run) {
    SweepSummary summary;
    std::vector<store::OwnerLock> abandoned = store::OwnerLock::take_abandoned(paths.owners_dir());
    if (abandoned.empty()) {
        return summary;
    }
    const std::string host = docker::this_host_id();
    store::RunIndex history(paths.data_dir / "history");
    for (store::OwnerLock& lock : abandoned) {
        const store::OwnerInfo& owner = lock.info();
        summary.runs.push_back(owner.run_id);
        const std::size_t problems_before = summary.problems.size();
        docker::DockerConfig config;
        config.host = owner.docker_host;
        auto client = docker::DockerClient::connect(config);
        if (!client.ok()) {
            summary.problems.push_back("run " + owner.run_id + ": " + client.error().to_string());
        } else {
            auto removed = docker::remove_run_resources(*client, owner.run_id, host, dry_run);
            if (removed.ok()) {
                add(summary, *removed);
            } else {
                summary.problems.push_back("run " + owner.run_id + ": " +
                                           removed.error().to_string());
            }
        }
        std::error_code ec;
        const auto scratch = paths.scratch_dir(owner.run_id);
        if (std::filesystem::exists(scratch, ec)) {
            ++summary.scratch_folders;
            if (!dry_run) {
                std::filesystem::remove_all(scratch, ec);
                if (ec) {
                    summary.problems.push_back("run " + owner.run_id + ": cannot remove " +
                                               scratch.string() + ": " + ec.message());
                }
            }
        }
        if (dry_run) {
            auto record = history.get(owner.run_id);
            if (record.ok() && *record && (*record)->run_id == owner.run_id &&
                (*record)->summary.value("status", "") == "Running") {
                ++summary.history_entries;
            }
            continue;  // the lock is let go, and the file stays
        }
        auto marked = history.mark_interrupted(owner.run_id, std::chrono::system_clock::now());
        if (!marked.ok()) {
            summary.problems.push_back("run " + owner.run_id + ": " + marked.error().to_string());
        } else if (*marked) {
            ++summary.history_entries;
        }
        if (summary.problems.size() == problems_before) {
            lock.release();  // done: the next sweep has nothing to do for it
        }
    }
    return summary;
}

SweepSummary sweep_orphaned_resources(const docker::DockerClient& client, bool dry_run,
                                      bool volumes) {
    SweepSummary summary;
    const std::string host = docker::this_host_id();
    auto orphans = docker::find_orphan_runs(
        client, host, [](const std::string& owner) { return store::OwnerLock::abandoned(owner); },
        volumes);
    if (!orphans.ok()) {
        summary.problems.push_back(orphans.error().to_string());
        return summary;
    }
    for (const auto& orphan : *orphans) {
        summary.runs.push_back(orphan.run_id);
        auto removed = docker::remove_run_resources(client, orphan.run_id, host, dry_run);
        if (removed.ok()) {
            add(summary, *removed);
        } else {
            summary.problems.push_back("run " + orphan.run_id + ": " + removed.error().to_string());
        }
    }
    return summary;
}

void sweep_before_command(const AppPaths& paths) {
    static std::mutex mutex;
    static std::set<std::filesystem::path> swept;
    std::lock_guard lock(mutex);
    if (!swept.insert(paths.data_dir).second) {
        return;
    }
    print(sweep_abandoned_runs(paths));
}

void sweep_orphans_once(const docker::DockerClient& client) {
    static std::once_flag once;
    std::call_once(once, [&] {
        SweepSummary summary = sweep_orphaned_resources(client);
        summary.problems.clear();  // not this data directory's runs: no noise about them
        print(summary);
    });
}

}  // namespace kfrun::cli
