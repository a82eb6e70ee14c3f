// Outputs a step writes under its input mounts (KFP v2's /tmp/kfp/outputs and task root are
// placed as inputs) are read from kfrun's staged host folder instead of GET /archive: the same
// artifacts as the archive gives, links on the way left to the archive (which resolves them in
// the container, never on the host), and no archive call for the plain cases.
#include <fstream>
#include <string>
#include <vector>

#include "docker_runtime_fixture.hpp"
#include "engine/empty_directory.hpp"

namespace kfrun::docker::testing {
namespace {

using engine::StepEnd;

// Files, a directory with modes, links, a hard link and odd names in the input folder /in/out;
// links to the container's /etc and to the host's test folder; a file input written over.
std::string script(const std::string& host_dir) {
    return "set -e; cd /in/out; mkdir -p dir/sub dir/empty; printf 'file content' > file.txt; "
           "echo a > dir/a.txt; chmod 0600 dir/a.txt; echo c > dir/sub/c.txt; chmod 0750 "
           "dir/sub; printf '#!/bin/sh\\n' > dir/run.sh; chmod 0755 dir/run.sh; ln -s a.txt "
           "dir/link; ln dir/a.txt dir/hard; touch 'dir/odd name'; ln -s /etc via; "
           "ln -s " +
           host_dir + " host; ln -s " + host_dir +
           "/secret.txt leak; "
           "echo d > vol/x; echo rewritten > /in2/data";
}

// The outputs, and whether the input folders answer for them (else the archive).
const std::vector<std::pair<std::string, bool>> k_outputs = {
    {"/in/out/file.txt", true},          // a new file
    {"/in/out/dir", true},               // a directory: modes, links, a hard link, odd names
    {"/in/out/missing", true},           // never written
    {"/in/out/nowhere/x", true},         // its folder was never made either
    {"/in2/data", true},                 // a file input, the bind's own source
    {"/in/out/via/group", false},        // a link on the way: the container's /etc/group
    {"/in/out/host/secret.txt", false},  // a link to a host folder: missing in the container
    {"/in/out/leak", false},             // a link as the output (an error either way)
    {"/in/out/vol/x", false},            // on a volume mounted inside the input folder
    {"/in/out", false},                  // holds that mount
};

class InputFolderOutputs : public DockerRuntimeTest {
  protected:
    engine::StepOutcome run_on(DockerRuntime& runtime, const std::string& suffix) {
        auto context = run_context(NetworkMode::None, suffix);
        auto begun = runtime.begin_run(context);
        EXPECT_TRUE(begun.ok()) << begun.error().to_string();
        auto folders = engine::ingest_empty_folders(store(), {"out"});
        EXPECT_TRUE(folders.ok()) << folders.error().to_string();
        auto data = store().ingest_bytes("from the producer\n");
        EXPECT_TRUE(data.ok()) << data.error().to_string();
        if (!folders.ok() || !data.ok()) {
            return {};
        }
        auto spec = shell_step("in-outputs-" + suffix, script(temp_dir().string()));
        spec.inputs = {{"/in", *folders}, {"/in2/data", *data}};
        auto labels = test_labels();
        labels[k_run_label] = context.run_id;
        spec.mounts = {volume_mount(token() + "-" + suffix, "/in/out/vol", {}, labels)};
        for (const auto& [path, from_folder] : k_outputs) {
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

TEST_F(InputFolderOutputs, GiveTheSameArtifactsAsTheArchiveWithoutCallingIt) {
    {
        std::ofstream secret(temp_dir() / "secret.txt");
        secret << "a host file no step may read";
    }
    auto via_archive = make_runtime(/*layer_reads=*/false);
    const auto expected = run_on(*via_archive, "archive");
    const auto actual = run_on(*m_runtime, "folders");
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
        if (got.artifact && !got.artifact->is_directory()) {
            EXPECT_NE(*store().read_text(*got.artifact, 1000), "a host file no step may read")
                << path;
        }
    }
    // What the archive itself says, so that equality above means something.
    EXPECT_EQ(*store().read_text(*expected.outputs[0].artifact, 100), "file content");
    EXPECT_EQ(expected.outputs[1].artifact->file_count, 5u);  // a, c, run.sh, hard, odd name
    EXPECT_FALSE(expected.outputs[2].artifact);
    EXPECT_FALSE(expected.outputs[3].artifact);
    EXPECT_EQ(*store().read_text(*expected.outputs[4].artifact, 100), "rewritten\n");
    EXPECT_TRUE(expected.outputs[5].artifact) << "the container's /etc/group";
    EXPECT_FALSE(expected.outputs[6].artifact) << "the host folder is not in the container";
    EXPECT_FALSE(expected.outputs[7].artifact) << "a symbolic link output is not stored";
    EXPECT_TRUE(expected.outputs[8].artifact) << "the volume's file";
    EXPECT_EQ(via_archive->output_reads().from_input_folders, 0u);
    EXPECT_EQ(via_archive->output_reads().from_archive, k_outputs.size());

    std::size_t folder_paths = 0;
    for (const auto& [path, from_folder] : k_outputs) {
        folder_paths += from_folder ? 1 : 0;
    }
    EXPECT_EQ(m_runtime->output_reads().from_input_folders, folder_paths);
    EXPECT_EQ(m_runtime->output_reads().from_archive, k_outputs.size() - folder_paths);
}

}  // namespace
}  // namespace kfrun::docker::testing
