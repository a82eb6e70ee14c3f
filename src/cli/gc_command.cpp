// `kfrun gc`: clean up after interrupted runs (as every command does first) and remove the store
// blobs that no cache entry and no kept run refers to; with --older-than/--max-size, first prune
// the step cache as `kfrun cache prune` does.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <set>

#include "base/json_fields.hpp"
#include "base/json_text.hpp"
#include "cli/app_paths.hpp"
#include "cli/commands.hpp"
#include "cli/docker_host_option.hpp"
#include "cli/exit_codes.hpp"
#include "cli/run_history.hpp"
#include "cli/run_sweeper.hpp"
#include "cli/size_text.hpp"
#include "cli/terminal.hpp"
#include "docker/docker_client.hpp"
#include "store/blob_gc.hpp"
#include "store/owner_lock.hpp"
#include "store/rocks_step_cache.hpp"
#include "store/run_index.hpp"

namespace kfrun::cli {
namespace {

namespace fs = std::filesystem;

struct GcOptions {
    std::string data_dir;
    std::string cache_dir;
    std::string older_than;
    std::string max_size;
    bool dry_run = false;
    bool no_color = false;
};

// Files bigger than this are not a report or a spec file of ours: not read for references.
constexpr std::uintmax_t k_max_reference_file = 256u << 20;

void add_file_digests(const fs::path& path, std::set<std::string>& digests) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec || size > k_max_reference_file) {
        return;
    }
    std::ifstream in(path, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    store::collect_digests(text, digests);
}

void add_folder_digests(const fs::path& folder, std::set<std::string>& digests) {
    std::error_code ec;
    for (fs::directory_iterator entry(folder, ec), end; !ec && entry != end; entry.increment(ec)) {
        if (entry->path().extension() == ".json" && entry->is_regular_file()) {
            add_file_digests(entry->path(), digests);
        }
    }
}

// The digests the kept runs refer to: their history records, kept report copies, and their run
// folders' report.json and step spec files (`kfrun shell` materializes a step's inputs again).
// Runs in `forgotten` (a dry run's would-be removals) are not kept.
base::Result<void> add_kept_run_digests(const AppPaths& paths,
                                        const std::set<std::string>& forgotten,
                                        std::set<std::string>& digests) {
    store::RunIndex history(paths.data_dir / "history");
    auto runs = history.list(0);
    KFRUN_TRY(runs);
    std::error_code ec;
    for (fs::directory_iterator entry(paths.data_dir / "history" / "reports", ec), end;
         !ec && entry != end; entry.increment(ec)) {
        if (entry->path().extension() == ".json" && entry->is_regular_file() &&
            forgotten.count(entry->path().stem().string()) == 0) {
            add_file_digests(entry->path(), digests);
        }
    }
    for (const store::RunRecord& run : *runs) {
        if (forgotten.count(run.run_id) != 0) {
            continue;
        }
        store::collect_digests(
            base::json_text(run.summary), digests);
        const std::string run_dir = base::json_fields::string_of(run.summary, "runDir");
        if (!run_dir.empty()) {
            add_file_digests(fs::path(run_dir) / "report.json", digests);
            add_folder_digests(fs::path(run_dir) / "specs", digests);
        }
    }
    return base::ok();
}

// The runs forgotten (or, dry run, to forget).
base::Result<std::set<std::string>> forget_old_runs(const AppPaths& paths, base::SystemTime before,
                                                    bool dry_run) {
    store::RunIndex history(paths.data_dir / "history");
    auto runs = history.list(0);
    KFRUN_TRY(runs);
    std::set<std::string> forgotten;
    const fs::path own_runs = paths.runs_dir().lexically_normal();
    for (const store::RunRecord& run : *runs) {
        // The run index may be damaged or edited: a field of another type reads as absent.
        if (run.started_at >= before ||
            base::json_fields::string_of(run.summary, "status") == "Running") {
            continue;
        }
        forgotten.insert(run.run_id);
        if (dry_run) {
            continue;
        }
        auto removed = history.remove(run.run_id);
        KFRUN_TRY(removed);
        std::error_code ec;
        fs::remove(kept_report_path(paths, run.run_id), ec);
        const fs::path run_dir =
            fs::path(base::json_fields::string_of(run.summary, "runDir")).lexically_normal();
        if (run_dir.parent_path() == own_runs && run_dir.filename() == run.run_id) {
            fs::remove_all(run_dir, ec);
        }
    }
    return forgotten;
}

// Blobs written after this may belong to a run in progress that has not recorded them yet.
base::SystemTime live_runs_start(const AppPaths& paths, base::SystemTime now) {
    base::SystemTime oldest = now;
    std::error_code ec;
    for (fs::directory_iterator entry(paths.owners_dir(), ec), end; !ec && entry != end;
         entry.increment(ec)) {
        if (!store::OwnerLock::owner_alive(entry->path())) {
            continue;
        }
        std::error_code time_ec;
        const auto written = fs::last_write_time(entry->path(), time_ec);
        if (!time_ec) {
            const auto at = std::chrono::time_point_cast<base::SystemTime::duration>(
                std::chrono::file_clock::to_sys(written));
            oldest = std::min(oldest, at);
        }
    }
    return oldest - std::chrono::minutes(1);
}

std::string count(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

int error_out(const Terminal& terminal, const base::Error& error) {
    std::cerr << terminal.red("error: ") << error.to_string() << "\n";
    return error.kind == base::ErrorKind::Input ? k_exit_bad_input : k_exit_environment;
}

int run(const GcOptions& options) {
    Terminal terminal = Terminal::detect(options.no_color);
    std::optional<base::Millis> older_than;
    std::optional<std::uint64_t> max_size;
    if (!options.older_than.empty() && !(older_than = parse_age(options.older_than))) {
        return error_out(
            terminal, base::make_error(base::ErrorKind::Input, "expected an age such as 30d or 12h",
                                       "--older-than"));
    }
    if (!options.max_size.empty() && !(max_size = parse_size(options.max_size))) {
        return error_out(
            terminal, base::make_error(base::ErrorKind::Input, "expected a size such as 500M or 2G",
                                       "--max-size"));
    }
    const AppPaths paths = AppPaths::resolve(options.data_dir, options.cache_dir);
    const std::string verb = options.dry_run ? "would remove " : "removed ";
    const auto now = std::chrono::system_clock::now();

    // 1. Interrupted runs: this data directory's, then other data directories' on this daemon.
    SweepSummary swept = sweep_abandoned_runs(paths, options.dry_run);
    auto client = docker::DockerClient::connect(docker_config());
    if (client.ok()) {
        SweepSummary orphans = sweep_orphaned_resources(*client, options.dry_run, true);
        swept.runs.insert(swept.runs.end(), orphans.runs.begin(), orphans.runs.end());
        swept.containers += orphans.containers;
        swept.volumes += orphans.volumes;
        swept.problems.insert(swept.problems.end(), orphans.problems.begin(),
                              orphans.problems.end());
    } else {
        std::cerr << terminal.yellow("warning: ") << "Docker is not reachable ("
                  << client.error().message << "): containers and volumes were not looked at\n";
    }
    if (!options.dry_run) {
        // Tombstones of swept runs (store/owner_lock.hpp) outlive any request still in flight.
        store::OwnerLock::remove_tombstones(paths.owners_dir(), std::chrono::hours(24 * 7));
    }
    std::cout << "interrupted runs: " << (swept.runs.empty() ? "none" : "") << "\n";
    for (const auto& run_id : swept.runs) {
        std::cout << "  " << run_id << "\n";
    }
    if (!swept.runs.empty()) {
        std::cout << "  " << verb << count(swept.containers, "container", "containers") << ", "
                  << count(swept.volumes, "volume", "volumes") << ", "
                  << count(swept.scratch_folders, "scratch folder", "scratch folders") << "; "
                  << count(swept.history_entries, "history entry", "history entries")
                  << (options.dry_run ? " to mark" : " marked") << " Error \"interrupted\"\n";
    }
    for (const auto& problem : swept.problems) {
        std::cerr << terminal.yellow("warning: ") << problem << "\n";
    }

    // 2. The step cache, when asked to shrink (the same selection as `kfrun cache prune`).
    store::RocksStepCache cache(paths.cache_dir / "index");
    std::set<std::string> pruned_keys;
    if (older_than || max_size) {
        auto pruned = cache.prune(older_than, max_size, now, options.dry_run);
        if (!pruned.ok()) {
            return error_out(terminal, pruned.error());
        }
        std::uint64_t bytes = 0;
        for (const auto& info : *pruned) {
            bytes += info.artifact_bytes;
            pruned_keys.insert(info.key);
        }
        std::cout << "cache: " << verb << count(pruned->size(), "entry", "entries") << " ("
                  << human_bytes(bytes) << " of artifacts)\n";
    }

    // 2b. Runs older than --older-than leave the history, with their kept report copy and, when
    // it is kfrun's own (under <data dir>/runs/), their run folder.
    std::set<std::string> forgotten_runs;
    if (older_than) {
        auto forgotten = forget_old_runs(paths, now - *older_than, options.dry_run);
        if (!forgotten.ok()) {
            return error_out(terminal, forgotten.error());
        }
        forgotten_runs = std::move(*forgotten);
        std::cout << "history: " << verb << count(forgotten_runs.size(), "run", "runs") << "\n";
    }

    // 3. Blobs nothing refers to.
    std::set<std::string> roots;
    if (auto cached = cache.add_referenced_digests(roots, pruned_keys); !cached.ok()) {
        return error_out(terminal, cached.error());
    }
    if (auto kept = add_kept_run_digests(paths, forgotten_runs, roots); !kept.ok()) {
        return error_out(terminal, kept.error());
    }
    store::BlobGcOptions gc;
    gc.dry_run = options.dry_run;
    gc.keep_newer_than = live_runs_start(paths, now);
    gc.temp_older_than = now - std::chrono::hours(24);
    auto collected = store::collect_blobs(paths.store_dir(), roots, gc);
    if (!collected.ok()) {
        return error_out(terminal, collected.error());
    }
    std::cout << "store: " << verb << count(collected->blobs_removed, "blob", "blobs") << " ("
              << human_bytes(collected->bytes_removed) << "), kept "
              << count(collected->blobs_kept, "blob", "blobs") << " ("
              << human_bytes(collected->bytes_kept) << ")";
    if (collected->temp_removed > 0) {
        std::cout << "; " << verb
                  << count(collected->temp_removed, "stale temp file", "stale temp files") << " ("
                  << human_bytes(collected->temp_bytes_removed) << ")";
    }
    std::cout << "\n";
    return swept.problems.empty() ? k_exit_ok : k_exit_environment;
}

}  // namespace

void add_gc_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<GcOptions>();
    CLI::App* cmd = app.add_subcommand(
        "gc", "Clean up after interrupted runs and remove store blobs nothing refers to");
    cmd->add_option("--older-than", options->older_than,
                    "First forget cached results and finished runs older than this (e.g. 30d, "
                    "12h, P7D); a run's folder goes with it when it is under the data directory");
    cmd->add_option("--max-size", options->max_size,
                    "First forget the oldest cached results until the cache's artifacts fit "
                    "this size (e.g. 500M, 2G)");
    cmd->add_flag("--dry-run", options->dry_run, "Say what would be removed; remove nothing");
    cmd->add_option("--data-dir", options->data_dir,
                    "State directory (default: $XDG_DATA_HOME/kfrun)");
    cmd->add_option("--cache-dir", options->cache_dir,
                    "Step cache directory (default: $XDG_CACHE_HOME/kfrun)");
    cmd->add_flag("--no-color", options->no_color, "No colours");
    cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace kfrun::cli
