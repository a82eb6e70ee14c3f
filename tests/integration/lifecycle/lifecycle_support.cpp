#include "lifecycle_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "docker/docker_client.hpp"
#include "kfrun_process.hpp"
#include "store/run_index.hpp"

extern char** environ;

namespace kfrun::testing {
namespace fs = std::filesystem;

pid_t spawn_kfrun(const std::vector<std::string>& args, const fs::path& log,
                  const std::vector<std::string>& extra_env) {
    std::vector<std::string> argv_storage = {KfrunProcess::binary().string()};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : argv_storage) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    std::vector<std::string> env_storage;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        env_storage.emplace_back(*entry);
    }
    env_storage.insert(env_storage.end(), extra_env.begin(), extra_env.end());
    std::vector<char*> env;
    for (std::string& entry : env_storage) {
        env.push_back(entry.data());
    }
    env.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(spawned, 0) << "cannot start " << argv[0];
    return spawned == 0 ? pid : -1;
}

int wait_for(pid_t pid) {
    int status = 0;
    if (pid <= 0 || waitpid(pid, &status, 0) != pid) {
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::set<std::string> runs_of_data_dir(const fs::path& data_dir) {
    std::set<std::string> ids;
    std::error_code ec;
    for (fs::directory_iterator entry(data_dir / "owners", ec), end; !ec && entry != end;
         entry.increment(ec)) {
        if (entry->path().extension() == ".lock") {
            ids.insert(entry->path().stem().string());
        }
    }
    for (fs::directory_iterator entry(data_dir / "scratch", ec), end; !ec && entry != end;
         entry.increment(ec)) {
        ids.insert(entry->path().filename().string());
    }
    store::RunIndex history(data_dir / "history");
    if (auto runs = history.list(0); runs.ok()) {
        for (const auto& run : *runs) {
            ids.insert(run.run_id);
        }
    }
    return ids;
}

std::vector<std::string> leftovers(const fs::path& data_dir, const std::set<std::string>& run_ids) {
    std::vector<std::string> out;
    auto client = docker::DockerClient::connect(docker::DockerConfig{});
    if (!client.ok()) {
        out.push_back("Docker: " + client.error().to_string());
        return out;
    }
    const std::string owned_prefix = (data_dir / "owners").string() + "/";
    auto owned_by_us = [&](const std::map<std::string, std::string>& labels) {
        const auto run = labels.find("org.kfrun.run");
        const auto owner = labels.find("org.kfrun.owner");
        return (run != labels.end() && run_ids.count(run->second) != 0) ||
               (owner != labels.end() && owner->second.rfind(owned_prefix, 0) == 0);
    };
    auto containers = client->list_containers({{"org.kfrun.run", ""}});
    if (containers.ok()) {
        for (const auto& container : *containers) {
            if (owned_by_us(container.labels)) {
                const auto role = container.labels.find("org.kfrun.role");
                out.push_back("container " + container.id.substr(0, 12) + " (" +
                              (role == container.labels.end() ? "?" : role->second) + ", " +
                              container.state + ")");
            }
        }
    }
    auto volumes = client->list_volumes({});
    if (volumes.ok()) {
        for (const auto& volume : *volumes) {
            const auto keep = volume.labels.find("org.kfrun.keep");
            if (owned_by_us(volume.labels) &&
                !(keep != volume.labels.end() && keep->second == "true")) {
                out.push_back("volume " + volume.name);
            }
        }
    }
    std::error_code ec;
    for (fs::directory_iterator entry(data_dir / "scratch", ec), end; !ec && entry != end;
         entry.increment(ec)) {
        out.push_back("scratch folder " + entry->path().string());
    }
    for (fs::directory_iterator entry(data_dir / "owners", ec), end; !ec && entry != end;
         entry.increment(ec)) {
        if (entry->path().extension() == ".swept") {
            continue;  // a swept run's tombstone (store/owner_lock.hpp): meant to stay a while
        }
        out.push_back("owner lock " + entry->path().string());
    }
    store::RunIndex history(data_dir / "history");
    if (auto runs = history.list(0); runs.ok()) {
        for (const auto& run : *runs) {
            if (run.summary.value("status", "") == "Running") {
                out.push_back("history entry " + run.run_id + " still Running");
            }
        }
    }
    return out;
}

std::set<std::string> pvc_volumes_of(const std::set<std::string>& run_ids) {
    std::set<std::string> names;
    auto client = docker::DockerClient::connect(docker::DockerConfig{});
    if (!client.ok()) {
        return names;
    }
    auto volumes = client->list_volumes({{"org.kfrun.pvc", ""}});
    if (volumes.ok()) {
        for (const auto& volume : *volumes) {
            const auto by = volume.labels.find("org.kfrun.created-by-run");
            if (by != volume.labels.end() && run_ids.count(by->second) != 0) {
                names.insert(volume.name);
            }
        }
    }
    return names;
}

void remove_volumes(const std::set<std::string>& names) {
    auto client = docker::DockerClient::connect(docker::DockerConfig{});
    if (!client.ok()) {
        return;
    }
    for (const auto& name : names) {
        (void)client->remove_volume(name);
    }
}

}  // namespace kfrun::testing
