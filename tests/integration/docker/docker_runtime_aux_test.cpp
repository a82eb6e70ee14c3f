// DockerRuntime's init containers and sidecars against the real daemon.
#include <chrono>
#include <cstdio>
#include <future>
#include <string>
#include <vector>

#include "docker_runtime_fixture.hpp"

namespace kfrun::docker::testing {
namespace {

using engine::LogStream;
using engine::NetworkMode;
using engine::StepEnd;
using Clock = std::chrono::steady_clock;

bool has_line(const std::vector<std::string>& lines, const std::string& wanted) {
    return std::find(lines.begin(), lines.end(), wanted) != lines.end();
}

bool has_line_containing(const std::vector<std::string>& lines, const std::string& part) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
        return line.find(part) != std::string::npos;
    });
}

using InitContainers = DockerRuntimeTest;

TEST_F(InitContainers, WriteIntoAnEmptyDirVolumeThatTheMainContainerReads) {
    begin(NetworkMode::None);
    const std::string volume = token() + "-empty-dir";
    auto labels = test_labels();
    labels[k_run_label] = token() + "-run";
    auto spec = shell_step("init-main", "cat /work/greeting; cat /work/second");
    spec.mounts.push_back(volume_mount(volume, "/work", "", labels));
    // Each names the volume itself: an init container gets only its own mounts (the engine adds
    // the step's for mirrorVolumeMounts).
    auto prepare = busybox_aux("prepare", "echo preparing; echo from-init > /work/greeting");
    prepare.mounts = spec.mounts;
    auto second = busybox_aux("second", "echo second-ran >&2; echo second > /work/second");
    second.mounts = spec.mounts;
    spec.init_containers = {prepare, second};
    RecordingObserver observer;
    const auto outcome = run(spec, observer);
    EXPECT_EQ(outcome.end, StepEnd::Exited) << outcome.message;
    EXPECT_EQ(outcome.exit_code, 0) << outcome.log_tail;
    EXPECT_EQ(observer.lines(LogStream::Stdout),
              (std::vector<std::string>{"[init:prepare] preparing", "from-init", "second"}));
    EXPECT_EQ(observer.lines(LogStream::Stderr),
              std::vector<std::string>{"[init:second] second-ran"});
    EXPECT_EQ(outcome.log_tail, "from-init\nsecond\n") << "the tails are the main container's";
    EXPECT_EQ(containers_with_role("init"), std::vector<std::string>{})
        << "init containers are removed after they exit";
    auto created = client().inspect_volume(volume);
    ASSERT_TRUE(created.ok() && created->has_value());
    EXPECT_EQ((*created)->labels, labels) << "Docker created the volume with the mount's labels";
}

TEST_F(InitContainers, AFailureEndsTheStepBeforeTheMainContainerIsCreated) {
    begin(NetworkMode::Pod);
    auto spec = shell_step("init-fails", "echo main-ran");
    spec.init_containers.push_back(busybox_aux("check", "echo checking; echo broken >&2; exit 3"));
    spec.init_containers.push_back(busybox_aux("never", "echo never-ran"));
    RecordingObserver observer;
    const auto outcome = run(spec, observer);
    EXPECT_EQ(outcome.end, StepEnd::InitFailed);
    EXPECT_EQ(outcome.exit_code, 3);
    EXPECT_EQ(outcome.message, "init container check exited with code 3");
    EXPECT_TRUE(outcome.container_id.empty());
    EXPECT_TRUE(observer.container_id().empty()) << "on_started is for the main container";
    EXPECT_EQ(observer.lines(LogStream::Stdout), std::vector<std::string>{"[init:check] checking"});
    EXPECT_NE(outcome.log_tail.find("[init:check] broken"), std::string::npos) << outcome.log_tail;
    EXPECT_TRUE(outcome.outputs.empty());
    EXPECT_EQ(containers_with_role("init"), std::vector<std::string>{});
    EXPECT_EQ(containers_with_role("step"), std::vector<std::string>{});
}

TEST_F(InitContainers, ACommandThatCannotStartIsAnInitFailure) {
    begin(NetworkMode::None);
    auto spec = shell_step("init-nostart", "echo main-ran");
    auto init = busybox_aux("missing", "");
    init.command = {"/no/such/program"};
    init.args = {};
    spec.init_containers.push_back(init);
    RecordingObserver observer;
    const auto outcome = run(spec, observer);
    EXPECT_EQ(outcome.end, StepEnd::InitFailed);
    EXPECT_EQ(outcome.exit_code, 127);
    EXPECT_NE(outcome.message.find("init container missing could not start"), std::string::npos)
        << outcome.message;
    EXPECT_NE(outcome.message.find("/no/such/program"), std::string::npos) << outcome.message;
    EXPECT_TRUE(observer.all_lines().empty());
}

TEST_F(InitContainers, AreKilledAtTheStepsDeadline) {
    begin(NetworkMode::None);
    auto spec = shell_step("init-deadline", "echo main-ran");
    spec.init_containers.push_back(busybox_aux("slow", "sleep 30"));
    const auto started = Clock::now();
    spec.deadline = started + std::chrono::seconds(1);
    RecordingObserver observer;
    const auto outcome = run(spec, observer);
    EXPECT_EQ(outcome.end, StepEnd::DeadlineExceeded);
    EXPECT_NE(outcome.message.find("init container slow"), std::string::npos) << outcome.message;
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));
    EXPECT_TRUE(outcome.container_id.empty());
}

// Sidecars, in each network mode that gives the step's containers a shared localhost.
class SidecarsIn : public DockerRuntimeTest, public ::testing::WithParamInterface<NetworkMode> {};

TEST_P(SidecarsIn, AreReachedOnLocalhostByTheMainContainerAndGoneAfterTheStep) {
    begin(GetParam());
    auto spec = shell_step("with-sidecar",
                           "for i in $(seq 1 100); do "
                           "wget -q -O - http://127.0.0.1:18080/ && exit 0; sleep 0.05; done; "
                           "exit 1");
    spec.sidecars.push_back(
        busybox_aux("web",
                    "mkdir -p /www && echo hello-from-sidecar > /www/index.html && echo serving && "
                    "exec httpd -f -p 18080 -h /www"));
    RecordingObserver observer;
    std::string network_mode;
    observer.started_hook = [&](std::string_view id) {
        auto details = client().inspect_container(id);
        network_mode = details.ok() ? details->network_mode : details.error().to_string();
    };
    const auto started = Clock::now();
    const auto outcome = run(spec, observer);
    const auto took = Clock::now() - started;
    EXPECT_EQ(outcome.end, StepEnd::Exited) << outcome.message;
    EXPECT_EQ(outcome.exit_code, 0) << outcome.log_tail;
    EXPECT_EQ(outcome.stdout_tail, "hello-from-sidecar\n");
    EXPECT_TRUE(has_line(observer.lines(LogStream::Stdout), "[sidecar:web] serving"));
    EXPECT_FALSE(has_line_containing(observer.lines(LogStream::Stderr), "kfrun:"))
        << "a sidecar stopped at the end is not a problem";
    if (GetParam() == NetworkMode::Pod) {
        EXPECT_EQ(network_mode, "container:" + m_runtime->sandbox_id());
    } else {
        EXPECT_EQ(network_mode.rfind("container:", 0), 0u) << network_mode;
        EXPECT_NE(network_mode, "container:") << "a pod sandbox of the step's own";
    }
    EXPECT_EQ(containers_with_role("sidecar"), std::vector<std::string>{});
    EXPECT_EQ(containers_with_role("pod"), std::vector<std::string>{});
    EXPECT_LT(took, std::chrono::seconds(5)) << "httpd stops at SIGTERM (through docker-init)";
    std::printf("[ sidecar  ] run %lld ms, cleanup (stopping the sidecar) %lld ms\n",
                static_cast<long long>(outcome.timings.run.count()),
                static_cast<long long>(outcome.timings.cleanup.count()));
}

INSTANTIATE_TEST_SUITE_P(NetworkModes, SidecarsIn,
                         ::testing::Values(NetworkMode::Pod, NetworkMode::Bridge,
                                           NetworkMode::None),
                         [](const ::testing::TestParamInfo<NetworkMode>& info) {
                             switch (info.param) {
                                 case NetworkMode::Pod:
                                     return std::string("Pod");
                                 case NetworkMode::Bridge:
                                     return std::string("Bridge");
                                 case NetworkMode::None:
                                     return std::string("None");
                                 case NetworkMode::Host:
                                     return std::string("Host");
                             }
                             return std::string("Unknown");
                         });

using Sidecars = DockerRuntimeTest;

TEST_F(Sidecars, OfParallelStepsInBridgeModeHaveTheirOwnLocalhost) {
    begin(NetworkMode::Bridge);
    constexpr int k_steps = 3;
    std::vector<RecordingObserver> observers(k_steps);
    std::vector<std::future<engine::StepOutcome>> steps;
    for (int i = 0; i < k_steps; ++i) {
        steps.push_back(std::async(std::launch::async, [&, i] {
            const std::string name = "parallel-" + std::to_string(i);
            auto spec = shell_step(name,
                                   "cat /work/ready; for i in $(seq 1 100); do "
                                   "wget -q -O - http://127.0.0.1:18080/ && exit 0; sleep 0.05; "
                                   "done; exit 1");
            // A volume, not a tmpfs: Docker gives each container a tmpfs of its own.
            auto labels = test_labels();
            labels[k_run_label] = token() + "-run";  // removed by end_run
            spec.mounts.push_back(
                volume_mount(token() + "-work-" + std::to_string(i), "/work", "", labels));
            auto ready = busybox_aux("ready", "echo ready > /work/ready");
            ready.mounts = spec.mounts;
            spec.init_containers.push_back(ready);
            spec.sidecars.push_back(
                busybox_aux("web", "mkdir -p /www && echo " + name +
                                       " > /www/index.html && exec httpd -f -p 18080 -h /www"));
            return run(spec, observers[static_cast<std::size_t>(i)]);
        }));
    }
    for (int i = 0; i < k_steps; ++i) {
        const auto outcome = steps[static_cast<std::size_t>(i)].get();
        EXPECT_EQ(outcome.exit_code, 0) << outcome.message << "\n" << outcome.log_tail;
        EXPECT_EQ(outcome.stdout_tail, "ready\nparallel-" + std::to_string(i) + "\n")
            << "each step reaches its own sidecar on the same port";
    }
    EXPECT_EQ(containers_with_role("pod"), std::vector<std::string>{});
}

TEST_F(Sidecars, FailuresAreNotedInTheLogAndNeverFailTheStep) {
    begin(NetworkMode::Bridge);
    auto spec = shell_step("bad-sidecars", "sleep 1; echo main-done");
    spec.sidecars.push_back(busybox_aux("quits", "echo bye; exit 5"));
    auto missing = busybox_aux("missing", "");
    missing.command = {"/no/such/program"};
    missing.args = {};
    spec.sidecars.push_back(missing);
    auto no_image = busybox_aux("no-image", "true");
    no_image.image_id = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
    spec.sidecars.push_back(no_image);
    RecordingObserver observer;
    const auto outcome = run(spec, observer);
    EXPECT_EQ(outcome.end, StepEnd::Exited) << outcome.message;
    EXPECT_EQ(outcome.exit_code, 0);
    EXPECT_EQ(outcome.stdout_tail, "main-done\n");
    const auto errors = observer.lines(LogStream::Stderr);
    EXPECT_TRUE(
        has_line_containing(errors, "[sidecar:quits] kfrun: the sidecar exited with code 5"))
        << ::testing::PrintToString(errors);
    EXPECT_TRUE(has_line_containing(errors,
                                    "[sidecar:missing] kfrun: the sidecar exited with "
                                    "code 127"))
        << ::testing::PrintToString(errors);
    EXPECT_TRUE(has_line_containing(errors,
                                    "[sidecar:no-image] kfrun: the sidecar cannot be "
                                    "created"))
        << ::testing::PrintToString(errors);
    EXPECT_TRUE(has_line(observer.lines(LogStream::Stdout), "[sidecar:quits] bye"));
    EXPECT_EQ(containers_with_role("sidecar"), std::vector<std::string>{});
}

TEST_F(Sidecars, ThatIgnoreSigtermAreKilledAfterTheGrace) {
    begin(NetworkMode::Pod);
    auto spec = shell_step("stubborn", "echo main-done");
    spec.sidecars.push_back(
        busybox_aux("stubborn", "trap '' TERM; echo ignoring; while true; do sleep 1; done"));
    RecordingObserver observer;
    const auto started = Clock::now();
    const auto outcome = run(spec, observer);
    const auto took = Clock::now() - started;
    EXPECT_EQ(outcome.exit_code, 0);
    EXPECT_GE(took, std::chrono::seconds(2)) << "SIGTERM first, SIGKILL after 2 s";
    EXPECT_LT(took, std::chrono::seconds(6));
    EXPECT_FALSE(has_line_containing(observer.lines(LogStream::Stderr), "kfrun:"));
    EXPECT_EQ(containers_with_role("sidecar"), std::vector<std::string>{});
}

TEST_F(Sidecars, AreStoppedWhenTheMainContainerIsCancelled) {
    begin(NetworkMode::None);
    engine::CancelToken cancel;
    auto spec = shell_step("cancel-sidecar", "echo started; sleep 30");
    spec.sidecars.push_back(busybox_aux("idle", "exec sleep 3600"));
    RecordingObserver observer;
    observer.started_hook = [&](std::string_view) { cancel.cancel("test"); };
    const auto started = Clock::now();
    const auto outcome = run(spec, observer, cancel);
    EXPECT_EQ(outcome.end, StepEnd::Cancelled);
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));
    EXPECT_EQ(containers_with_role("sidecar"), std::vector<std::string>{});
    EXPECT_EQ(containers_with_role("pod"), std::vector<std::string>{});
}

}  // namespace
}  // namespace kfrun::docker::testing
