#include "cli/run_sweeper.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "base/json_fields.hpp"
#include "docker/run_owner_labels.hpp"
#include "docker/sub_path_staging.hpp"
#include "store/owner_lock.hpp"
#include "store/run_index.hpp"

namespace kfrun::cli {
namespace {

// How long the daemon gets to finish what a dead process asked of it before the second listing.
constexpr std::chrono::milliseconds k_in_flight_settle{2000};

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

// False when something could not be removed (it is in summary.problems).
bool remove_resources(SweepSummary& summary, const docker::DockerClient& client,
                      const std::string& run_id, const std::string& host, bool dry_run) {
    const std::size_t before = summary.problems.size();
    auto removed = docker::remove_run_resources(client, run_id, host, dry_run);
    if (removed.ok()) {
        add(summary, *removed);
    } else {
        summary.problems.push_back("run " + run_id + ": " + removed.error().to_string());
    }
    return summary.problems.size() == before;
}

bool remove_scratch(SweepSummary& summary, const std::filesystem::path& scratch,
                    const std::string& run_id, bool dry_run) {
    std::error_code ec;
    if (!std::filesystem::exists(scratch, ec)) {
        return true;
    }
    ++summary.scratch_folders;
    if (!dry_run) {
        std::filesystem::remove_all(scratch, ec);
        if (ec) {
            summary.problems.push_back("run " + run_id + ": cannot remove " + scratch.string() +
                                       ": " + ec.message());
            return false;
        }
    }
    return true;
}

// The sub-path bind mounts a dead run's steps left under the staging folder (their folders are
// named after the whole run id, then the step container: docker::run_staging_prefix).
bool release_staged_sub_paths(SweepSummary& summary, const std::string& run_id) {
    const auto problems = docker::SubPathStaging::release_leftovers(
        docker::k_default_sub_path_staging_dir, docker::run_staging_prefix(run_id));
    for (const auto& problem : problems) {
        summary.problems.push_back("run " + run_id + ": " + problem);
    }
    return problems.empty();
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
    std::vector<char> clean;  // per run: everything it left was removed
    std::vector<std::optional<docker::DockerClient>> clients;
    for (store::OwnerLock& lock : abandoned) {
        const store::OwnerInfo& owner = lock.info();
        summary.runs.push_back(owner.run_id);
        docker::DockerConfig config;
        config.host = owner.docker_host;
        auto client = docker::DockerClient::connect(config);
        if (!client.ok()) {
            summary.problems.push_back("run " + owner.run_id + ": " + client.error().to_string());
            clients.emplace_back();
            clean.push_back(false);
            continue;
        }
        clients.emplace_back(std::move(*client));
        clean.push_back(remove_resources(summary, *clients.back(), owner.run_id, host, dry_run));
    }
    if (!dry_run && std::any_of(clients.begin(), clients.end(),
                                [](const auto& client) { return client.has_value(); })) {
        // Requests the dead process had in flight (a create, a volume) may still be carried
        // out by the daemon after the listing above: wait for them, then list again.
        std::this_thread::sleep_for(k_in_flight_settle);
        for (std::size_t i = 0; i < abandoned.size(); ++i) {
            if (clients[i] &&
                !remove_resources(summary, *clients[i], abandoned[i].info().run_id, host, false)) {
                clean[i] = false;
            }
        }
    }
    for (std::size_t i = 0; i < abandoned.size(); ++i) {
        store::OwnerLock& lock = abandoned[i];
        const store::OwnerInfo& owner = lock.info();
        if (!remove_scratch(summary, paths.scratch_dir(owner.run_id), owner.run_id, dry_run) ||
            (!dry_run && !release_staged_sub_paths(summary, owner.run_id))) {
            clean[i] = false;
        }
        if (dry_run) {
            auto record = history.get(owner.run_id);
            if (record.ok() && *record && (*record)->run_id == owner.run_id &&
                base::json_fields::string_of((*record)->summary, "status") == "Running") {
                ++summary.history_entries;
            }
            continue;  // the lock is let go, and the file stays
        }
        auto marked = history.mark_interrupted(owner.run_id, std::chrono::system_clock::now());
        if (!marked.ok()) {
            summary.problems.push_back("run " + owner.run_id + ": " + marked.error().to_string());
            clean[i] = false;
        } else if (*marked) {
            ++summary.history_entries;
        }
        if (clean[i]) {
            // Done; the tombstone keeps what the daemon still makes for it findable.
            lock.release_swept();
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
        if (remove_resources(summary, client, orphan.run_id, host, dry_run) && !dry_run) {
            release_staged_sub_paths(summary, orphan.run_id);
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
    SweepSummary summary = sweep_abandoned_runs(paths);
    // What killed `kfrun shell`s left staged (they own no run, so no lock says they are gone).
    for (std::string& problem :
         docker::SubPathStaging::release_dead_shells(docker::k_default_sub_path_staging_dir)) {
        summary.problems.push_back("kfrun shell: " + std::move(problem));
    }
    print(summary);
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
