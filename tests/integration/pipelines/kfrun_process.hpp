#pragma once
// KfrunProcess: runs the kfrun binary the way a user does, in a private data directory, and
// reads back its exit code, output and report.json.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kfrun::testing {

struct KfrunResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr, interleaved
    nlohmann::json report;  // report.json, or null when none was written
    std::filesystem::path report_dir;

    // The report's step whose label (or name) is `label`; fails the test when absent.
    const nlohmann::json& step(const std::string& label) const;
    // Every step whose name is `name` (loop iterations share a name).
    std::vector<nlohmann::json> steps_named(const std::string& name) const;
};

class KfrunProcess {
public:
    KfrunProcess();
    ~KfrunProcess();

    // `kfrun run PIPELINE ARGS…` with --data-dir/--report-dir in this test's directory and the
    // fixture image map.
    KfrunResult run(const std::string& pipeline, const std::vector<std::string>& args = {});
    // Any kfrun command line; stdin is the test's own, or the file `stdin_file` when given
    // ("/dev/null": a `kfrun shell` then ends at once).
    KfrunResult exec(const std::vector<std::string>& args, const std::string& stdin_file = "");

    const std::filesystem::path& data_dir() const { return m_data_dir; }
    // The step cache's directory (default: private to this process object).
    void set_cache_dir(std::filesystem::path dir) { m_cache_dir = std::move(dir); }
    const std::filesystem::path& cache_dir() const { return m_cache_dir; }
    const std::filesystem::path& work_dir() const { return m_work_dir; }

    static std::filesystem::path source_dir();
    static std::filesystem::path binary();
    static std::filesystem::path fixture(const std::string& relative);

private:
    std::filesystem::path m_work_dir;
    std::filesystem::path m_data_dir;
    std::filesystem::path m_cache_dir;
    int m_runs = 0;
};

// True when a Docker daemon answers on the default socket (or DOCKER_HOST).
bool docker_available();
// The ids of containers carrying label org.kfrun.run=<run_id> (any state).
std::vector<std::string> containers_of_run(const std::string& run_id);
// Removes them (tests that keep containers clean up after themselves).
void remove_containers_of_run(const std::string& run_id);
// How many containers the daemon created with label org.kfrun.run=<run_id> between the two
// Unix times (its event log), removed ones included; -1 when the daemon cannot be asked.
int containers_created_by_run(const std::string& run_id, long long since, long long until);
// How many container events `action` (create, archive-path: a GET /archive, ...) the daemon
// logged for containers labelled org.kfrun.run=<run_id> between the two Unix times; -1 when the
// daemon cannot be asked.
int container_events_of_run(const std::string& run_id, const std::string& action,
                            long long since, long long until);
std::string sha256_of(const std::string& bytes);
// Every regular file under `dir` whose bytes contain `needle` (none when `dir` is missing): where
// a secret must not be.
std::vector<std::string> files_containing(const std::filesystem::path& dir,
                                          const std::string& needle);

}  // namespace kfrun::testing
