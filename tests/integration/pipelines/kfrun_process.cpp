#include "kfrun_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "base/random_id.hpp"
#include "base/sha256.hpp"
#include "docker/docker_client.hpp"
#include "docker/query.hpp"

extern char** environ;

namespace kfrun::testing {

std::filesystem::path KfrunProcess::source_dir() { return KFRUN_SOURCE_DIR; }
std::filesystem::path KfrunProcess::binary() {
    return std::filesystem::path(KFRUN_BINARY_DIR) / "src" / "cli" / "kfrun";
}
std::filesystem::path KfrunProcess::fixture(const std::string& relative) {
    return source_dir() / relative;
}

KfrunProcess::KfrunProcess() {
    m_work_dir = std::filesystem::temp_directory_path() / ("kfrun-it-" + base::random_suffix(10));
    m_data_dir = m_work_dir / "data";
    m_cache_dir = m_work_dir / "cache";
    std::filesystem::create_directories(m_work_dir);
}

KfrunProcess::~KfrunProcess() {
    std::error_code ignored;
    std::filesystem::remove_all(m_work_dir, ignored);
}

KfrunResult KfrunProcess::exec(const std::vector<std::string>& args,
                               const std::string& stdin_file) {
    KfrunResult result;
    std::filesystem::path log = m_work_dir / ("output-" + std::to_string(++m_runs) + ".txt");
    std::vector<std::string> argv_storage = {binary().string()};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : argv_storage) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (!stdin_file.empty()) {
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, stdin_file.c_str(), O_RDONLY, 0);
    }
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = 0;
    int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        ADD_FAILURE() << "cannot start " << argv[0];
        return result;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::ifstream in(log);
    std::stringstream buffer;
    buffer << in.rdbuf();
    result.output = buffer.str();
    return result;
}

KfrunResult KfrunProcess::run(const std::string& pipeline, const std::vector<std::string>& args) {
    std::filesystem::path report_dir = m_work_dir / ("run-" + std::to_string(m_runs + 1));
    std::vector<std::string> full = {"run",
                                     pipeline,
                                     "--no-color",
                                     "--data-dir",
                                     m_data_dir.string(),
                                     "--cache-dir",
                                     m_cache_dir.string(),
                                     "--report-dir",
                                     report_dir.string(),
                                     "--image-map-file",
                                     fixture("fixtures/image-map.txt").string()};
    full.insert(full.end(), args.begin(), args.end());
    KfrunResult result = exec(full);
    result.report_dir = report_dir;
    std::ifstream in(report_dir / "report.json");
    if (in) {
        result.report = nlohmann::json::parse(in, nullptr, false);
    }
    return result;
}

const nlohmann::json& KfrunResult::step(const std::string& label) const {
    static const nlohmann::json k_missing = nlohmann::json::object();
    if (report.is_object()) {
        for (const auto& step : report["steps"]) {
            if (step.value("label", "") == label || step.value("name", "") == label) {
                return step;
            }
        }
    }
    ADD_FAILURE() << "no step `" << label << "` in the report; output:\n" << output;
    return k_missing;
}

std::vector<nlohmann::json> KfrunResult::steps_named(const std::string& name) const {
    std::vector<nlohmann::json> out;
    if (report.is_object()) {
        for (const auto& step : report["steps"]) {
            if (step.value("name", "") == name) {
                out.push_back(step);
            }
        }
    }
    return out;
}

bool docker_available() {
    auto client = docker::DockerClient::connect(docker::DockerConfig{});
    return client.ok();
}

std::vector<std::string> containers_of_run(const std::string& run_id) {
    std::vector<std::string> ids;
    auto client = docker::DockerClient::connect(docker::DockerConfig{});
    if (!client.ok()) {
        return ids;
    }
    auto list = client->list_containers({{"org.kfrun.run", run_id}});
    if (list.ok()) {
        for (const auto& container : *list) {
            ids.push_back(container.id);
        }
    }
    return ids;
}

void remove_containers_of_run(const std::string& run_id) {
    auto client = docker::DockerClient::connect(docker::DockerConfig{});
    if (!client.ok()) {
        return;
    }
    for (const std::string& id : containers_of_run(run_id)) {
        (void)client->remove_container(id);
    }
}

int container_events_of_run(const std::string& run_id, const std::string& action,
                            long long since, long long until) {
    auto client = docker::DockerClient::connect(docker::DockerConfig{});
    if (!client.ok()) {
        return -1;
    }
    const nlohmann::json filters = {
        {"type", {"container"}}, {"event", {action}}, {"label", {"org.kfrun.run=" + run_id}}};
    docker::DockerRequest request("GET", "/events", std::chrono::seconds(30));
    request.query.add("since", since).add("until", until).add("filters", filters.dump());
    auto response = client->exchange(request);
    if (!response.ok() || response->status != 200) {
        return -1;
    }
    int count = 0;
    const std::string needle = "\"Action\":\"" + action + "\"";
    for (std::size_t at = response->body.find(needle); at != std::string::npos;
         at = response->body.find(needle, at + 1)) {
        ++count;
    }
    return count;
}

int containers_created_by_run(const std::string& run_id, long long since, long long until) {
    return container_events_of_run(run_id, "create", since, until);
}

std::string sha256_of(const std::string& bytes) { return base::sha256_hex(bytes); }

std::vector<std::string> files_containing(const std::filesystem::path& dir,
                                          const std::string& needle) {
    std::vector<std::string> found;
    if (!std::filesystem::exists(dir)) {
        return found;
    }
    // A scan that stops early must not read as "nowhere": it fails the test.
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (!it->is_regular_file()) {
            continue;
        }
        std::ifstream in(it->path(), std::ios::binary);
        std::stringstream buffer;
        buffer << in.rdbuf();
        if (buffer.str().find(needle) != std::string::npos) {
            found.push_back(it->path().string());
        }
    }
    if (ec) {
        ADD_FAILURE() << "cannot scan " << dir << " for a secret: " << ec.message();
    }
    return found;
}

}  // namespace kfrun::testing
