// How DockerRuntime reads a stopped step's outputs: from its overlay2 layers where OverlayView is
// certain, through GET /archive otherwise. Both must give the same artifacts; checked side by
// side on one step that leaves every shape of output behind.
#include <string>
#include <vector>

#include "docker/overlay_view.hpp"
#include "docker_runtime_fixture.hpp"

namespace kfrun::docker::testing {
namespace {

using engine::StepEnd;

// Leaves files, directories, links, modes, image files changed and deleted, a directory the
// image and the step both fill, an opaque directory, a mount and a symbolic link.
constexpr const char* k_script =
    "set -e; mkdir -p /out/dir/sub /out/dir/empty; printf 'file content' > /out/file.txt; "
    "echo a > /out/dir/a.txt; chmod 0600 /out/dir/a.txt; echo c > /out/dir/sub/c.txt; "
    "chmod 0750 /out/dir/sub; printf '#!/bin/sh\\n' > /out/dir/run.sh; chmod 0755 /out/dir/run.sh; "
    "ln -s a.txt /out/dir/link; ln /out/dir/a.txt /out/dir/hard; touch '/out/dir/odd name'; "
    "echo changed >> /etc/group; rm /etc/passwd; echo new > /root/new.txt; "
    "rm -rf /var; mkdir -p /var/fresh; echo v > /var/fresh/v; "
    "ln -s /out/file.txt /out/link.txt; echo d > /data/x";

// The outputs, and whether the layers can answer for them.
const std::vector<std::pair<std::string, bool>> k_outputs = {
    {"/out/file.txt", true},         // a new file
    {"/out/dir", true},              // a new directory: modes, links, a hard link, odd names
    {"/out/missing", true},          // never written
    {"/etc/group", true},            // an image file the step changed (copied up)
    {"/etc/passwd", true},           // an image file the step deleted (a whiteout): missing
    {"/usr", true},                  // an image directory the step did not touch
    {"/root/new.txt", true},         // a new file in an image directory
    {"/var", true},                  // removed and made again: an opaque directory
    {"/root", false},                // the image's directory with the step's file in it
    {"/out/link.txt", false},        // a symbolic link (an error either way)
    {"/data/x", false},              // on a volume
    {"/data", false},                // a mount point
    {"/etc/resolv.conf", false},     // mounted by Docker
    {"/tmp/../out/file.txt", false}  // not a plain path: Docker resolves it
};

class Outputs : public DockerRuntimeTest {
  protected:
    engine::StepOutcome run_on(DockerRuntime& runtime, const std::string& suffix) {
        auto context = run_context(NetworkMode::None, suffix);
        auto begun = runtime.begin_run(context);
        EXPECT_TRUE(begun.ok()) << begun.error().to_string();
        auto spec = shell_step("outputs-" + suffix, k_script);
        auto labels = test_labels();
        labels[k_run_label] = context.run_id;
        spec.mounts = {volume_mount(token() + "-" + suffix, "/data", {}, labels)};
        for (const auto& [path, from_layers] : k_outputs) {
            spec.output_paths.push_back(path);
        }
        RecordingObserver observer;
        auto outcome = runtime.run_step(spec, observer, {});
        EXPECT_TRUE(outcome.ok()) << outcome.error().to_string();
        auto ended = runtime.end_run();
        EXPECT_TRUE(ended.ok()) << ended.error().to_string();
        if (!outcome.ok()) {
            return {};
        }
        EXPECT_EQ(outcome->end, StepEnd::Exited);
        EXPECT_EQ(outcome->exit_code, 0) << outcome->log_tail;
        return std::move(*outcome);
    }
};

TEST_F(Outputs, LayerReadsGiveTheSameArtifactsAsTheArchive) {
    auto via_archive = make_runtime(/*layer_reads=*/false);
    const auto expected = run_on(*via_archive, "archive");
    const auto actual = run_on(*m_runtime, "layers");
    ASSERT_EQ(expected.outputs.size(), k_outputs.size());
    ASSERT_EQ(actual.outputs.size(), k_outputs.size());
    for (std::size_t i = 0; i < k_outputs.size(); ++i) {
        const auto& path = k_outputs[i].first;
        const auto& want = expected.outputs[i];
        const auto& got = actual.outputs[i];
        EXPECT_EQ(got.artifact.has_value(), want.artifact.has_value())
            << path << ": " << got.problem;
        if (got.artifact && want.artifact) {
            EXPECT_EQ(*got.artifact, *want.artifact) << path;
        }
        EXPECT_EQ(got.problem.empty(), want.problem.empty()) << path << ": " << got.problem;
    }
    // What the archive itself says, so that equality above means something.
    EXPECT_TRUE(expected.outputs[0].artifact);
    EXPECT_EQ(expected.outputs[1].artifact->file_count, 5u);  // a, c, run.sh, hard, odd name
    EXPECT_FALSE(expected.outputs[2].artifact);
    EXPECT_FALSE(expected.outputs[4].artifact) << "the deleted image file";
    EXPECT_TRUE(expected.outputs[7].artifact);
    EXPECT_FALSE(expected.outputs[9].problem.empty()) << "a symbolic link output is refused";
    EXPECT_TRUE(expected.outputs[10].artifact) << "the volume's file";
    EXPECT_EQ(via_archive->output_reads().from_layers, 0u);
    EXPECT_EQ(via_archive->output_reads().from_archive, k_outputs.size());

    if (!OverlayView::kernel_allows_layer_reads()) {
        GTEST_SKIP() << "this kernel's overlayfs has redirect_dir or metacopy on: all archive";
    }
    std::size_t layer_paths = 0;
    for (const auto& [path, from_layers] : k_outputs) {
        layer_paths += from_layers ? 1 : 0;
    }
    EXPECT_EQ(m_runtime->output_reads().from_layers, layer_paths);
    EXPECT_EQ(m_runtime->output_reads().from_archive, k_outputs.size() - layer_paths);
}

TEST_F(Outputs, AStepsOwnFilesAreReadFromItsLayersWithoutTheArchive) {
    if (!OverlayView::kernel_allows_layer_reads()) {
        GTEST_SKIP() << "this kernel's overlayfs has redirect_dir or metacopy on";
    }
    begin(NetworkMode::None);
    RecordingObserver observer;
    auto spec =
        shell_step("layer-read", "mkdir -p /tmp/outputs/out && echo 42 > /tmp/outputs/out/data");
    spec.output_paths = {"/tmp/outputs/out/data", "/tmp/outputs/metrics/data"};
    const auto outcome = run(spec, observer);
    ASSERT_EQ(outcome.outputs.size(), 2u);
    ASSERT_TRUE(outcome.outputs[0].artifact) << outcome.outputs[0].problem;
    EXPECT_EQ(*store().read_text(*outcome.outputs[0].artifact, 100), "42\n");
    EXPECT_FALSE(outcome.outputs[1].artifact);
    EXPECT_EQ(m_runtime->output_reads().from_layers, 2u);
    EXPECT_EQ(m_runtime->output_reads().from_archive, 0u);
}

}  // namespace
}  // namespace kfrun::docker::testing
