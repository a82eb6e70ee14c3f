// The debugging commands on a failed run: `kfrun inspect` shows how the failed step's
// container was made and its cache key; `kfrun shell` (driven through piped stdin, as CI would)
// opens a shell with the step's inputs, env and working dir, `--run` runs its command first,
// and an image without a shell gets a clear message.
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>

#include "base/random_id.hpp"
#include "docker/docker_client.hpp"
#include "docker/pause_image.hpp"
#include "kfrun_process.hpp"

extern char** environ;

using kfrun::testing::KfrunProcess;
using kfrun::testing::KfrunResult;

namespace {

const std::string k_artifact = "artifact-content-42\n";

std::string data(const std::string& name) {
    return KfrunProcess::fixture("tests/integration/debugging/data/" + name).string();
}

// kfrun with `input` on its stdin (a file, so stdin is not a terminal), output interleaved.
KfrunResult exec_with_stdin(const KfrunProcess& kfrun, const std::vector<std::string>& args,
                            const std::string& input) {
    static int counter = 0;
    ++counter;
    auto in_path = kfrun.work_dir() / ("stdin-" + std::to_string(counter) + ".txt");
    auto out_path = kfrun.work_dir() / ("shell-output-" + std::to_string(counter) + ".txt");
    std::ofstream(in_path) << input;
    std::vector<std::string> storage = {KfrunProcess::binary().string()};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : storage) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, in_path.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = 0;
    KfrunResult result;
    int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        ADD_FAILURE() << "cannot start " << argv[0];
        return result;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::ifstream out(out_path);
    std::stringstream buffer;
    buffer << out.rdbuf();
    result.output = buffer.str();
    return result;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class Debugging : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (!kfrun::testing::docker_available()) {
            return;
        }
        s_kfrun = std::make_unique<KfrunProcess>();
        s_failed = std::make_unique<KfrunResult>(s_kfrun->run(data("failing-middle.yaml")));
    }
    static void TearDownTestSuite() {
        s_failed.reset();
        s_kfrun.reset();
    }
    void SetUp() override {
        if (!s_kfrun) {
            GTEST_SKIP() << "no Docker daemon";
        }
        ASSERT_EQ(s_failed->exit_code, 1) << s_failed->output;
        m_run_id = s_failed->report.value("runId", "");
        ASSERT_FALSE(m_run_id.empty());
    }

    std::vector<std::string> with_dirs(std::vector<std::string> args) const {
        args.insert(args.end(), {"--data-dir", s_kfrun->data_dir().string()});
        return args;
    }
    KfrunResult shell(std::vector<std::string> args, const std::string& input) const {
        std::vector<std::string> full = {"shell", m_run_id.substr(0, 8)};
        full.insert(full.end(), args.begin(), args.end());
        return exec_with_stdin(*s_kfrun, with_dirs(full), input);
    }
    KfrunResult inspect(const std::string& run_id, const std::string& step, bool json) const {
        std::vector<std::string> args = {
            "inspect", run_id, step, "--no-color", "--cache-dir", s_kfrun->cache_dir().string()};
        if (json) {
            args.insert(args.end(), {"-o", "json"});
        }
        return s_kfrun->exec(with_dirs(args));
    }

    static std::unique_ptr<KfrunProcess> s_kfrun;
    static std::unique_ptr<KfrunResult> s_failed;
    std::string m_run_id;
};

std::unique_ptr<KfrunProcess> Debugging::s_kfrun;
std::unique_ptr<KfrunResult> Debugging::s_failed;

TEST_F(Debugging, RunKeepsEachStepSpecPrivately) {
    const auto& step = s_failed->step("broken");
    auto path = s_failed->report_dir / "specs" / (step.value("id", "") + ".json");
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0) << path;
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    std::ifstream in(path);
    auto doc = nlohmann::json::parse(in, nullptr, false);
    EXPECT_EQ(doc.value("format", ""), "kfrun-step-spec");
    EXPECT_EQ(doc["spec"].value("workingDir", ""), "/in");
    EXPECT_TRUE(contains(doc["spec"]["env"].dump(), "token-never-printed"));
    // The env (which may hold secrets) stays out of the report.
    std::ifstream report(s_failed->report_dir / "report.json");
    std::stringstream text;
    text << report.rdbuf();
    EXPECT_FALSE(contains(text.str(), "token-never-printed"));
    std::ifstream html(s_failed->report_dir / "report.html");
    std::stringstream page;
    page << html.rdbuf();
    EXPECT_FALSE(page.str().empty());
    EXPECT_FALSE(contains(page.str(), "token-never-printed"));
}

TEST_F(Debugging, InspectShowsPayloadInputDigestsAndCacheKey) {
    KfrunResult text = inspect(m_run_id, "broken", false);
    ASSERT_EQ(text.exit_code, 0) << text.output;
    EXPECT_TRUE(contains(text.output, "POST /containers/create")) << text.output;
    EXPECT_TRUE(contains(text.output, "DEBUG_VAR=value-from-env")) << text.output;
    EXPECT_TRUE(contains(text.output, "/in/deep/data.txt")) << text.output;
    EXPECT_TRUE(contains(text.output, kfrun::testing::sha256_of(k_artifact))) << text.output;
    EXPECT_TRUE(contains(text.output, "kfrun-cache-key 2")) << text.output;

    KfrunResult json = inspect(m_run_id, "broken", true);
    ASSERT_EQ(json.exit_code, 0) << json.output;
    auto doc = nlohmann::json::parse(json.output, nullptr, false);
    ASSERT_TRUE(doc.is_object()) << json.output;
    const auto& payload = doc["createPayload"];
    EXPECT_EQ(payload.value("Image", ""), s_failed->step("broken").value("imageDigest", ""));
    EXPECT_EQ(payload["Entrypoint"], nlohmann::json({"sh", "-c"}));
    EXPECT_EQ(payload.value("WorkingDir", ""), "/in");
    bool input_bound = false;
    for (const auto& mount : payload["HostConfig"]["Mounts"]) {
        input_bound = input_bound || mount.value("Target", "") == "/in/deep/data.txt";
    }
    EXPECT_TRUE(input_bound) << payload.dump(2);
    const auto& artifacts = doc["inputs"]["artifacts"];
    ASSERT_EQ(artifacts.size(), 1u);
    EXPECT_EQ(artifacts[0].value("sha256", ""), kfrun::testing::sha256_of(k_artifact));
    EXPECT_EQ(artifacts[0].value("path", ""), "/in/deep/data.txt");
    EXPECT_EQ(doc["cache"].value("outcome", ""), "miss");
    EXPECT_EQ(doc["cache"].value("key", ""), s_failed->step("broken").value("cacheKey", ""));
    EXPECT_TRUE(contains(
        doc["cache"].value("keyText", ""),
        "input-artifact[/in/deep/data.txt] \"file " + kfrun::testing::sha256_of(k_artifact) + "\""))
        << doc["cache"].dump(2);
    EXPECT_FALSE(doc["cache"]["reasons"].empty());
}

TEST_F(Debugging, InspectSaysACachedStepCameFromTheCache) {
    KfrunResult again = s_kfrun->run(data("failing-middle.yaml"));
    ASSERT_EQ(again.exit_code, 1) << again.output;
    KfrunResult json = inspect(again.report.value("runId", ""), "produce", true);
    ASSERT_EQ(json.exit_code, 0) << json.output;
    auto doc = nlohmann::json::parse(json.output, nullptr, false);
    ASSERT_TRUE(doc.is_object()) << json.output;
    EXPECT_EQ(doc["cache"].value("outcome", ""), "hit");
    EXPECT_EQ(doc["cache"].value("sourceRun", ""), m_run_id);
    EXPECT_TRUE(contains(doc["cache"]["reasons"].dump(), m_run_id));
    EXPECT_TRUE(doc["createPayload"].is_object());
}

TEST_F(Debugging, InspectNamesUnknownAndContainerlessSteps) {
    KfrunResult unknown = inspect(m_run_id, "nope", false);
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_TRUE(contains(unknown.output, "no step `nope`")) << unknown.output;
    EXPECT_TRUE(contains(unknown.output, "broken")) << unknown.output;  // the candidates
    KfrunResult omitted = inspect(m_run_id, "after", false);
    EXPECT_EQ(omitted.exit_code, 2);
    EXPECT_TRUE(contains(omitted.output, "ran no container: it was Omitted")) << omitted.output;
    KfrunResult never = exec_with_stdin(*s_kfrun, with_dirs({"shell", m_run_id, "after"}), "");
    EXPECT_EQ(never.exit_code, 2);
    EXPECT_TRUE(contains(never.output, "ran no container")) << never.output;
}

TEST_F(Debugging, ShellWithPipedStdinHasInputsEnvAndWorkingDir) {
    KfrunResult result = shell({"broken"},
                               "ls /in/deep\ncat /in/deep/data.txt\n"
                               "echo \"env=$DEBUG_VAR\"\npwd\nexit 5\n");
    EXPECT_EQ(result.exit_code, 5) << result.output;
    EXPECT_TRUE(contains(result.output, "data.txt")) << result.output;
    EXPECT_TRUE(contains(result.output, "artifact-content-42")) << result.output;
    EXPECT_TRUE(contains(result.output, "env=value-from-env")) << result.output;
    EXPECT_TRUE(contains(result.output, "\n/in\n")) << result.output;
    // The step's command, shell-quoted, printed before the shell.
    EXPECT_TRUE(contains(result.output,
                         "sh -c 'echo \"broken sees $DEBUG_VAR\"; cat "
                         "/in/deep/data.txt; exit 7'"))
        << result.output;
    EXPECT_TRUE(kfrun::testing::containers_of_run(m_run_id).empty());
}

TEST_F(Debugging, ShellRunFlagRunsTheStepCommandFirst) {
    KfrunResult result = shell({"broken", "--run"}, "echo still-in-shell\n");
    EXPECT_EQ(result.exit_code, 0) << result.output;
    EXPECT_TRUE(contains(result.output, "broken sees value-from-env")) << result.output;
    EXPECT_TRUE(contains(result.output, "exited with code 7")) << result.output;
    EXPECT_TRUE(contains(result.output, "still-in-shell")) << result.output;
    auto command = result.output.find("broken sees value-from-env");
    auto after = result.output.find("still-in-shell");
    EXPECT_LT(command, after);
    EXPECT_TRUE(kfrun::testing::containers_of_run(m_run_id).empty());
}

TEST_F(Debugging, ShellKeepLeavesTheContainer) {
    KfrunResult result = shell({"broken", "--keep"}, "exit 0\n");
    EXPECT_EQ(result.exit_code, 0) << result.output;
    auto kept = kfrun::testing::containers_of_run(m_run_id);
    ASSERT_EQ(kept.size(), 1u) << result.output;
    auto client = kfrun::docker::DockerClient::connect(kfrun::docker::DockerConfig{});
    ASSERT_TRUE(client.ok());
    EXPECT_TRUE(client->remove_container(kept[0]).ok());
}

TEST_F(Debugging, ImageWithoutShellGetsAClearMessage) {
    auto client = kfrun::docker::DockerClient::connect(kfrun::docker::DockerConfig{});
    ASSERT_TRUE(client.ok());
    auto tar = kfrun::docker::pause_image_tar();
    ASSERT_TRUE(tar.ok());
    const std::string tag = kfrun::base::random_suffix(8);
    const std::string image = "kfrun-test/no-shell:" + tag;
    ASSERT_TRUE(client
                    ->import_image(*tar, "kfrun-test/no-shell", tag,
                                   {std::string(kfrun::docker::k_pause_entrypoint)})
                    .ok());
    KfrunResult result = shell({"broken", "--image", image}, "exit 0\n");
    static_cast<void>(client->remove_image(image, true));
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_TRUE(contains(result.output, "has no shell")) << result.output;
    EXPECT_TRUE(contains(result.output, image)) << result.output;
    EXPECT_TRUE(kfrun::testing::containers_of_run(m_run_id).empty());
}

}  // namespace
