#include "index_support.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

#include "base/sha256.hpp"

extern char** environ;

namespace kfrun::store::testing {

std::string key_of(const std::string& name) {
    return base::sha256_hex("key " + name);
}

engine::CacheEntry make_entry(const std::string& name, const std::string& step,
                              long long created_ms, std::uint64_t bytes) {
    engine::CacheEntry entry;
    entry.key = key_of(name);
    entry.key_text = "kfrun-cache-key 1\nname " + name + "\n";
    entry.step = step;
    entry.pipeline = step.substr(0, step.find('/'));
    entry.run_id = "run-" + name;
    entry.created_at = base::SystemTime(base::Millis(created_ms));
    entry.run_time = base::Millis(1500);
    entry.outputs.parameters = {{"out", "value of " + name}};
    engine::NamedArtifact artifact;
    artifact.name = "data";
    artifact.path = "/tmp/outputs/data";
    artifact.artifact.digest = base::sha256_hex("blob " + name);
    artifact.artifact.size = bytes;
    artifact.artifact.file_count = 1;
    entry.outputs.artifacts.push_back(artifact);
    entry.outputs.result = "stdout of " + name;
    entry.outputs.exit_code = 0;
    entry.artifact_bytes = bytes;
    return entry;
}

pid_t spawn_worker(const std::vector<std::string>& arguments) {
    std::vector<std::string> strings{KFRUN_STORE_INDEX_WORKER};
    strings.insert(strings.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (std::string& text : strings) {
        argv.push_back(text.data());
    }
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
        throw std::runtime_error("posix_spawn store_index_worker failed");
    }
    return pid;
}

int wait_worker(pid_t pid) {
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid) {
        return -1;
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

}  // namespace kfrun::store::testing
