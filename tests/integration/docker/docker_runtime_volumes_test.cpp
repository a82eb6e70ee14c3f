// DockerRuntime's volumes, mounts and GPU probe against the real daemon.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "docker/docker_error.hpp"
#include "docker_runtime_fixture.hpp"

namespace kfrun::docker::testing {
namespace {

using engine::LogStream;
using engine::StepEnd;
using engine::VolumeMount;

class Volumes : public DockerRuntimeTest {
  protected:
    // Runs `script` in a busybox step with `mounts`; its stdout lines (the exit must be 0).
    std::vector<std::string> run_with(const std::string& name, const std::string& script,
                                      std::vector<VolumeMount> mounts) {
        auto spec = shell_step(name, script);
        spec.mounts = std::move(mounts);
        RecordingObserver observer;
        const auto outcome = run(spec, observer);
        EXPECT_EQ(outcome.exit_code, 0) << name << ": " << outcome.message << "\n"
                                        << outcome.log_tail;
        return observer.lines(LogStream::Stdout);
    }

    std::map<std::string, std::string> labels_of(const std::string& volume) {
        auto details = client().inspect_volume(volume);
        EXPECT_TRUE(details.ok()) << details.error().to_string();
        if (!details.ok() || !details->has_value()) {
            return {{"<missing>", volume}};
        }
        return (*details)->labels;
    }
};

TEST_F(Volumes, AreCreatedIdempotentlyAndRemoved) {
    const std::string volume = token() + "-vol";
    auto first = test_labels();
    first["kfrun.test.generation"] = "1";
    ASSERT_TRUE(m_runtime->create_volume(volume, first).ok());
    EXPECT_EQ(labels_of(volume), first);
    auto second = test_labels();
    second["kfrun.test.generation"] = "2";
    auto again = m_runtime->create_volume(volume, second);
    ASSERT_TRUE(again.ok()) << again.error().to_string();
    EXPECT_EQ(labels_of(volume), first) << "Docker keeps the labels of an existing volume";
    ASSERT_TRUE(m_runtime->remove_volume(volume).ok());
    auto gone = client().inspect_volume(volume);
    ASSERT_TRUE(gone.ok());
    EXPECT_FALSE(gone->has_value());
    EXPECT_TRUE(m_runtime->remove_volume(volume).ok()) << "a missing volume counts as removed";
}

TEST_F(Volumes, InUseCannotBeRemovedAndTheErrorSaysWhichAndWhy) {
    const std::string volume = token() + "-busy";
    ASSERT_TRUE(m_runtime->create_volume(volume, test_labels()).ok());
    const nlohmann::json body{
        {"Image", busybox_id()},
        {"Cmd", {"true"}},
        {"Labels", test_labels()},
        {"HostConfig", {{"Mounts", {{{"Type", "volume"}, {"Source", volume}, {"Target", "/v"}}}}}}};
    auto user = client().create_container(token() + "-user", body.dump());
    ASSERT_TRUE(user.ok()) << user.error().to_string();
    auto removed = m_runtime->remove_volume(volume);
    ASSERT_FALSE(removed.ok()) << "a created (never started) container holds the volume too";
    EXPECT_EQ(removed.error().kind, base::ErrorKind::Docker);
    EXPECT_EQ(http_status(removed.error()), 409u);
    EXPECT_NE(removed.error().message.find("volume " + volume + " is in use"), std::string::npos)
        << removed.error().message;
    EXPECT_NE(removed.error().message.find(user->substr(0, 12)), std::string::npos)
        << "Docker's message lists the container: " << removed.error().message;
    EXPECT_NE(removed.error().where.find("DELETE /volumes/" + volume), std::string::npos);
    ASSERT_TRUE(client().remove_container(*user).ok());
    EXPECT_TRUE(m_runtime->remove_volume(volume).ok());
}

TEST_F(Volumes, AreCopiedWithNestedDirectoriesModesOwnersLinksAndLargeFiles) {
    begin(NetworkMode::None);
    const std::string from = token() + "-from";
    const std::string to = token() + "-to";
    ASSERT_TRUE(m_runtime->create_volume(from, test_labels()).ok());
    ASSERT_TRUE(m_runtime->create_volume(to, test_labels()).ok());
    run_with("fill",
             "mkdir -p /v/a/b/c /v/empty && echo one > /v/a/one.txt && "
             "echo deep > /v/a/b/c/deep.txt && chmod 0751 /v/a/b && chmod 0600 /v/a/one.txt && "
             "chown 1234:5678 /v/a/b/c/deep.txt && ln -s one.txt /v/a/link && "
             "printf '#!/bin/sh\\n' > /v/run.sh && chmod 0755 /v/run.sh && "
             "dd if=/dev/urandom of=/v/big bs=1M count=12 2>/dev/null",
             {volume_mount(from, "/v")});
    const std::string listing =
        "cd /v && find . | sort && "
        "stat -c '%n %a %u:%g %s' a a/b a/b/c a/one.txt a/b/c/deep.txt run.sh empty big && "
        "readlink a/link && cat a/b/c/deep.txt && md5sum big";
    const auto original = run_with("list-from", listing, {volume_mount(from, "/v", "", {})});

    auto copied = m_runtime->copy_volume(from, to);
    ASSERT_TRUE(copied.ok()) << copied.error().to_string();
    const auto copy = run_with("list-to", listing, {volume_mount(to, "/v")});
    EXPECT_EQ(copy, original);
    EXPECT_NE(std::find(copy.begin(), copy.end(), "a/b 751 0:0 4096"), copy.end())
        << ::testing::PrintToString(copy);
    EXPECT_NE(std::find(copy.begin(), copy.end(), "a/b/c/deep.txt 644 1234:5678 5"), copy.end())
        << ::testing::PrintToString(copy);
    EXPECT_NE(std::find(copy.begin(), copy.end(), "one.txt"), copy.end()) << "the link's target";
    EXPECT_EQ(containers_with_role("copy"), std::vector<std::string>{});
    EXPECT_EQ(labels_of(from), test_labels()) << "the source is left as it was";
}

TEST_F(Volumes, CopyCreatesAMissingTargetAndRefusesAMissingSource) {
    const std::string from = token() + "-src";
    const std::string to = token() + "-new-target";
    ASSERT_TRUE(m_runtime->create_volume(from, test_labels()).ok());
    auto copied = m_runtime->copy_volume(from, to);
    EXPECT_TRUE(copied.ok()) << copied.error().to_string();
    auto created = client().inspect_volume(to);
    ASSERT_TRUE(created.ok());
    EXPECT_TRUE(created->has_value());
    EXPECT_TRUE(client().remove_volume(to).ok());  // unlabelled: the fixture would not see it

    auto missing = m_runtime->copy_volume(token() + "-nope", to);
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("there is no volume " + token() + "-nope"),
              std::string::npos)
        << missing.error().message;
    auto still_missing = client().inspect_volume(to);
    ASSERT_TRUE(still_missing.ok());
    EXPECT_FALSE(still_missing->has_value()) << "nothing is created for a failed copy";
}

TEST_F(Volumes, EndRunRemovesTheRunsVolumesButKeepsThoseMarkedToOutliveIt) {
    begin(NetworkMode::None);
    const std::string run_id = token() + "-run";
    auto run_labels = test_labels();
    run_labels[k_run_label] = run_id;
    auto kept_labels = run_labels;
    kept_labels[k_keep_label] = "true";
    ASSERT_TRUE(m_runtime->create_volume(token() + "-a-run", run_labels).ok());
    ASSERT_TRUE(m_runtime->create_volume(token() + "-b-kept", kept_labels).ok());
    ASSERT_TRUE(m_runtime->create_volume(token() + "-c-other", test_labels()).ok());
    // Created by Docker on first use, with the mount's labels.
    run_with("first-use", "echo x > /scratch/x",
             {volume_mount(token() + "-d-used", "/scratch", "", run_labels)});
    EXPECT_EQ(test_volumes(),
              (std::vector<std::string>{token() + "-a-run", token() + "-b-kept",
                                        token() + "-c-other", token() + "-d-used"}));
    auto ended = m_runtime->end_run();
    ASSERT_TRUE(ended.ok()) << ended.error().to_string();
    EXPECT_EQ(test_volumes(),
              (std::vector<std::string>{token() + "-b-kept", token() + "-c-other"}));
}

TEST_F(Volumes, SubPathMountsSeeOnlyTheirDirectoryWhichIsCreated) {
    begin(NetworkMode::None);
    const std::string volume = token() + "-shared";
    ASSERT_TRUE(m_runtime->create_volume(volume, test_labels()).ok());
    run_with("top", "echo top > /v/top", {volume_mount(volume, "/v")});
    const auto seen = run_with("sub", "ls -A /data; echo sub > /data/file; echo done",
                               {volume_mount(volume, "/data", "runs/./r1/")});
    EXPECT_EQ(seen, std::vector<std::string>{"done"}) << "a new, empty directory";
    const auto whole =
        run_with("whole", "cat /v/runs/r1/file; cat /v/top", {volume_mount(volume, "/v")});
    EXPECT_EQ(whole, (std::vector<std::string>{"sub", "top"}));
    const auto read_only =
        run_with("ro", "cat /data/file; touch /data/x 2>/dev/null || echo ro", {[&] {
                     auto mount = volume_mount(volume, "/data", "runs/r1");
                     mount.read_only = true;
                     return mount;
                 }()});
    EXPECT_EQ(read_only, (std::vector<std::string>{"sub", "ro"}));
}

TEST_F(Volumes, SubPathCanNameASingleFile) {
    begin(NetworkMode::None);
    const std::string volume = token() + "-files";
    ASSERT_TRUE(m_runtime->create_volume(volume, test_labels()).ok());
    run_with("write-file", "mkdir /v/conf && echo key=1 > /v/conf/app.ini",
             {volume_mount(volume, "/v")});
    const auto lines = run_with("read-file", "cat /etc/app.ini",
                                {volume_mount(volume, "/etc/app.ini", "conf/app.ini")});
    EXPECT_EQ(lines, std::vector<std::string>{"key=1"});
}

TEST_F(Volumes, SubPathOfAMissingVolumeCreatesItWithTheMountsLabels) {
    begin(NetworkMode::None);
    const std::string volume = token() + "-later";
    auto labels = test_labels();
    labels["kfrun.test.kind"] = "subpath";
    run_with("sub-new", "echo x > /d/x", {volume_mount(volume, "/d", "x/y", labels)});
    EXPECT_EQ(labels_of(volume), labels);
}

TEST_F(Volumes, SubPathsNeverFollowLinksPlantedInTheVolume) {
    begin(NetworkMode::None);
    const std::string volume = token() + "-links";
    ASSERT_TRUE(m_runtime->create_volume(volume, test_labels()).ok());
    run_with("plant", "ln -s /etc /v/evil && mkdir /v/ok", {volume_mount(volume, "/v")});
    for (const char* sub_path : {"evil", "evil/x", "../x", "/etc"}) {
        auto spec = shell_step("escape", "true");
        spec.mounts = {volume_mount(volume, "/data", sub_path)};
        RecordingObserver observer;
        auto outcome = m_runtime->run_step(spec, observer, engine::CancelToken{});
        ASSERT_FALSE(outcome.ok()) << sub_path;
        EXPECT_EQ(outcome.error().kind, base::ErrorKind::Input) << outcome.error().to_string();
    }
    ASSERT_TRUE(m_runtime->end_run().ok());  // step containers are removed by then at the latest
    EXPECT_EQ(containers_with_role("step"), std::vector<std::string>{});
}

TEST_F(Volumes, TmpfsMountsAreMemoryBacked) {
    begin(NetworkMode::None);
    auto tmpfs = VolumeMount{};
    tmpfs.type = VolumeMount::Type::Tmpfs;
    tmpfs.container_path = "/cache";
    const auto lines = run_with(
        "tmpfs",
        "grep ' /cache ' /proc/mounts | cut -d' ' -f1,3; echo x > /cache/f && cat /cache/f",
        {tmpfs});
    EXPECT_EQ(lines, (std::vector<std::string>{"tmpfs tmpfs", "x"}));
}

// Unlike a Kubernetes emptyDir with medium Memory, a Docker tmpfs mount belongs to one
// container: an init container's writes do not reach the main container.
TEST_F(Volumes, TmpfsMountsAreNotSharedBetweenTheStepsContainers) {
    begin(NetworkMode::None);
    auto spec = shell_step("tmpfs-init", "ls -A /cache; echo listed");
    auto tmpfs = VolumeMount{};
    tmpfs.type = VolumeMount::Type::Tmpfs;
    tmpfs.container_path = "/cache";
    spec.mounts = {tmpfs};
    auto fill = busybox_aux("fill", "echo x > /cache/from-init");
    fill.mounts = {tmpfs};  // the same mount, as mirrorVolumeMounts gives it
    spec.init_containers.push_back(fill);
    RecordingObserver observer;
    const auto outcome = run(spec, observer);
    EXPECT_EQ(outcome.exit_code, 0) << outcome.message;
    EXPECT_EQ(observer.lines(LogStream::Stdout), std::vector<std::string>{"listed"});
}

TEST_F(Volumes, GpusAreNotAvailableOnThisDaemonAndTheProbeLeavesNothing) {
    begin(NetworkMode::None);
    auto available = m_runtime->gpus_available();
    ASSERT_TRUE(available.ok()) << available.error().to_string();
    EXPECT_FALSE(*available);
    auto cached = m_runtime->gpus_available();
    ASSERT_TRUE(cached.ok());
    EXPECT_FALSE(*cached);
    EXPECT_EQ(containers_with_role("probe"), std::vector<std::string>{});
}

}  // namespace
}  // namespace kfrun::docker::testing
