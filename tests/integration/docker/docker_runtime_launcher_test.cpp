// A KFP v2 launcher step's layout on the real daemon: the empty folders the engine places for
// output files (engine/empty_directory) exist and are writable at the start, an input artifact
// placed under the pipeline root's local path sits beside them, and what the step writes
// through those folders is collected; the stored input is never changed.
#include <string>
#include <vector>

#include "docker_runtime_fixture.hpp"
#include "engine/empty_directory.hpp"

namespace kfrun::docker::testing {
namespace {

using engine::LogStream;
using engine::StepEnd;

constexpr const char* k_root = "/minio/kfrun/v2/artifacts/demo";

TEST_F(DockerRuntimeTest, LauncherFoldersExistAtStartAndTheirFilesAreCollected) {
    begin(NetworkMode::None);
    auto outputs = engine::ingest_empty_folders(store(), {"outputs"});
    ASSERT_TRUE(outputs.ok()) << outputs.error().to_string();
    EXPECT_TRUE(outputs->is_directory());
    EXPECT_EQ(outputs->file_count, 0u);
    auto roots = engine::ingest_empty_folders(store(), {"c"});
    ASSERT_TRUE(roots.ok()) << roots.error().to_string();
    auto data = store().ingest_bytes("from the producer\n");
    ASSERT_TRUE(data.ok()) << data.error().to_string();

    const std::string task_root = std::string(k_root) + "/c";
    const std::string input = std::string(k_root) + "/p/m";
    RecordingObserver observer;
    auto spec = shell_step(
        "launcher", "set -e; test -d /tmp/kfp/outputs; test -d " + task_root + "; cat " + input +
                        "; printf 'hello\\n' > /tmp/kfp/outputs/y; "
                        "mkdir " +
                        task_root + "/d; echo deep > " + task_root + "/d/x.txt; echo {} > " +
                        task_root + "/output_metadata.json; echo changed > " + input);
    spec.inputs = {{"/tmp/kfp", *outputs}, {k_root, *roots}, {input, *data}};
    spec.output_paths = {"/tmp/kfp/outputs/y", task_root + "/d",
                         task_root + "/output_metadata.json", task_root + "/never"};
    const auto outcome = run(spec, observer);
    EXPECT_EQ(outcome.end, StepEnd::Exited);
    ASSERT_EQ(outcome.exit_code, 0) << outcome.log_tail;
    EXPECT_EQ(observer.lines(LogStream::Stdout), std::vector<std::string>{"from the producer"});
    ASSERT_EQ(outcome.outputs.size(), 4u);
    ASSERT_TRUE(outcome.outputs[0].artifact) << outcome.outputs[0].problem;
    EXPECT_EQ(*store().read_text(*outcome.outputs[0].artifact, 100), "hello\n");
    ASSERT_TRUE(outcome.outputs[1].artifact) << outcome.outputs[1].problem;
    EXPECT_TRUE(outcome.outputs[1].artifact->is_directory());
    EXPECT_EQ(outcome.outputs[1].artifact->file_count, 1u);
    ASSERT_TRUE(outcome.outputs[2].artifact) << outcome.outputs[2].problem;
    EXPECT_FALSE(outcome.outputs[3].artifact);
    EXPECT_TRUE(outcome.outputs[3].problem.empty()) << outcome.outputs[3].problem;
    EXPECT_EQ(*store().read_text(*data, 100), "from the producer\n")
        << "a consumer writing to its input artifact never changes the producer's stored bytes";
}

TEST_F(DockerRuntimeTest, LauncherFoldersAreWritableByAUserThatIsNotRoot) {
    begin(NetworkMode::None);
    auto outputs = engine::ingest_empty_folders(store(), {"outputs"});
    ASSERT_TRUE(outputs.ok()) << outputs.error().to_string();
    auto roots = engine::ingest_empty_folders(store(), {"c"});
    ASSERT_TRUE(roots.ok()) << roots.error().to_string();
    const std::string task_root = std::string(k_root) + "/c";
    RecordingObserver observer;
    auto spec = shell_step("launcher-user",
                           "set -e; test \"$(id -u)\" = 1000; echo v > "
                           "/tmp/kfp/outputs/y; echo m > " +
                               task_root + "/m");
    spec.security.user = "1000:1000";
    spec.inputs = {{"/tmp/kfp", *outputs}, {k_root, *roots}};
    spec.output_paths = {"/tmp/kfp/outputs/y", task_root + "/m"};
    const auto outcome = run(spec, observer);
    ASSERT_EQ(outcome.exit_code, 0) << outcome.log_tail;
    ASSERT_EQ(outcome.outputs.size(), 2u);
    EXPECT_TRUE(outcome.outputs[0].artifact) << outcome.outputs[0].problem;
    EXPECT_TRUE(outcome.outputs[1].artifact) << outcome.outputs[1].problem;
}

}  // namespace
}  // namespace kfrun::docker::testing
