// Issue 16, finding 2 (the CVE-2017-1002101 class): a sub-path that kfrun checked and that a
// container swaps for a symbolic link before Docker mounts it must never give a step the link's
// target. An init container runs after the step's sub-paths are resolved and before its main
// container is created, so it swaps deterministically inside that window.
//
// What the step gets instead: the directory (or file) that was checked, even after a rename.
// A checked directory that was deleted cannot be mounted at all (the kernel refuses to
// bind-mount an unlinked directory), so that step fails to start: never the link's target.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "docker_runtime_fixture.hpp"

namespace kfrun::docker::testing {
namespace {

namespace fs = std::filesystem;
using engine::LogStream;
using engine::StepEnd;
using engine::VolumeMount;

constexpr const char* k_marker = "kfrun-host-marker-3f9a";

class SubPathRace : public DockerRuntimeTest {
  protected:
    // A host directory holding a marker file, and a marker file on its own: what a swapped-in
    // link points at.
    void SetUp() override {
        DockerRuntimeTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) {
            return;
        }
        fs::create_directories(host_dir());
        std::ofstream(host_dir() / "marker") << k_marker << "\n";
        std::ofstream(host_file()) << k_marker << "\n";
    }
    fs::path host_dir() const { return temp_dir() / "host-only"; }
    fs::path host_file() const { return temp_dir() / "host-only.txt"; }

    // Runs a step whose init container (with `whole` at /v) runs `swap`, and whose main
    // container mounts `sub` and prints what it sees there. Its stdout lines, or one line saying
    // why it did not run.
    std::vector<std::string> run_swapped(const std::string& name, const VolumeMount& whole,
                                         const std::string& swap, const VolumeMount& sub,
                                         const std::string& look) {
        auto spec = shell_step(name, look);
        spec.mounts = {sub};
        auto init = busybox_aux("swap", swap);
        init.mounts = {whole};
        spec.init_containers = {init};
        RecordingObserver observer;
        const auto outcome = m_runtime->run_step(spec, observer, engine::CancelToken{});
        if (!outcome.ok()) {
            return {"error: " + outcome.error().to_string()};
        }
        if (outcome->end != StepEnd::Exited) {
            std::string init_lines;
            for (const auto& [stream, line] : observer.all_lines()) {
                init_lines += "\n  " + line;
            }
            return {"did not run: " + outcome->message + init_lines};
        }
        return observer.lines(LogStream::Stdout);
    }

    static bool mentions_marker(const std::vector<std::string>& lines) {
        for (const auto& line : lines) {
            if (line.find(k_marker) != std::string::npos) {
                return true;
            }
        }
        return false;
    }
};

TEST_F(SubPathRace, ADirectorySwappedForALinkAfterTheCheckNeverMountsTheHost) {
    begin(NetworkMode::None);
    const std::string volume = token() + "-race";
    ASSERT_TRUE(m_runtime->create_volume(volume, test_labels()).ok());
    const auto seen = run_swapped(
        "swap-dir", volume_mount(volume, "/v"),
        "mkdir -p /v/d && echo mine > /v/d/mine && mv /v/d /v/old && ln -s " + host_dir().string() +
            " /v/d",
        volume_mount(volume, "/data", "d"), "cat /data/marker 2>/dev/null; cat /data/mine");
    EXPECT_FALSE(mentions_marker(seen)) << ::testing::PrintToString(seen);
    EXPECT_EQ(seen, std::vector<std::string>{"mine"}) << "the directory that was checked";
    EXPECT_TRUE(fs::is_symlink(client().inspect_volume(volume)->value().mountpoint + "/d"))
        << "the init container did swap the directory";
}

TEST_F(SubPathRace, AParentSwappedForALinkAfterTheCheckNeverMountsTheHost) {
    begin(NetworkMode::None);
    const std::string volume = token() + "-race-parent";
    ASSERT_TRUE(m_runtime->create_volume(volume, test_labels()).ok());
    fs::create_directories(host_dir() / "deep");
    std::ofstream(host_dir() / "deep" / "marker") << k_marker << "\n";
    const auto seen = run_swapped(
        "swap-parent", volume_mount(volume, "/v"),
        "test -d /v/a/deep && rm -rf /v/a && ln -s " + host_dir().string() + " /v/a",
        volume_mount(volume, "/data", "a/deep"), "cat /data/marker 2>/dev/null; echo looked");
    EXPECT_FALSE(mentions_marker(seen)) << ::testing::PrintToString(seen);
    ASSERT_EQ(seen.size(), 1u) << ::testing::PrintToString(seen);
    EXPECT_NE(seen.front().find("error mounting"), std::string::npos)
        << "a deleted directory cannot be mounted: " << seen.front();
}

TEST_F(SubPathRace, AFileSwappedForALinkAfterTheCheckNeverMountsTheHostFile) {
    begin(NetworkMode::None);
    const std::string volume = token() + "-race-file";
    ASSERT_TRUE(m_runtime->create_volume(volume, test_labels()).ok());
    run_swapped("seed", volume_mount(volume, "/v"), "mkdir -p /v/conf && echo mine > /v/conf/f",
                volume_mount(volume, "/data", "conf"), "true");
    const auto seen = run_swapped("swap-file", volume_mount(volume, "/v"),
                                  "test -f /v/conf/f && mv /v/conf/f /v/conf/old && ln -s " +
                                      host_file().string() + " /v/conf/f",
                                  volume_mount(volume, "/etc/app.conf", "conf/f"),
                                  "cat /etc/app.conf; echo looked");
    EXPECT_FALSE(mentions_marker(seen)) << ::testing::PrintToString(seen);
    EXPECT_EQ(seen, (std::vector<std::string>{"mine", "looked"}))
        << "the step sees the file that was checked";
}

TEST_F(SubPathRace, AHostPathSubPathSwappedForALinkNeverMountsWhatItPointsAt) {
    begin(NetworkMode::None);
    const fs::path source = temp_dir() / "bind-source";
    fs::create_directories(source / "d");
    VolumeMount whole;
    whole.type = VolumeMount::Type::Bind;
    whole.source = source.string();
    whole.container_path = "/v";
    VolumeMount sub = whole;
    sub.container_path = "/data";
    sub.sub_path = "d";
    const auto seen = run_swapped(
        "swap-bind", whole, "test -d /v/d && rm -rf /v/d && ln -s " + host_dir().string() + " /v/d",
        sub, "cat /data/marker 2>/dev/null; echo looked");
    EXPECT_FALSE(mentions_marker(seen)) << ::testing::PrintToString(seen);
    // Seen here: runc refuses the staged mount after the rename (ENOENT), so the step does not
    // run; the volume case above runs. Either way the host directory never shows.
    ASSERT_EQ(seen.size(), 1u) << ::testing::PrintToString(seen);
    EXPECT_TRUE(seen.front() == "looked" ||
                seen.front().find("error mounting") != std::string::npos)
        << seen.front();
}

}  // namespace
}  // namespace kfrun::docker::testing
