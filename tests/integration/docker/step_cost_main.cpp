// docker_step_cost: the per-step cost of a trivial busybox `true` step through DockerRuntime
// (Pod and Bridge network modes; plain, with one init container `true`, with one sidecar
// `sleep 3600`) next to raw create/start/wait/remove loops over the same client, interleaved
// round by round so load drifts hit all of them alike.
// Usage: docker_step_cost [rounds=15]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "docker/docker_runtime.hpp"
#include "store/file_artifact_store.hpp"

namespace {

using namespace kfrun;
using Clock = std::chrono::steady_clock;

double elapsed_ms(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

class NullObserver : public engine::StepObserver {};

void fail(const base::Error& error) {
    std::fprintf(stderr, "docker_step_cost: %s\n", error.to_string().c_str());
    std::exit(1);
}

template <class T>
T check(base::Result<T> result) {
    if (!result.ok()) {
        fail(result.error());
    }
    return std::move(*result);
}

void check(base::Result<void> result) {
    if (!result.ok()) {
        fail(result.error());
    }
}

// create, open wait(next-exit), start, read the wait, remove: what a minimal client does.
void raw_step(const docker::DockerClient& client, const std::string& image_id,
              const std::string& network_mode, const std::string& label) {
    const nlohmann::json body{{"Image", image_id},
                              {"Entrypoint", {"true"}},
                              {"Cmd", nlohmann::json::array()},
                              {"Labels", {{"org.kfrun.bench", label}}},
                              {"HostConfig", {{"NetworkMode", network_mode}}}};
    const std::string id = check(client.create_container("", body.dump()));
    auto wait = check(client.open_wait(id, "next-exit"));
    check(client.start_container(id));
    check(wait->read_all(4096, Clock::now() + std::chrono::seconds(60)));
    check(client.remove_container(id));
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 15;
    const std::string tag = "bench-" + std::to_string(::getpid());
    auto client = check(docker::DockerClient::connect({}));
    const auto busybox = check(client.inspect_image("kfrun-fixtures/busybox:1"));
    if (!busybox) {
        std::fprintf(stderr,
                     "kfrun-fixtures/busybox:1 is missing (fixtures/images/build-busybox.sh)\n");
        return 1;
    }
    const auto temp = std::filesystem::temp_directory_path() / ("kfrun-" + tag);
    auto store = check(store::FileArtifactStore::open(temp / "store"));

    docker::DockerRuntimeConfig config;
    config.pause_image = "kfrun-bench/pause:" + tag;
    docker::DockerRuntime pod(client, config, *store);
    docker::DockerRuntime bridge(client, config, *store);
    const auto context = [&](engine::NetworkMode mode, const std::string& name) {
        engine::RunContext out;
        out.run_id = tag + "-" + name;
        out.network = mode;
        out.scratch_dir = temp / name;
        out.labels = {{"org.kfrun.bench", tag}};
        return out;
    };
    check(pod.begin_run(context(engine::NetworkMode::Pod, "pod")));
    check(bridge.begin_run(context(engine::NetworkMode::Bridge, "bridge")));
    const std::string sandbox = check(pod.ensure_sandbox());

    std::map<std::string, std::vector<double>> samples;
    NullObserver observer;
    const engine::CancelToken cancel;
    for (int round = 0; round < rounds; ++round) {
        const auto runtime_step = [&](docker::DockerRuntime& runtime, const std::string& name,
                                      int inits = 0, int sidecars = 0) {
            engine::StepSpec spec;
            spec.container_name = tag + "-" + std::to_string(inits) + std::to_string(sidecars) +
                                  "-" + name.substr(0, name.find(' ')) + "-" +
                                  std::to_string(round);
            spec.image_id = busybox->id;
            spec.command = {"true"};
            engine::AuxContainer aux;
            aux.image_id = busybox->id;
            for (int i = 0; i < inits; ++i) {
                aux.name = "init" + std::to_string(i);
                aux.command = {"true"};
                spec.init_containers.push_back(aux);
            }
            for (int i = 0; i < sidecars; ++i) {
                aux.name = "sidecar" + std::to_string(i);
                aux.command = {"sleep", "3600"};
                spec.sidecars.push_back(aux);
            }
            const auto started = Clock::now();
            const auto outcome = check(runtime.run_step(spec, observer, cancel));
            samples["DockerRuntime " + name].push_back(elapsed_ms(started));
            if (outcome.exit_code != 0) {
                std::fprintf(stderr, "unexpected exit %d\n", outcome.exit_code);
                std::exit(1);
            }
        };
        runtime_step(pod, "pod");
        runtime_step(bridge, "bridge");
        runtime_step(pod, "pod + 1 init", 1, 0);
        runtime_step(bridge, "bridge + 1 init", 1, 0);
        runtime_step(pod, "pod + 1 sidecar", 0, 1);
        runtime_step(bridge, "bridge + 1 sidecar", 0, 1);
        auto started = Clock::now();
        raw_step(client, busybox->id, "container:" + sandbox, tag);
        samples["raw API container:<sandbox>"].push_back(elapsed_ms(started));
        started = Clock::now();
        raw_step(client, busybox->id, "bridge", tag);
        samples["raw API bridge"].push_back(elapsed_ms(started));
    }
    check(pod.end_run());
    check(bridge.end_run());
    static_cast<void>(client.remove_image(config.pause_image));
    std::filesystem::remove_all(temp);

    std::printf("%d rounds, busybox `true`, ms (min / median / max)\n", rounds);
    for (auto& [name, values] : samples) {
        std::sort(values.begin(), values.end());
        std::printf("  %-30s %6.1f / %6.1f / %6.1f\n", name.c_str(), values.front(),
                    values[values.size() / 2], values.back());
    }
    return 0;
}
